#pragma once
// A program the test starts in the background (a peer: Orthanc, storescp, a proxy, or
// lightbox-cli itself) and stops by PID. Output goes to files the test may read.
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace lb::test {

class ChildProcess {
public:
    // argv[0] is looked up in PATH. `environment` is added to the test's own environment.
    ChildProcess(std::vector<std::string> argv, const std::filesystem::path& outputFile,
                 const std::map<std::string, std::string>& environment = {});
    ~ChildProcess(); // kills (SIGKILL) and reaps a child still running

    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return m_pid; }
    void signal(int signalNumber);
    // Exit code (128 + signal when killed), or nullopt when still running after `timeout`.
    std::optional<int> waitExit(std::chrono::milliseconds timeout);
    bool running();
    std::string output() const; // stdout + stderr so far

private:
    pid_t m_pid = -1;
    std::optional<int> m_exit;
    std::filesystem::path m_outputFile;
};

// A TCP port nothing listens on right now (bound and released; good enough on loopback).
int freeTcpPort();
// Waits until something accepts connections on 127.0.0.1:port.
bool waitForPort(int port, std::chrono::milliseconds timeout);

} // namespace lb::test
