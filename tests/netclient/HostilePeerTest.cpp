// Hostile peers on raw sockets: garbage, lies about lengths, silence, abrupt closes. Neither our
// storage SCP nor our SCU may crash, hang past its timeout or stop serving others.
#include "netclient/Echo.h"
#include "netclient/Find.h"
#include "netclient/StorageScp.h"
#include "tests/netclient/FolderSink.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/TestSupport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <random>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace lb::test {
namespace {

int connectTo(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

void sendAndClose(int port, const std::string& bytes)
{
    const int fd = connectTo(port);
    ASSERT_GE(fd, 0);
    (void)::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    ::close(fd);
}

std::string randomBytes(size_t size, unsigned seed)
{
    std::mt19937 generator(seed);
    std::string bytes(size, '\0');
    for (char& c : bytes) c = static_cast<char>(generator());
    return bytes;
}

// An A-ASSOCIATE-RQ PDU header (type 1) that claims `length` bytes follow.
std::string associateHeader(uint32_t length)
{
    std::string pdu = {'\x01', '\x00'};
    for (int shift = 24; shift >= 0; shift -= 8) pdu += static_cast<char>((length >> shift) & 0xff);
    return pdu;
}

TEST(HostilePeer, GarbageAndLiesDoNotStopTheStorageScp)
{
    TempDir temp;
    FolderSink sink(temp / "spool");
    netclient::StorageScpConfig config;
    config.local = {"LB_SCP", freeTcpPort()};
    config.allowed = {{"SENDER", ""}};
    config.dimseTimeoutSeconds = 2;
    auto scp = netclient::StorageScp::start(config, sink);
    ASSERT_TRUE(scp.ok()) << scp.error().message();
    const int port = config.local.storagePort;

    sendAndClose(port, "");                                  // connect, close
    sendAndClose(port, randomBytes(4096, 1));                // noise
    sendAndClose(port, associateHeader(0xFFFFFFF0u));        // claims 4 GB, sends nothing
    sendAndClose(port, associateHeader(68) + randomBytes(68, 2)); // right length, garbage inside
    sendAndClose(port, std::string("\x04\x00\x00\x00\x00\x10", 6) + randomBytes(16, 3)); // P-DATA first
    for (unsigned seed = 10; seed < 40; ++seed) sendAndClose(port, associateHeader(200) + randomBytes(200, seed));

    netclient::RemoteNode node{"own", "LB_SCP", "127.0.0.1", port};
    node.connectTimeoutSeconds = 5;
    auto echoed = netclient::echo({"SENDER", 0}, node);
    EXPECT_TRUE(echoed.ok()) << echoed.error().message();
    EXPECT_TRUE(sink.received().empty());

    // A caller that connects and never speaks ties up the acceptor for at most its timeout.
    const int silent = connectTo(port);
    const auto start = std::chrono::steady_clock::now();
    (*scp)->stop();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ::close(silent);
    EXPECT_LT(seconds, 15.0);
}

// A "PACS" that answers our association request with `reply` and closes.
class LyingArchive {
public:
    explicit LyingArchive(std::string reply) : m_reply(std::move(reply))
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(m_fd, 4);
        socklen_t length = sizeof address;
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length);
        m_port = ntohs(address.sin_port);
        m_thread = std::thread([this] {
            const int client = ::accept(m_fd, nullptr, nullptr);
            if (client < 0) return;
            char buffer[4096];
            (void)::recv(client, buffer, sizeof buffer, 0);
            (void)::send(client, m_reply.data(), m_reply.size(), MSG_NOSIGNAL);
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            ::close(client);
        });
    }
    ~LyingArchive()
    {
        ::shutdown(m_fd, SHUT_RDWR);
        ::close(m_fd);
        m_thread.join();
    }
    int port() const { return m_port; }

private:
    std::string m_reply;
    int m_fd = -1;
    int m_port = 0;
    std::thread m_thread;
};

TEST(HostilePeer, AnArchiveThatLiesGetsAClearErrorNotACrash)
{
    const std::vector<std::string> replies = {
        randomBytes(512, 7),
        std::string("\x02\x00\xff\xff\xff\xff", 6),            // A-ASSOCIATE-AC claiming 4 GB
        std::string("\x02\x00\x00\x00\x00\x44", 6) + randomBytes(0x44, 8), // AC with garbage
        std::string("\x07\x00\x00\x00\x00\x04\x00\x00\x02\x00", 10),        // A-ABORT
        std::string("\x03\x00\x00\x00\x00\x04\x00\x01\x01\x03", 10),        // A-ASSOCIATE-RJ
    };
    for (size_t i = 0; i < replies.size(); ++i) {
        LyingArchive archive(replies[i]);
        netclient::RemoteNode node{"liar", "LIAR", "127.0.0.1", archive.port()};
        node.connectTimeoutSeconds = 3;
        node.dimseTimeoutSeconds = 3;
        const auto start = std::chrono::steady_clock::now();
        auto found = netclient::find({}, node, {}, {});
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        ASSERT_FALSE(found.ok()) << "reply " << i;
        EXPECT_NE(found.error().message().find("liar (LIAR@127.0.0.1:"), std::string::npos) << found.error().message();
        EXPECT_LT(seconds, 8.0) << "reply " << i << ": " << found.error().message();
    }
}

} // namespace
} // namespace lb::test
