#include "tests/integration/NetworkTestSupport.h"

namespace lb::test {

void NetworkTest::SetUp()
{
    m_cache = m_temp / "cache";
    m_storagePort = freeTcpPort();
}

void NetworkTest::startOrthanc()
{
    m_orthanc = std::make_unique<OrthancServer>(m_temp / "orthanc",
                                                std::vector<OrthancModality>{{"lightbox", "LIGHTBOX", m_storagePort}});
}

void NetworkTest::addNode(const std::filesystem::path& cacheDir, const std::string& name, int port,
                          const std::string& extraFlags)
{
    const int target = port ? port : m_orthanc->dicomPort();
    ASSERT_EQ(cli(cacheDir, "nodes add " + name + " --ae ORTHANC --host 127.0.0.1 --port " + std::to_string(target) + " " +
                                extraFlags).exitCode, 0);
    ASSERT_EQ(cli(cacheDir, "settings set storage-port " + std::to_string(m_storagePort)).exitCode, 0);
}

void NetworkTest::loadIntoOrthanc(const std::string& testdataSeries)
{
    m_orthanc->storeWithStorescu(dicomFilesUnder(testData() / testdataSeries), "LIGHTBOX");
}

std::string NetworkTest::studyUidOf(const std::string& testdataSeries)
{
    const auto files = dicomFilesUnder(testData() / testdataSeries);
    if (files.empty()) return {};
    const auto result = runPython("import pydicom, sys; print(pydicom.dcmread(sys.argv[1], stop_before_pixels=True).StudyInstanceUID)",
                                  {files.front().string()});
    std::string uid = result.out;
    while (!uid.empty() && (uid.back() == '\n' || uid.back() == ' ')) uid.pop_back();
    return uid;
}

int NetworkTest::localInstanceCount(const std::filesystem::path& cacheDir, const std::string& studyUid)
{
    const auto result = cli(cacheDir, "--json series " + studyUid);
    if (result.exitCode != 0) return 0;
    int count = 0;
    for (const auto& series : nlohmann::json::parse(result.out)) count += series.value("num_instances", 0);
    return count;
}

void NetworkTest::expectByteIdenticalToOrthanc(const std::filesystem::path& cacheDir, const std::string& studyUid,
                                               int expectedInstances)
{
    int compared = 0;
    for (const auto& series : cliJson(cacheDir, "series " + studyUid)) {
        for (const auto& instance : cliJson(cacheDir, "instances " + series.value("series_uid", ""))) {
            const std::string sop = instance.value("sop_instance_uid", "");
            const std::string archived = datasetBytes(m_orthanc->fileOf(sop));
            ASSERT_FALSE(archived.empty()) << "Orthanc has no file for " << sop;
            EXPECT_TRUE(datasetBytes(readFileBytes(instance.value("file", ""))) == archived)
                << sop << ": the cached data set differs from the archive's";
            ++compared;
        }
    }
    EXPECT_EQ(compared, expectedInstances);
}

std::unique_ptr<ChildProcess> startProxy(const std::filesystem::path& logFile, int listenPort, int targetPort,
                                         const std::vector<std::string>& options)
{
    std::vector<std::string> argv = {LB_SYSTEM_PYTHON, (sourceDir() / "tests/support/tcp_proxy.py").string(), "--listen",
                                     std::to_string(listenPort), "--target", "127.0.0.1:" + std::to_string(targetPort)};
    argv.insert(argv.end(), options.begin(), options.end());
    auto proxy = std::make_unique<ChildProcess>(argv, logFile);
    EXPECT_TRUE(waitForPort(listenPort, std::chrono::seconds(10))) << proxy->output();
    return proxy;
}

} // namespace lb::test
