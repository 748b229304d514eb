#include "netclient/internal/CallerCheck.h"

#include <netdb.h>
#include <arpa/inet.h>
#include <sys/socket.h>

namespace lb::netclient::internal {
namespace {

bool resolvesTo(const std::string& host, const std::string& address)
{
    if (host == address) return true;
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* results = nullptr;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &results) != 0) return false;
    bool match = false;
    for (addrinfo* entry = results; entry && !match; entry = entry->ai_next) {
        char text[INET6_ADDRSTRLEN] = {};
        const void* raw = entry->ai_family == AF_INET
                              ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(entry->ai_addr)->sin_addr)
                              : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(entry->ai_addr)->sin6_addr);
        if (inet_ntop(entry->ai_family, raw, text, sizeof text)) match = address == text;
    }
    freeaddrinfo(results);
    return match;
}

} // namespace

std::string trimAeTitle(const std::string& title)
{
    const auto first = title.find_first_not_of(' ');
    if (first == std::string::npos) return {};
    return title.substr(first, title.find_last_not_of(' ') - first + 1);
}

std::string hostOfAddress(const std::string& address)
{
    const auto colon = address.rfind(':');
    if (colon != std::string::npos && address.find(':') == colon) return address.substr(0, colon); // IPv4:port
    return address;
}

bool callerAllowed(const std::vector<AllowedCaller>& allowed, const std::string& callingAe, const std::string& callingHost)
{
    for (const AllowedCaller& caller : allowed) {
        if (caller.aeTitle != callingAe) continue;
        if (caller.host.empty() || resolvesTo(caller.host, callingHost)) return true;
    }
    return false;
}

} // namespace lb::netclient::internal
