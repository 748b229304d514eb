// lb_netclient in-process: our SCU talking to our own storage SCP, and to a real Orthanc.
#include "core/DicomHeaderReader.h"
#include "netclient/Echo.h"
#include "netclient/Find.h"
#include "netclient/Retrieve.h"
#include "netclient/Send.h"
#include "netclient/StorageScp.h"
#include "tests/netclient/FolderSink.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/OrthancServer.h"

#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <mutex>
#include <netinet/in.h>
#include <set>
#include <sys/socket.h>
#include <unistd.h>

namespace lb::test {
namespace {

const std::string kSmallMr = "mr_philips_achieva_epi_rescaled";
const std::string kEnhancedMr = "mr_siemens_vida_enhanced_multiframe";

std::vector<netclient::SendItem> sendItemsUnder(const std::filesystem::path& dir)
{
    std::vector<netclient::SendItem> items;
    for (const auto& file : dicomFilesUnder(dir)) {
        auto header = core::readDicomHeader(file);
        if (!header) continue;
        items.push_back({file, header->instance.sopClassUid, header->instance.sopInstanceUid, header->instance.transferSyntaxUid});
    }
    return items;
}

class OwnScpTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_config.local = {"LB_SCP", freeTcpPort()};
        m_config.allowed = {{"SENDER", "127.0.0.1"}, {"LOCALNAME", "localhost"}};
        m_config.log = [this](const std::string& line) {
            std::lock_guard lock(m_logMutex);
            m_log += line + "\n";
        };
        auto scp = netclient::StorageScp::start(m_config, m_sink);
        ASSERT_TRUE(scp.ok()) << scp.error().message();
        m_scp = std::move(scp.value());
        m_node.name = "own";
        m_node.aeTitle = "LB_SCP";
        m_node.host = "127.0.0.1";
        m_node.port = m_config.local.storagePort;
        m_node.connectTimeoutSeconds = 5;
        m_node.dimseTimeoutSeconds = 5;
    }

    std::string log()
    {
        std::lock_guard lock(m_logMutex);
        return m_log;
    }

    TempDir m_temp;
    FolderSink m_sink{m_temp / "spool"};
    netclient::StorageScpConfig m_config;
    std::unique_ptr<netclient::StorageScp> m_scp;
    netclient::RemoteNode m_node;
    std::mutex m_logMutex;
    std::string m_log;
};

TEST_F(OwnScpTest, EchoAndStoreReachTheSinkWholeAndUnderOurOwnNames)
{
    const netclient::LocalIdentity sender{"SENDER", 0};
    auto echoed = netclient::echo(sender, m_node);
    ASSERT_TRUE(echoed.ok()) << echoed.error().message();

    const auto items = sendItemsUnder(testData() / kSmallMr);
    ASSERT_GT(items.size(), 20u);
    netclient::SendProgress last;
    netclient::SendOptions options;
    options.onProgress = [&](const netclient::SendProgress& progress) { last = progress; };
    auto sent = netclient::send(sender, m_node, items, options);
    ASSERT_TRUE(sent.ok()) << sent.error().message();
    EXPECT_TRUE(sent->complete());
    EXPECT_EQ(sent->sent, static_cast<int>(items.size()));
    EXPECT_EQ(last.done, static_cast<int>(items.size()));

    std::set<std::string> expected, arrived;
    for (const auto& item : items) expected.insert(item.sopInstanceUid);
    for (const auto& instance : m_sink.received()) {
        EXPECT_EQ(instance.file.parent_path(), m_temp / "spool");
        EXPECT_EQ(instance.file.filename().string().rfind("rx-", 0), 0u) << instance.file;
        EXPECT_EQ(instance.callingAeTitle, "SENDER");
        auto header = core::readDicomHeader(instance.file);
        ASSERT_TRUE(header.ok()) << header.error().message();
        EXPECT_EQ(header->instance.sopInstanceUid, instance.sopInstanceUid);
        arrived.insert(header->instance.sopInstanceUid);
    }
    EXPECT_EQ(arrived, expected);
    for (const auto& file : filesUnder(m_temp / "spool")) EXPECT_NE(file.extension(), ".part") << file;
    EXPECT_EQ(m_scp->stats().instancesStored, static_cast<int>(items.size()));
}

TEST_F(OwnScpTest, UnknownCallersAndWrongCalledAeAreRejectedWithTheReason)
{
    auto stranger = netclient::echo({"STRANGER", 0}, m_node);
    ASSERT_FALSE(stranger.ok());
    EXPECT_NE(stranger.error().message().find("Calling AE Title Not Recognized"), std::string::npos)
        << stranger.error().message();
    EXPECT_NE(stranger.error().message().find("own (LB_SCP@127.0.0.1:"), std::string::npos);

    auto wrong = m_node;
    wrong.aeTitle = "NOT_US";
    auto misaddressed = netclient::echo({"SENDER", 0}, wrong);
    ASSERT_FALSE(misaddressed.ok());
    EXPECT_NE(misaddressed.error().message().find("Called AE Title Not Recognized"), std::string::npos);

    // A configured host name is resolved: LOCALNAME may call from localhost.
    EXPECT_TRUE(netclient::echo({"LOCALNAME", 0}, m_node).ok());
    EXPECT_EQ(m_scp->stats().associationsRejected, 2);
    EXPECT_NE(log().find("rejected 'STRANGER' from 127.0.0.1"), std::string::npos) << log();
}

TEST_F(OwnScpTest, ARefusingSinkFailsTheStoreAndTheSenderSeesIt)
{
    m_sink.refuseFromNowOn();
    const auto items = sendItemsUnder(testData() / kSmallMr);
    auto sent = netclient::send({"SENDER", 0}, m_node, {items.front()});
    ASSERT_TRUE(sent.ok());
    EXPECT_EQ(sent->sent, 0);
    ASSERT_EQ(sent->failures.size(), 1u);
    EXPECT_NE(sent->failures[0].reason.find("OutOfResources"), std::string::npos) << sent->failures[0].reason;
    EXPECT_TRUE(filesUnder(m_temp / "spool").empty()) << "a refused file is not left behind";
}

TEST(NetclientErrors, RefusedAndSilentPeersAreReportedWithinTheirTimeout)
{
    netclient::RemoteNode node{"nobody", "NOBODY", "127.0.0.1", freeTcpPort()};
    auto refused = netclient::echo({}, node);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message().find("nobody (NOBODY@127.0.0.1:"), std::string::npos);

    // Listening but never accepting: the kernel completes the handshake, nobody answers.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::listen(fd, 4), 0);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    node.port = ntohs(address.sin_port);
    node.connectTimeoutSeconds = 1;
    node.dimseTimeoutSeconds = 1;
    const auto start = std::chrono::steady_clock::now();
    auto silent = netclient::echo({}, node);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ::close(fd);
    ASSERT_FALSE(silent.ok());
    EXPECT_LT(seconds, 3.0) << silent.error().message();
}

TEST(NetclientOrthanc, FindAndGetAgainstARealArchive)
{
    TempDir temp;
    OrthancServer orthanc(temp / "orthanc", {{"lightbox", "LIGHTBOX", freeTcpPort()}});
    const auto files = dicomFilesUnder(testData() / kEnhancedMr);
    orthanc.storeWithStorescu(files, "LIGHTBOX");
    netclient::RemoteNode node{"orthanc", OrthancServer::kAeTitle, "127.0.0.1", orthanc.dicomPort()};
    const netclient::LocalIdentity local{"LIGHTBOX", 0};

    std::vector<netclient::FindMatch> studies;
    auto found = netclient::find(local, node, {}, [&](const netclient::FindMatch& match) { studies.push_back(match); });
    ASSERT_TRUE(found.ok()) << found.error().message();
    ASSERT_EQ(studies.size(), 1u);
    EXPECT_EQ(studies[0].value("NumberOfStudyRelatedInstances"), std::to_string(files.size()));

    FolderSink sink(temp / "received");
    netclient::RetrieveRequest request{studies[0].value("StudyInstanceUID"), {}, {}, netclient::RetrieveMethod::Get};
    auto report = netclient::retrieve(local, node, request, &sink);
    ASSERT_TRUE(report.ok()) << report.error().message();
    EXPECT_TRUE(report->complete()) << report->statusText;
    EXPECT_EQ(report->counts.received, static_cast<int>(files.size()));
    for (const auto& instance : sink.received())
        EXPECT_EQ(datasetBytes(readFileBytes(instance.file)), datasetBytes(orthanc.fileOf(instance.sopInstanceUid)));

    // Cancelled before the first response: C-CANCEL, and the report says so.
    core::CancelToken cancel;
    cancel.cancel();
    netclient::RetrieveOptions options;
    options.cancel = &cancel;
    auto cancelled = netclient::retrieve(local, node, request, &sink, options);
    ASSERT_TRUE(cancelled.ok()) << cancelled.error().message();
    EXPECT_TRUE(cancelled->cancelled);
    EXPECT_FALSE(cancelled->complete());
}

} // namespace
} // namespace lb::test
