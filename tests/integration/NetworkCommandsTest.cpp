// echo / find / retrieve / send / listen against a real Orthanc and dcmtk's tools.
#include "tests/integration/NetworkTestSupport.h"

#include <csignal>
#include <set>

namespace lb::test {
namespace {

const std::string kCt = "ct_philips_ingenuity_phantom";
const std::string kEnhancedMr = "mr_siemens_vida_enhanced_multiframe";
const std::string kSmallMr = "mr_philips_achieva_epi_rescaled";

TEST_F(NetworkTest, NodesAndSettingsAreStoredInTheCache)
{
    const auto added = cliJson(m_cache, "nodes add pacs --ae PACS1 --host 10.1.2.3 --port 4242 --method get");
    EXPECT_EQ(added.value("method", ""), "get");
    const auto nodes = cliJson(m_cache, "nodes list");
    ASSERT_EQ(nodes.size(), 1u);
    EXPECT_EQ(nodes[0].value("ae", ""), "PACS1");
    EXPECT_EQ(nodes[0].value("port", 0), 4242);
    const auto defaults = cliJson(m_cache, "settings list");
    EXPECT_EQ(defaults.value("local-ae", ""), "LIGHTBOX");
    EXPECT_EQ(defaults.value("storage-port", 0), 11112);
    EXPECT_EQ(cli(m_cache, "settings set local-ae WS_07").exitCode, 0);
    EXPECT_EQ(cli(m_cache, "settings set storage-port 70000").exitCode, 2);
    EXPECT_EQ(cli(m_cache, "settings set local-ae THIS_AE_IS_FAR_TOO_LONG").exitCode, 2);
    EXPECT_EQ(cli(m_cache, "nodes add bad --ae X --host h --port 0").exitCode, 2);
    EXPECT_EQ(cliJson(m_cache, "settings list").value("local-ae", ""), "WS_07");
    EXPECT_EQ(cli(m_cache, "nodes remove pacs").exitCode, 0);
    EXPECT_EQ(cli(m_cache, "nodes remove pacs").exitCode, 5);
    EXPECT_TRUE(cliJson(m_cache, "nodes list").empty());
}

TEST_F(NetworkTest, EchoSucceedsAndFailuresNameThePeerAndTheReason)
{
    startOrthanc();
    addNode(m_cache, "orthanc");
    EXPECT_EQ(cliJson(m_cache, "echo orthanc").value("ok", false), true);

    ASSERT_EQ(cli(m_cache, "nodes add wrongae --ae NOT_ORTHANC --host 127.0.0.1 --port " +
                               std::to_string(m_orthanc->dicomPort())).exitCode, 0);
    auto result = cliWithErrors(m_cache, "echo wrongae");
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(result.out.find("wrongae (NOT_ORTHANC@127.0.0.1:"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("Called AE Title Not Recognized"), std::string::npos) << result.out;

    ASSERT_EQ(cli(m_cache, "settings set local-ae STRANGER").exitCode, 0);
    result = cliWithErrors(m_cache, "echo orthanc");
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(result.out.find("Calling AE Title Not Recognized"), std::string::npos) << result.out;
    ASSERT_EQ(cli(m_cache, "settings set local-ae LIGHTBOX").exitCode, 0);

    ASSERT_EQ(cli(m_cache, "nodes add closed --ae ORTHANC --host 127.0.0.1 --port " + std::to_string(freeTcpPort())).exitCode, 0);
    result = cliWithErrors(m_cache, "echo closed");
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(result.out.find("Connection refused"), std::string::npos) << result.out;

    // A peer that accepts the connection and then says nothing: reported within its timeout.
    const int silentPort = freeTcpPort();
    ChildProcess silent({LB_SYSTEM_PYTHON, "-c",
                         "import socket,time,sys; s=socket.socket(); s.bind(('127.0.0.1',int(sys.argv[1]))); s.listen(); "
                         "c=s.accept(); time.sleep(60)",
                         std::to_string(silentPort)},
                        m_temp / "silent.log");
    ASSERT_TRUE(waitForPort(silentPort, std::chrono::seconds(10)));
    ASSERT_EQ(cli(m_cache, "nodes add silent --ae ORTHANC --host 127.0.0.1 --connect-timeout 2 --timeout 2 --port " +
                               std::to_string(silentPort)).exitCode, 0);
    const auto start = std::chrono::steady_clock::now();
    result = cliWithErrors(m_cache, "echo silent");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(result.out.find("silent (ORTHANC@127.0.0.1:"), std::string::npos) << result.out;
    EXPECT_LT(seconds, 5.0) << result.out;
}

TEST_F(NetworkTest, FindReturnsWhatOrthancHolds)
{
    startOrthanc();
    for (const auto& series : {kCt, kEnhancedMr, kSmallMr}) loadIntoOrthanc(series);
    addNode(m_cache, "orthanc");

    // Study level: the same studies, with the same instance counts, as Orthanc's REST API.
    std::map<std::string, int> expected;
    for (const auto& study : m_orthanc->get("/studies?expand")) {
        const std::string uid = study["MainDicomTags"].value("StudyInstanceUID", "");
        int instances = 0;
        for (const auto& series : study["Series"])
            instances += static_cast<int>(m_orthanc->get("/series/" + series.get<std::string>())["Instances"].size());
        expected[uid] = instances;
    }
    ASSERT_EQ(expected.size(), 3u);
    std::map<std::string, int> found;
    for (const auto& match : cliJson(m_cache, "find orthanc")) found[match.value("study_uid", "")] = match.value("num_instances", -1);
    EXPECT_EQ(found, expected);

    // Keys narrow the match: patient ID, modality, date range.
    const std::string ctStudy = studyUidOf(kCt);
    const auto byModality = cliJson(m_cache, "find orthanc --modality CT");
    ASSERT_EQ(byModality.size(), 1u);
    EXPECT_EQ(byModality[0].value("study_uid", ""), ctStudy);
    const std::string patientId = byModality[0].value("patient_id", "");
    const auto byPatient = cliJson(m_cache, "find orthanc --patient-id " + shellQuote(patientId));
    ASSERT_GE(byPatient.size(), 1u);
    for (const auto& match : byPatient) EXPECT_EQ(match.value("patient_id", ""), patientId);
    const std::string date = byModality[0].value("study_date", "");
    ASSERT_EQ(date.size(), 8u);
    EXPECT_EQ(cliJson(m_cache, "find orthanc --modality CT --study-date " + date + "-").size(), 1u);
    EXPECT_EQ(cliJson(m_cache, "find orthanc --modality CT --study-date -19000101").size(), 0u);

    // Series and image levels of the CT study: localizer + axial, every instance.
    const auto series = cliJson(m_cache, "find orthanc --level series --study " + ctStudy);
    EXPECT_EQ(series.size(), 2u);
    int instances = 0;
    for (const auto& s : series) {
        const auto images = cliJson(m_cache, "find orthanc --level image --study " + ctStudy + " --series " +
                                                 s.value("series_uid", ""));
        EXPECT_EQ(static_cast<int>(images.size()), s.value("num_instances", -1));
        instances += static_cast<int>(images.size());
    }
    EXPECT_EQ(instances, expected[ctStudy]);
}

TEST_F(NetworkTest, MoveAndGetRetrieveTheArchivesBytesIntoTheCache)
{
    startOrthanc();
    loadIntoOrthanc(kCt);
    loadIntoOrthanc(kEnhancedMr);
    addNode(m_cache, "orthanc");
    const std::string ct = studyUidOf(kCt);
    const std::string mr = studyUidOf(kEnhancedMr);
    const int ctCount = static_cast<int>(dicomFilesUnder(testData() / kCt).size());
    const int mrCount = static_cast<int>(dicomFilesUnder(testData() / kEnhancedMr).size());

    const auto moved = cliJson(m_cache, "retrieve orthanc --method move --study " + ct);
    EXPECT_TRUE(moved.value("complete", false)) << moved.dump(2);
    EXPECT_EQ(moved.value("completed", -1), ctCount);
    EXPECT_EQ(moved.value("local_instances", -1), ctCount);
    expectByteIdenticalToOrthanc(m_cache, ct, ctCount);

    const auto got = cliJson(m_cache, "retrieve orthanc --method get --study " + mr);
    EXPECT_TRUE(got.value("complete", false)) << got.dump(2);
    EXPECT_EQ(got.value("received", -1), mrCount);
    expectByteIdenticalToOrthanc(m_cache, mr, mrCount);

    // Again: everything is local, nothing travels.
    const auto again = cliJson(m_cache, "retrieve orthanc --study " + ct);
    EXPECT_TRUE(again.value("complete", false));
    EXPECT_EQ(again.value("already_local", -1), ctCount);
    EXPECT_EQ(again.value("received", -1), 0);
    EXPECT_EQ(cli(m_cache, "check").exitCode, 0);
}

TEST_F(NetworkTest, SendStoresTheCachedStudyInOrthanc)
{
    startOrthanc();
    addNode(m_cache, "orthanc");
    ASSERT_EQ(cli(m_cache, "import " + shellQuote((testData() / kSmallMr).string())).exitCode, 0);
    const std::string study = studyUidOf(kSmallMr);
    const int count = localInstanceCount(m_cache, study);
    ASSERT_GT(count, 0);
    const auto sent = cliJson(m_cache, "send orthanc --study " + study);
    EXPECT_EQ(sent.value("sent", -1), count) << sent.dump(2);
    EXPECT_EQ(sent.value("failed", -1), 0);
    EXPECT_EQ(m_orthanc->instanceCount(), count);
    for (const auto& series : cliJson(m_cache, "series " + study))
        for (const auto& instance : cliJson(m_cache, "instances " + series.value("series_uid", "")))
            EXPECT_FALSE(m_orthanc->fileOf(instance.value("sop_instance_uid", "")).empty());
}

TEST_F(NetworkTest, StorageScpAcceptsOnlyConfiguredCallers)
{
    // The configured node is "ORTHANC"; nothing needs to run there for this test.
    ASSERT_EQ(cli(m_cache, "nodes add archive --ae ORTHANC --host 127.0.0.1 --port 104").exitCode, 0);
    ASSERT_EQ(cli(m_cache, "settings set storage-port " + std::to_string(m_storagePort)).exitCode, 0);
    ChildProcess listener({LB_CLI, "--cache", m_cache.string(), "--json", "listen"}, m_temp / "listen.log");
    ASSERT_TRUE(waitForPort(m_storagePort, std::chrono::seconds(10))) << listener.output();

    const auto files = dicomFilesUnder(testData() / kSmallMr);
    auto storescu = [&](const std::string& calling, const std::string& called) {
        return runCommand("TCP_NODELAY=1 storescu -aet " + calling + " -aec " + called + " 127.0.0.1 " +
                          std::to_string(m_storagePort) + " " + shellQuote(files.front().string()) + " 2>&1");
    };
    auto intruder = storescu("INTRUDER", "LIGHTBOX");
    EXPECT_NE(intruder.exitCode, 0);
    EXPECT_NE(intruder.out.find("Calling AE Title Not Recognized"), std::string::npos) << intruder.out;
    auto wrongCalled = storescu("ORTHANC", "SOMEONE_ELSE");
    EXPECT_NE(wrongCalled.exitCode, 0);
    EXPECT_NE(wrongCalled.out.find("Called AE Title Not Recognized"), std::string::npos) << wrongCalled.out;
    auto known = storescu("ORTHANC", "LIGHTBOX");
    EXPECT_EQ(known.exitCode, 0) << known.out;

    listener.signal(SIGINT);
    ASSERT_EQ(listener.waitExit(std::chrono::seconds(10)), 0) << listener.output();
    const std::string log = listener.output();
    EXPECT_NE(log.find("rejected 'INTRUDER' from 127.0.0.1"), std::string::npos) << log;
    // No PHI in the log: the patient's name and ID stay out.
    const auto patient = runPython("import pydicom, sys; d = pydicom.dcmread(sys.argv[1]); print(d.PatientName); print(d.PatientID)",
                                   {files.front().string()});
    for (const auto& value : splitLines(patient.out))
        if (value.size() > 3) EXPECT_EQ(log.find(value), std::string::npos) << "PHI in the log: " << value;
    EXPECT_EQ(localInstanceCount(m_cache, studyUidOf(kSmallMr)), 1);
}

TEST_F(NetworkTest, FiftySmallStoresEachWayKeepUpWithDcmtk)
{
    // Out: our C-STORE SCU to dcmtk's storescp.
    const auto dir = m_temp / "small";
    makeManyInstances(dir, 50, 50);
    ASSERT_EQ(cli(m_cache, "import " + shellQuote(dir.string())).exitCode, 0);
    const auto studies = cliJson(m_cache, "studies");
    ASSERT_EQ(studies.size(), 1u);
    const int scpPort = freeTcpPort();
    std::filesystem::create_directories(m_temp / "received");
    ChildProcess storescp({"storescp", "-aet", "STORESCP", "-od", (m_temp / "received").string(), std::to_string(scpPort)},
                          m_temp / "storescp.log", {{"TCP_NODELAY", "1"}});
    ASSERT_TRUE(waitForPort(scpPort, std::chrono::seconds(10)));
    ASSERT_EQ(cli(m_cache, "nodes add scp --ae STORESCP --host 127.0.0.1 --port " + std::to_string(scpPort)).exitCode, 0);
    const auto sent = cliJson(m_cache, "send scp --study " + studies[0].value("study_uid", ""));
    EXPECT_EQ(sent.value("sent", -1), 50);
    EXPECT_LT(sent.value("seconds", 99.0), 0.5) << "Nagle's algorithm left on?";

    // In: dcmtk's storescu to our storage SCP, indexing into the cache. Our SCP answers each
    // C-STORE only once the instance is durable and indexed (storescp answers before anything is
    // on disk), so it is held to storescp timed in the same run, on the same files, under the
    // same load, rather than to a wall-clock figure that a busy machine alone can break.
    std::string toStorescp = "TCP_NODELAY=1 storescu -aet STORESCU -aec STORESCP 127.0.0.1 " + std::to_string(scpPort);
    for (const auto& file : filesUnder(dir)) toStorescp += " " + shellQuote(file.string());
    const auto peerStart = std::chrono::steady_clock::now();
    ASSERT_EQ(runCommand(toStorescp + " 2>&1").exitCode, 0);
    const double peerSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - peerStart).count();
    const auto inbound = m_temp / "inbound-cache";
    ASSERT_EQ(cli(inbound, "nodes add sender --ae STORESCU --host 127.0.0.1 --port 104").exitCode, 0);
    ASSERT_EQ(cli(inbound, "settings set storage-port " + std::to_string(m_storagePort)).exitCode, 0);
    ChildProcess listener({LB_CLI, "--cache", inbound.string(), "listen"}, m_temp / "listen.log");
    ASSERT_TRUE(waitForPort(m_storagePort, std::chrono::seconds(10)));
    std::string command = "TCP_NODELAY=1 storescu -aet STORESCU -aec LIGHTBOX 127.0.0.1 " + std::to_string(m_storagePort);
    for (const auto& file : filesUnder(dir)) command += " " + shellQuote(file.string());
    const auto start = std::chrono::steady_clock::now();
    const auto stored = runCommand(command + " 2>&1");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(stored.exitCode, 0) << stored.out;
    // Under ASan/UBSan (or TSan) our SCP, parser and SQLite calls are instrumented and storescp
    // is not: measured 0.77 s vs 0.13 s under ASan with a build beside it. The bound stays, wider.
#if defined(LB_INSTRUMENTED)
    constexpr double kInstrumentation = 3;
#else
    constexpr double kInstrumentation = 1;
#endif
    EXPECT_LT(seconds, kInstrumentation * (4 * peerSeconds + 0.2)) << "50 C-STOREs into our SCP vs storescp's " << peerSeconds << " s";
    EXPECT_LT(seconds, kInstrumentation * 3.0) << "50 C-STOREs into our SCP (incl. storescu's start)";
    listener.signal(SIGINT);
    ASSERT_EQ(listener.waitExit(std::chrono::seconds(10)), 0) << listener.output();
    EXPECT_EQ(cliJson(inbound, "studies").at(0).value("num_instances", -1), 50);
}

} // namespace
} // namespace lb::test
