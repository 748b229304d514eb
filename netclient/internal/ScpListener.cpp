#include "netclient/internal/ScpListener.h"

#include "dcmtk/dcmnet/dul.h"
#include "dcmtk/dcmnet/dulstruc.h"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace lb::netclient::internal {
namespace {

// An A-ASSOCIATE-RQ is a few hundred bytes; DCMTK refuses more than 1 MB (dcmAssociatePDUSizeLimit).
constexpr uint32_t kMaxOpeningMessage = 1u << 20;

std::string numericHost(const sockaddr_storage& address)
{
    char text[INET6_ADDRSTRLEN] = {};
    if (address.ss_family == AF_INET)
        ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(address).sin_addr, text, sizeof text);
    else if (address.ss_family == AF_INET6)
        ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(address).sin6_addr, text, sizeof text);
    return text;
}

} // namespace

core::Result<ScpListener> ScpListener::open(const std::string& address, int port)
{
    const std::string where = address + ":" + std::to_string(port);
    addrinfo hints{};
    hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(address.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || !found)
        return core::makeError(core::ErrorCode::InvalidArgument, where, "not an IP address to listen on");
    const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    const bool bound = fd >= 0 && ::bind(fd, found->ai_addr, found->ai_addrlen) == 0 && ::listen(fd, 64) == 0;
    const int error = errno;
    const int family = found->ai_family;
    ::freeaddrinfo(found);
    if (!bound) {
        if (fd >= 0) ::close(fd);
        return core::makeError(core::ErrorCode::Io, where, std::string("cannot listen: ") + std::strerror(error));
    }
    const bool any = address == "0.0.0.0" || address == "::";
    const std::string wakeAddress = any ? (family == AF_INET6 ? "::1" : "127.0.0.1") : address;
    return ScpListener(fd, where, wakeAddress, port);
}

ScpListener::ScpListener(int fd, std::string bound, std::string wakeAddress, int port)
    : m_fd(fd), m_bound(std::move(bound)), m_wakeAddress(std::move(wakeAddress)), m_port(port)
{
}

ScpListener::ScpListener(ScpListener&& other) noexcept
    : m_fd(other.m_fd), m_bound(std::move(other.m_bound)), m_wakeAddress(std::move(other.m_wakeAddress)),
      m_port(other.m_port)
{
    other.m_fd = -1;
}

ScpListener::~ScpListener()
{
    if (m_fd >= 0) ::close(m_fd);
}

AcceptedConnection ScpListener::accept(int timeoutMs)
{
    pollfd waiting{m_fd, POLLIN, 0};
    if (::poll(&waiting, 1, timeoutMs) <= 0) return {};
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    const int fd = ::accept4(m_fd, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_CLOEXEC);
    if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return {};
    }
    return {fd, numericHost(peer)};
}

void ScpListener::wake() const
{
    addrinfo hints{};
    hints.ai_flags = AI_NUMERICHOST;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(m_wakeAddress.c_str(), std::to_string(m_port).c_str(), &hints, &found) != 0 || !found) return;
    const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0) {
        (void)::connect(fd, found->ai_addr, found->ai_addrlen);
        ::close(fd);
    }
    ::freeaddrinfo(found);
}

bool waitForOpeningMessage(int fd, bool tls, int seconds)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    unsigned char header[6] = {};
    for (;;) {
        int available = 0;
        ::ioctl(fd, FIONREAD, &available);
        const ssize_t peeked = available >= 6 ? ::recv(fd, header, sizeof header, MSG_PEEK) : 0;
        if (peeked == 6) {
            // PS3.8 9.3.2: type 01, reserved, 32-bit length. TLS 1.2 (RFC 5246 6.2.1): type 22,
            // version, 16-bit length.
            const uint32_t length = tls ? (uint32_t(header[3]) << 8 | header[4])
                                        : (uint32_t(header[2]) << 24 | uint32_t(header[3]) << 16 | uint32_t(header[4]) << 8 | header[5]);
            const uint32_t headerBytes = tls ? 5 : 6;
            if ((tls ? header[0] != 22 : header[0] != 0x01) || length > kMaxOpeningMessage) return false;
            if (static_cast<uint32_t>(available) >= headerBytes + length) return true;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd waiting{fd, POLLIN, 0};
        if (::poll(&waiting, 1, static_cast<int>(std::min<long long>(left.count(), 200))) < 0) return false;
        if (waiting.revents & (POLLHUP | POLLERR)) return false;
        // More bytes may be on the way even when poll says readable (a partial message): the
        // loop peeks again, at most every 200 ms.
        if (waiting.revents & POLLIN) {
            int now = 0;
            ::ioctl(fd, FIONREAD, &now);
            if (now == available) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            if (now == 0) { // readable with nothing to read: the peer closed
                char probe;
                if (::recv(fd, &probe, 1, MSG_PEEK | MSG_DONTWAIT) == 0) return false;
            }
        }
    }
}

OFCondition receiveAssociationOn(T_ASC_Network* network, int fd, bool tls, int seconds, T_ASC_Association** association)
{
    static std::mutex handOver;
    // Reads that stall mid-message (a TLS handshake dribbled out) end after the ARTIM time.
    timeval timeout{seconds, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::lock_guard lock(handOver);
    dcmExternalSocketHandle.set(fd);
    OFCondition condition = ASC_receiveAssociation(network, association, 65536, nullptr, nullptr, tls ? OFTrue : OFFalse,
                                                   DUL_NOBLOCK, seconds);
    dcmExternalSocketHandle.set(DCMNET_INVALID_SOCKET);
    return condition;
}

OFCondition makeAcceptorNetwork(int seconds, T_ASC_Network** network)
{
    OFCondition condition = ASC_initializeNetwork(NET_ACCEPTOR, 0, seconds, network);
    if (condition.bad()) return condition;
    auto* key = static_cast<PRIVATE_NETWORKKEY*>((*network)->network);
    ::close(static_cast<int>(key->networkSpecific.TCP.listenSocket));
    key->networkSpecific.TCP.listenSocket = DCMNET_INVALID_SOCKET;
    return condition;
}

} // namespace lb::netclient::internal
