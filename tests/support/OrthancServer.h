#pragma once
// A real Orthanc (Debian's package) for one test: free loopback ports, a temporary config,
// index and storage, TCP_NODELAY=1 like every peer in ../shared/bench, stopped by PID.
// Its REST API (loopback only, RemoteAccessAllowed false) is the oracle of what it holds.
#include "tests/support/ChildProcess.h"
#include "tests/support/TestSupport.h"

#include <memory>
#include <optional>

namespace lb::test {

struct OrthancModality {
    std::string name;
    std::string aeTitle;
    int port = 0; // where Orthanc sends C-MOVE results
    bool tls = false; // Orthanc calls it with DICOM TLS
};

// Orthanc's DICOM TLS (DicomTlsEnabled): its certificate and key, and whom it trusts (it then
// requires a client certificate signed by them).
struct OrthancTls {
    std::filesystem::path certificate;
    std::filesystem::path privateKey;
    std::filesystem::path trusted;
};

class OrthancServer {
public:
    static constexpr const char* kAeTitle = "ORTHANC";

    // Starts Orthanc with its files under `folder` (kept between start() calls: a restarted
    // Orthanc holds what it held). Fails the test when it does not come up within 20 s.
    OrthancServer(const std::filesystem::path& folder, std::vector<OrthancModality> modalities,
                  std::optional<OrthancTls> tls = std::nullopt);
    ~OrthancServer();

    void start();
    void stop();         // SIGTERM, then SIGKILL after 10 s
    void killHard();     // SIGKILL: an archive that dies mid-transfer
    bool running() const { return m_process != nullptr; }

    int dicomPort() const { return m_dicomPort; }
    int httpPort() const { return m_httpPort; }

    // REST (curl on loopback).
    nlohmann::json get(const std::string& path) const;
    std::string fileOf(const std::string& sopInstanceUid) const; // the stored Part 10 bytes
    int instanceCount() const;

    // C-STORE of `files` with dcmtk's storescu (an independent sender).
    void storeWithStorescu(const std::vector<std::filesystem::path>& files, const std::string& callingAe) const;

private:
    void writeConfig() const;
    std::filesystem::path m_folder;
    std::vector<OrthancModality> m_modalities;
    std::optional<OrthancTls> m_tls;
    int m_dicomPort = 0;
    int m_httpPort = 0;
    std::unique_ptr<ChildProcess> m_process;
};

// The data set bytes of a Part 10 file (everything after the group 0002 meta header).
std::string datasetBytes(const std::string& part10);
// Files under `dir` that are DICOM Part 10 instances ("DICM" at offset 128, not a DICOMDIR).
std::vector<std::filesystem::path> dicomFilesUnder(const std::filesystem::path& dir);

} // namespace lb::test
