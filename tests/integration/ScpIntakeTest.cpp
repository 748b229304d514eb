// What our storage SCP answers a real sender (dcmtk's storescu): success only for what is in
// the cache by then; a failure status with the reason for a file that would crash a parser, for
// another patient's instance in a cached study; and nothing that was refused is re-imported by
// the next receiver.
#include "tests/integration/NetworkTestSupport.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/HostileFiles.h"

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lb::test {
namespace {

class ScpIntake : public NetworkTest {
protected:
    void SetUp() override
    {
        NetworkTest::SetUp();
        ASSERT_EQ(cli(m_cache, "nodes add sender --ae STORESCU --host 127.0.0.1 --port 104").exitCode, 0);
        ASSERT_EQ(cli(m_cache, "settings set storage-port " + std::to_string(m_storagePort)).exitCode, 0);
        ASSERT_EQ(cli(m_cache, "settings set min-free-mb 1").exitCode, 0);
    }

    void startListener()
    {
        m_listener = std::make_unique<ChildProcess>(std::vector<std::string>{LB_CLI, "--cache", m_cache.string(), "listen"},
                                                    m_temp / ("listen" + std::to_string(m_listens++) + ".log"));
        ASSERT_TRUE(waitForPort(m_storagePort, std::chrono::seconds(10))) << m_listener->output();
    }

    std::string stopListener()
    {
        m_listener->signal(SIGINT);
        EXPECT_EQ(m_listener->waitExit(std::chrono::seconds(10)), 0) << m_listener->output();
        return m_listener->output();
    }

    // storescu -v prints each response's status; returns its whole output.
    std::string store(const std::filesystem::path& file)
    {
        return runCommand("TCP_NODELAY=1 storescu -v -aet STORESCU -aec LIGHTBOX 127.0.0.1 " + std::to_string(m_storagePort)
                          + " " + shellQuote(file.string()) + " 2>&1")
            .out;
    }

    std::unique_ptr<ChildProcess> m_listener;
    int m_listens = 0;
};

TEST_F(ScpIntake, AFileThatWouldCrashTheParserGetsCannotUnderstandAndTheScpLives)
{
    startListener();
    const auto poison = writeNestedSequenceFile(m_temp / "nested.dcm", 20000, Nesting::ExplicitUndefined);
    // Sent raw: dcmtk's storescu itself dies parsing this file before sending it.
    const auto raw = runPythonFile(sourceDir() / "tests/support/raw_storescu.py",
                                   {"STORESCU", "LIGHTBOX", std::to_string(m_storagePort), poison.string()});
    EXPECT_NE(raw.exitCode, 0) << raw.out;
    EXPECT_NE(raw.out.find("status 0xC000"), std::string::npos) << raw.out;
    EXPECT_NE(raw.out.find("comment: Malformed: sequence nesting deeper than 64"), std::string::npos) << raw.out;

    // Still serving, and a good file is in the cache by the time its success arrives.
    const auto good = pydicomTestFiles() / "CT_small.dcm";
    const std::string ok = store(good);
    EXPECT_NE(ok.find("Success"), std::string::npos) << ok;
    const auto studies = cliJson(m_cache, "studies"); // read while the listener still runs
    ASSERT_EQ(studies.size(), 1u);
    EXPECT_EQ(studies[0].value("num_instances", 0), 1);
    const std::string log = stopListener();
    EXPECT_NE(log.find("sequence nesting deeper than 64"), std::string::npos) << log;

    // Nothing of the poison was left to trip the next receiver.
    EXPECT_TRUE(filesUnder(m_cache / "incoming").empty());
    startListener();
    EXPECT_NE(store(good).find("Success"), std::string::npos);
    stopListener();
    EXPECT_EQ(cliJson(m_cache, "quarantine list").size(), 0u);
}

TEST_F(ScpIntake, AnotherPatientsInstanceInACachedStudyIsRefusedAndQuarantined)
{
    ASSERT_EQ(cli(m_cache, "import " + shellQuote((pydicomTestFiles() / "CT_small.dcm").string())).exitCode, 0);
    const auto intruder = m_temp / "other-patient.dcm";
    const auto written = runPython("import sys, pydicom\n"
                                   "ds = pydicom.dcmread(sys.argv[1])\n"
                                   "ds.PatientID = 'SOMEONE-ELSE'\n"
                                   "ds.SOPInstanceUID = '1.2.826.0.1.3680043.10.1234.11.1'\n"
                                   "ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID\n"
                                   "ds.save_as(sys.argv[2])\n",
                                   {(pydicomTestFiles() / "CT_small.dcm").string(), intruder.string()});
    ASSERT_EQ(written.exitCode, 0) << written.out;
    startListener();
    const std::string answer = store(intruder);
    EXPECT_NE(answer.find("CannotUnderstand"), std::string::npos) << answer;
    stopListener();
    const auto studies = cliJson(m_cache, "studies");
    ASSERT_EQ(studies.size(), 1u);
    EXPECT_EQ(studies[0].value("num_instances", 0), 1) << "another patient's image joined the study";
    const auto quarantined = cliJson(m_cache, "quarantine list");
    ASSERT_EQ(quarantined.size(), 1u);
    EXPECT_EQ(quarantined[0].value("patient_id", ""), "SOMEONE-ELSE");
    EXPECT_EQ(quarantined[0].value("sop_uid", ""), "1.2.826.0.1.3680043.10.1234.11.1");
    EXPECT_NE(quarantined[0].value("reason", "").find("another patient"), std::string::npos);
    for (const char* key : {"id", "reason", "received", "patient_id", "study_uid", "sop_uid"})
        EXPECT_TRUE(quarantined[0].contains(key)) << key;

    // Restoring cannot merge it; once the other study is gone, it can.
    const int id = quarantined[0].value("id", 0);
    EXPECT_EQ(cli(m_cache, "quarantine restore " + std::to_string(id)).exitCode, 6);
    ASSERT_EQ(cli(m_cache, "delete " + studies[0].value("study_uid", "")).exitCode, 0);
    EXPECT_EQ(cli(m_cache, "quarantine restore " + std::to_string(id)).exitCode, 0);
    EXPECT_EQ(cliJson(m_cache, "quarantine list").size(), 0u);
    EXPECT_EQ(cliJson(m_cache, "studies").at(0).value("patient_id", ""), "SOMEONE-ELSE");
}

TEST_F(ScpIntake, SilentConnectionsAndAGreedyPeerLockNobodyOut)
{
    // Two hosts may store: 127.0.0.1 and 127.0.0.2 (another address on the loopback network).
    ASSERT_EQ(cli(m_cache, "nodes add other --ae STORESCU --host 127.0.0.2 --port 104").exitCode, 0);
    startListener();
    // Three connections that never say a word (each held the one acceptor for 10 s before).
    std::vector<int> silent;
    for (int i = 0; i < 3; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(m_storagePort));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
        silent.push_back(fd);
    }
    const auto start = std::chrono::steady_clock::now();
    const auto echo = runCommand("echoscu -aet STORESCU -aec LIGHTBOX 127.0.0.1 " + std::to_string(m_storagePort) + " 2>&1");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(echo.exitCode, 0) << echo.out;
    EXPECT_LT(seconds, 2.0) << "an echo waited behind silent connections";
    for (int fd : silent) ::close(fd);

    // One host holding its share of idle associations (4) is refused a fifth; another host is not.
    const auto hog = runPythonFile(sourceDir() / "tests/support/association_hog.py",
                                   {"STORESCU", "LIGHTBOX", std::to_string(m_storagePort), "4"});
    EXPECT_NE(hog.out.find("held 4"), std::string::npos) << hog.out;
    EXPECT_NE(hog.out.find("same-host: refused"), std::string::npos) << hog.out;
    EXPECT_NE(hog.out.find("other-host: accepted"), std::string::npos) << hog.out;
    const std::string log = stopListener();
    EXPECT_NE(log.find("sent no association request within"), std::string::npos) << log;
    EXPECT_NE(log.find("4 associations already open from this host"), std::string::npos) << log;
    EXPECT_NE(log.find("listening as LIGHTBOX on 127.0.0.1:" + std::to_string(m_storagePort)), std::string::npos) << log;
}

TEST_F(ScpIntake, TheStoragePortIsBoundToTheChosenAddressOnly)
{
    // Default: loopback only. Another address of this machine (127.0.0.2) finds nothing there.
    startListener();
    const auto elsewhere = runCommand("echoscu -aet STORESCU -aec LIGHTBOX 127.0.0.2 " + std::to_string(m_storagePort) + " 2>&1");
    EXPECT_NE(elsewhere.exitCode, 0) << elsewhere.out;
    stopListener();
    ASSERT_EQ(cli(m_cache, "settings set listen-address 0.0.0.0").exitCode, 0);
    ASSERT_EQ(cli(m_cache, "nodes add other --ae STORESCU --host 127.0.0.2 --port 104").exitCode, 0);
    startListener();
    const auto everywhere = runCommand("echoscu -aet STORESCU -aec LIGHTBOX 127.0.0.2 " + std::to_string(m_storagePort) + " 2>&1");
    EXPECT_EQ(everywhere.exitCode, 0) << everywhere.out;
    EXPECT_NE(stopListener().find("on 0.0.0.0:"), std::string::npos);
    EXPECT_EQ(cliWithErrors(m_cache, "settings set listen-address not-an-address").exitCode, 2);
}

TEST_F(ScpIntake, WhatPeersSendCountsAgainstTheCacheLimit)
{
    // An older study (15 MB, "added" an hour ago), a 1 MB limit, then a peer sends a new one.
    ASSERT_EQ(cli(m_cache, "import " + shellQuote((testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm").string())).exitCode, 0);
    const auto aged = runPython("import sqlite3, sys\n"
                                "db = sqlite3.connect(sys.argv[1])\n"
                                "db.execute(\"UPDATE studies SET added_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 hour')\")\n"
                                "db.commit()\n",
                                {(m_cache / "index.sqlite").string()});
    ASSERT_EQ(aged.exitCode, 0) << aged.out;
    ASSERT_EQ(cli(m_cache, "settings set cache-limit-mb 1").exitCode, 0);
    startListener();
    EXPECT_NE(store(pydicomTestFiles() / "CT_small.dcm").find("Success"), std::string::npos);
    const std::string log = stopListener();
    EXPECT_NE(log.find("removed 1 older studies"), std::string::npos) << log;
    const auto studies = cliJson(m_cache, "studies");
    ASSERT_EQ(studies.size(), 1u);
    EXPECT_EQ(studies[0].value("num_instances", 0), 1); // the study just received
}

TEST_F(ScpIntake, BelowTheFreeSpaceFloorAStoreIsOutOfResources)
{
    ASSERT_EQ(cli(m_cache, "settings set min-free-mb 100000000").exitCode, 0); // 100 TB: never free here
    startListener();
    const std::string answer = store(pydicomTestFiles() / "CT_small.dcm");
    EXPECT_NE(answer.find("OutOfResources"), std::string::npos) << answer;
    stopListener();
    EXPECT_EQ(cliJson(m_cache, "studies").size(), 0u);
}

} // namespace
} // namespace lb::test
