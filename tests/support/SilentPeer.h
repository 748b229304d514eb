#pragma once
// A peer we control that hangs: it accepts TCP connections on loopback and never says a word
// (an archive whose DICOM service is stuck). Its destructor hangs up, so whatever still waits on
// it ends then.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <thread>
#include <vector>

namespace lb::test {

class SilentPeer {
public:
    SilentPeer()
    {
        m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = 0;
        ::bind(m_listener, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(m_listener, 8);
        socklen_t length = sizeof address;
        ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&address), &length);
        m_port = ntohs(address.sin_port);
        m_thread = std::thread([this] {
            for (;;) {
                const int connection = ::accept(m_listener, nullptr, nullptr);
                if (connection < 0) return;
                std::lock_guard lock(m_mutex);
                m_connections.push_back(connection);
            }
        });
    }
    ~SilentPeer() // hangs up: whatever still waits on us ends now
    {
        ::shutdown(m_listener, SHUT_RDWR);
        ::close(m_listener);
        m_thread.join();
        std::lock_guard lock(m_mutex);
        for (int connection : m_connections) ::close(connection);
    }
    int port() const { return m_port; }

private:
    int m_listener = -1;
    int m_port = 0;
    std::thread m_thread;
    std::mutex m_mutex;
    std::vector<int> m_connections;
};

} // namespace lb::test
