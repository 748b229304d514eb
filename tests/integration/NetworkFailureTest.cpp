// Retrieves that go wrong: the archive killed, the link cut, the user cancelling, two
// retrieves of one study at once. The cache stays consistent and a resume completes it.
#include "tests/integration/NetworkTestSupport.h"

#include <csignal>
#include <cstring>
#include <thread>

namespace lb::test {
namespace {

// 130 instances, 19 MB: long enough to interrupt when slowed down.
const std::string kLargeMr = "mr_ge_pioneer_t1_mprage_3d";

class RetrieveFailureTest : public NetworkTest {
protected:
    void SetUp() override
    {
        NetworkTest::SetUp();
        startOrthanc();
        loadIntoOrthanc(kLargeMr);
        m_study = studyUidOf(kLargeMr);
        m_total = static_cast<int>(dicomFilesUnder(testData() / kLargeMr).size());
        ASSERT_EQ(m_orthanc->instanceCount(), m_total);
    }

    std::unique_ptr<ChildProcess> startRetrieve(const std::string& node, const std::string& name)
    {
        return std::make_unique<ChildProcess>(
            std::vector<std::string>{LB_CLI, "--cache", m_cache.string(), "--json", "retrieve", node, "--study", m_study},
            m_temp / (name + ".log"));
    }

    // Waits until at least `count` instances are in the cache (or the retrieve ended).
    void waitForLocalInstances(int count, ChildProcess& retrieve)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < deadline && retrieve.running() &&
               localInstanceCount(m_cache, m_study) < count)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }

    void expectConsistentCache()
    {
        const auto check = cliJson(m_cache, "check");
        EXPECT_TRUE(check.value("consistent", false)) << check.dump(2);
    }

    // A retrieve straight from Orthanc fetches exactly what is missing and completes.
    void expectResumeCompletes(int alreadyLocal)
    {
        addNode(m_cache, "direct");
        const auto resumed = cliJson(m_cache, "retrieve direct --study " + m_study);
        EXPECT_TRUE(resumed.value("complete", false)) << resumed.dump(2);
        EXPECT_EQ(resumed.value("already_local", -1), alreadyLocal);
        EXPECT_EQ(resumed.value("requested", -1), m_total - alreadyLocal);
        EXPECT_EQ(resumed.value("local_instances", -1), m_total);
        expectConsistentCache();
        expectByteIdenticalToOrthanc(m_cache, m_study, m_total);
        EXPECT_TRUE(cliJson(m_cache, "series " + m_study).at(0).value("complete", false));
    }

    std::string m_study;
    int m_total = 0;
};

TEST_F(RetrieveFailureTest, ArchiveKilledMidRetrieveThenResumeFetchesOnlyWhatIsMissing)
{
    // C-GET through a proxy slowed to 2 MB/s, so the archive can be killed half way.
    const int proxyPort = freeTcpPort();
    auto proxy = startProxy(m_temp / "proxy.log", proxyPort, m_orthanc->dicomPort(), {"--rate", "2000000"});
    addNode(m_cache, "slow", proxyPort, "--method get --timeout 5");
    auto retrieve = startRetrieve("slow", "retrieve");
    waitForLocalInstances(10, *retrieve);
    m_orthanc->killHard();
    const auto exit = retrieve->waitExit(std::chrono::seconds(15));
    ASSERT_TRUE(exit.has_value()) << "the retrieve did not notice the dead archive";
    EXPECT_EQ(*exit, 1) << retrieve->output();
    EXPECT_NE(retrieve->output().find("slow (ORTHANC@127.0.0.1:"), std::string::npos) << retrieve->output();

    const int partial = localInstanceCount(m_cache, m_study);
    EXPECT_GT(partial, 0);
    EXPECT_LT(partial, m_total);
    expectConsistentCache();
    // The series shows as incomplete, n of m, until the resume.
    const auto series = cliJson(m_cache, "series " + m_study);
    ASSERT_EQ(series.size(), 1u);
    EXPECT_EQ(series[0].value("expected_instances", -1), m_total);
    EXPECT_FALSE(series[0].value("complete", true));
    EXPECT_NE(cli(m_cache, "series " + m_study).out.find("INCOMPLETE (" + std::to_string(partial) + " of " +
                                                          std::to_string(m_total) + ")"),
              std::string::npos);

    m_orthanc->start(); // same storage, new ports
    expectResumeCompletes(partial);
}

TEST_F(RetrieveFailureTest, LinkCutMidRetrieveThenResumeCompletes)
{
    // Cut after 3 MB from the archive (about 20 of 130 instances): the peer is gone without a
    // word, in the middle of a C-STORE.
    const int proxyPort = freeTcpPort();
    auto proxy = startProxy(m_temp / "proxy.log", proxyPort, m_orthanc->dicomPort(), {"--cut-after", "3000000"});
    addNode(m_cache, "flaky", proxyPort, "--method get --timeout 5");
    auto retrieve = startRetrieve("flaky", "retrieve");
    const auto exit = retrieve->waitExit(std::chrono::seconds(20));
    ASSERT_TRUE(exit.has_value()) << "the retrieve did not notice the cut";
    EXPECT_EQ(*exit, 1) << retrieve->output();
    EXPECT_NE(retrieve->output().find("flaky (ORTHANC@127.0.0.1:"), std::string::npos) << retrieve->output();
    const int partial = localInstanceCount(m_cache, m_study);
    EXPECT_GT(partial, 0);
    EXPECT_LT(partial, m_total);
    expectConsistentCache();
    expectResumeCompletes(partial);
}

TEST_F(RetrieveFailureTest, CancelEndsTheRetrieveWithinTwoSeconds)
{
    const int proxyPort = freeTcpPort();
    auto proxy = startProxy(m_temp / "proxy.log", proxyPort, m_orthanc->dicomPort(), {"--rate", "1000000"});
    addNode(m_cache, "slow", proxyPort, "--method get");
    auto retrieve = startRetrieve("slow", "retrieve");
    waitForLocalInstances(3, *retrieve);
    ASSERT_TRUE(retrieve->running()) << retrieve->output();
    const auto start = std::chrono::steady_clock::now();
    retrieve->signal(SIGINT);
    const auto exit = retrieve->waitExit(std::chrono::seconds(10));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(exit.has_value());
    std::printf("cancel: retrieve ended %.2f s after SIGINT\n", seconds);
    EXPECT_LT(seconds, 2.0) << retrieve->output();
    EXPECT_EQ(*exit, 6) << retrieve->output();
    const auto report = nlohmann::json::parse(retrieve->output().substr(retrieve->output().find('{')));
    EXPECT_TRUE(report.value("cancelled", false));
    EXPECT_FALSE(report.value("complete", true));
    const int partial = localInstanceCount(m_cache, m_study);
    EXPECT_LT(partial, m_total);
    expectConsistentCache();
    expectResumeCompletes(partial);
}

TEST_F(RetrieveFailureTest, TwoRetrievesOfTheSameStudyAtOnceEndWithOneCopy)
{
    addNode(m_cache, "orthanc", 0, "--method get");
    auto first = startRetrieve("orthanc", "first");
    auto second = startRetrieve("orthanc", "second");
    EXPECT_EQ(first->waitExit(std::chrono::seconds(60)), 0) << first->output();
    EXPECT_EQ(second->waitExit(std::chrono::seconds(60)), 0) << second->output();
    EXPECT_EQ(localInstanceCount(m_cache, m_study), m_total);
    const auto check = cliJson(m_cache, "check");
    EXPECT_TRUE(check.value("consistent", false)) << check.dump(2);
    EXPECT_EQ(check.value("instances", -1), m_total);
    EXPECT_EQ(check.value("files_in_store", -1), m_total);
}

TEST_F(RetrieveFailureTest, QueuedRetrieveSurvivesAKilledProcessAndResumes)
{
    const int proxyPort = freeTcpPort();
    auto proxy = startProxy(m_temp / "proxy.log", proxyPort, m_orthanc->dicomPort(), {"--rate", "2000000"});
    addNode(m_cache, "pacs", proxyPort, "--method get");
    ASSERT_EQ(cliJson(m_cache, "queue add pacs --study " + m_study).value("id", -1), 1);
    auto runner = std::make_unique<ChildProcess>(
        std::vector<std::string>{LB_CLI, "--cache", m_cache.string(), "queue", "run"}, m_temp / "run1.log");
    waitForLocalInstances(10, *runner);
    runner->signal(SIGKILL); // the workstation dies mid-transfer
    runner->waitExit(std::chrono::seconds(5));
    const int partial = localInstanceCount(m_cache, m_study);
    EXPECT_GT(partial, 0);
    EXPECT_LT(partial, m_total);
    expectConsistentCache();
    const auto jobs = cliJson(m_cache, "queue list");
    ASSERT_EQ(jobs.size(), 1u);
    EXPECT_EQ(jobs[0].value("state", ""), "running") << "the dead runner left it running";
    EXPECT_FALSE(cliJson(m_cache, "series " + m_study).at(0).value("complete", true));

    // Next start: the job is queued again and fetches only what is missing (now at full speed).
    addNode(m_cache, "pacs", 0, "--method get");
    const auto run = cliWithErrors(m_cache, "queue run");
    EXPECT_EQ(run.exitCode, 0) << run.out;
    const auto after = cliJson(m_cache, "queue list");
    EXPECT_EQ(after[0].value("state", ""), "done") << after.dump(2);
    EXPECT_EQ(after[0].value("attempts", 0), 2);
    EXPECT_EQ(localInstanceCount(m_cache, m_study), m_total);
    expectConsistentCache();
    expectByteIdenticalToOrthanc(m_cache, m_study, m_total);
}

TEST_F(RetrieveFailureTest, QueueCancelFromAnotherProcessThenRetry)
{
    const int proxyPort = freeTcpPort();
    auto proxy = startProxy(m_temp / "proxy.log", proxyPort, m_orthanc->dicomPort(), {"--rate", "1000000"});
    addNode(m_cache, "pacs", proxyPort, "--method get");
    ASSERT_EQ(cli(m_cache, "queue add pacs --study " + m_study).exitCode, 0);
    auto runner = std::make_unique<ChildProcess>(
        std::vector<std::string>{LB_CLI, "--cache", m_cache.string(), "queue", "run"}, m_temp / "run.log");
    waitForLocalInstances(3, *runner);
    const auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(cli(m_cache, "queue cancel 1").exitCode, 0);
    const auto exit = runner->waitExit(std::chrono::seconds(10));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(exit.has_value()) << runner->output();
    EXPECT_EQ(*exit, 6) << runner->output();
    EXPECT_LT(seconds, 3.0) << runner->output();
    EXPECT_EQ(cliJson(m_cache, "queue list").at(0).value("state", ""), "cancelled");
    expectConsistentCache();

    addNode(m_cache, "pacs", 0, "--method get");
    ASSERT_EQ(cli(m_cache, "queue retry 1").exitCode, 0);
    EXPECT_EQ(cliWithErrors(m_cache, "queue run").exitCode, 0);
    EXPECT_EQ(cliJson(m_cache, "queue list").at(0).value("state", ""), "done");
    EXPECT_EQ(localInstanceCount(m_cache, m_study), m_total);
}

TEST_F(NetworkTest, QueueRunsHigherPriorityFirstAndHonoursTheNodesAssociationLimit)
{
    startOrthanc();
    const std::vector<std::string> series = {"ct_philips_ingenuity_phantom", "mr_philips_achieva_epi_rescaled",
                                             "mr_siemens_vida_enhanced_multiframe"};
    for (const auto& s : series) loadIntoOrthanc(s);
    addNode(m_cache, "pacs", 0, "--max-associations 1");
    ASSERT_EQ(cli(m_cache, "queue add pacs --study " + studyUidOf(series[0])).exitCode, 0);
    ASSERT_EQ(cli(m_cache, "queue add pacs --study " + studyUidOf(series[1]) + " --method get").exitCode, 0);
    ASSERT_EQ(cli(m_cache, "queue add pacs --study " + studyUidOf(series[2]) + " --priority 5").exitCode, 0);
    const auto run = cliWithErrors(m_cache, "queue run");
    EXPECT_EQ(run.exitCode, 0) << run.out;
    // One at a time (the node allows one association), the priority-5 job first, then by age.
    std::vector<std::string> events;
    for (const auto& line : splitLines(run.out)) {
        for (const char* state : {" running", " done"})
            if (line.size() > std::strlen(state) && line.compare(line.size() - std::strlen(state), std::string::npos, state) == 0)
                events.push_back(line.substr(line.find("job ")));
    }
    const std::vector<std::string> expected = {"job 3 running", "job 3 done", "job 1 running", "job 1 done",
                                               "job 2 running", "job 2 done"};
    EXPECT_EQ(events, expected) << run.out;
    for (const auto& s : series)
        EXPECT_EQ(localInstanceCount(m_cache, studyUidOf(s)), static_cast<int>(dicomFilesUnder(testData() / s).size()));
}

} // namespace
} // namespace lb::test
