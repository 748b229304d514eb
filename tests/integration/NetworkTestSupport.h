#pragma once
// What the network tests share: a cache configured to talk to a real Orthanc, test series
// loaded into it, and byte comparisons of what arrived with what the archive holds.
#include "tests/integration/CliTestSupport.h"
#include "tests/support/OrthancServer.h"

#include <gtest/gtest.h>

namespace lb::test {

class NetworkTest : public ::testing::Test {
protected:
    void SetUp() override;

    // Orthanc knows us as LIGHTBOX at storagePort (C-MOVE destination, allowed to store).
    void startOrthanc();
    // Registers `name` -> ORTHANC@127.0.0.1:port in `cacheDir` (port 0: Orthanc's own) and
    // sets our storage port.
    void addNode(const std::filesystem::path& cacheDir, const std::string& name, int port = 0,
                 const std::string& extraFlags = "");
    void loadIntoOrthanc(const std::string& testdataSeries);
    static std::string studyUidOf(const std::string& testdataSeries);

    // Every instance of the study in `cacheDir` has the very data set bytes Orthanc stores.
    void expectByteIdenticalToOrthanc(const std::filesystem::path& cacheDir, const std::string& studyUid,
                                      int expectedInstances);
    int localInstanceCount(const std::filesystem::path& cacheDir, const std::string& studyUid);

    TempDir m_temp;
    std::filesystem::path m_cache;
    int m_storagePort = 0;
    std::unique_ptr<OrthancServer> m_orthanc;
};

// tests/support/tcp_proxy.py on a free port in front of 127.0.0.1:target.
std::unique_ptr<ChildProcess> startProxy(const std::filesystem::path& logFile, int listenPort, int targetPort,
                                         const std::vector<std::string>& options);

} // namespace lb::test
