// Remote query through the job board: against a real Orthanc (find, echo, its rejection with
// the reason), a closed port (refused) and a peer we control that accepts the connection and
// never says a word (timeout; cancel).
#include "app/services/RemoteQuery.h"
#include "cache/LocalCache.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/OrthancServer.h"
#include "tests/support/SilentPeer.h"
#include "tests/support/TestSupport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <gtest/gtest.h>


#include <vector>

namespace lb::test {
namespace {

struct Fixture {
    TempDir temp;
    std::unique_ptr<cache::LocalCache> cache;
    std::unique_ptr<app::NodeDirectory> nodes;
    app::JobBoard board;
    std::unique_ptr<app::RemoteQuery> remote;
    Fixture()
    {
        auto opened = cache::LocalCache::open(temp / "cache");
        EXPECT_TRUE(opened.ok());
        cache = std::move(*opened);
        nodes = std::make_unique<app::NodeDirectory>(cache->layout().indexFile());
        remote = std::make_unique<app::RemoteQuery>(*nodes, board);
    }
    void addNode(const std::string& name, const std::string& ae, int port, int timeoutSeconds = 10)
    {
        app::NodeEntry node;
        node.name = name;
        node.aeTitle = ae;
        node.host = "127.0.0.1";
        node.port = port;
        node.connectTimeoutSeconds = timeoutSeconds;
        node.dimseTimeoutSeconds = timeoutSeconds;
        ASSERT_TRUE(nodes->save(node).ok());
    }
};

template <typename Answer> bool waitForAnswer(std::optional<Answer>& answer, int milliseconds)
{
    QElapsedTimer clock;
    clock.start();
    while (!answer && clock.elapsed() < milliseconds) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return answer.has_value();
}

TEST(RemoteQuery, FindsStudiesAndSeriesOnARealOrthancAndEchoesIt)
{
    Fixture fixture;
    OrthancServer orthanc(fixture.temp / "orthanc", {{"lightbox", "LIGHTBOX", freeTcpPort()}});
    const auto files = dicomFilesUnder(testData() / "mr_philips_achieva_epi_rescaled");
    orthanc.storeWithStorescu(files, "LIGHTBOX");
    fixture.addNode("pacs", OrthancServer::kAeTitle, orthanc.dicomPort());

    std::optional<app::QueryAnswer<app::RemoteStudy>> studies;
    fixture.remote->findStudies("pacs", {}, [&](const auto& answer) { studies = answer; });
    ASSERT_TRUE(waitForAnswer(studies, 20000));
    ASSERT_EQ(studies->state, app::JobState::Done) << (studies->error ? studies->error->message() : "");
    ASSERT_EQ(studies->rows.size(), 1u);
    EXPECT_EQ(studies->rows[0].instanceCount, static_cast<int>(files.size()));

    std::optional<app::QueryAnswer<app::RemoteSeries>> series;
    fixture.remote->findSeries("pacs", studies->rows[0].studyUid, [&](const auto& answer) { series = answer; });
    ASSERT_TRUE(waitForAnswer(series, 20000));
    ASSERT_EQ(series->rows.size(), 1u);
    EXPECT_EQ(series->rows[0].studyUid, studies->rows[0].studyUid);

    std::optional<app::EchoAnswer> echo;
    fixture.remote->echo("pacs", [&](const app::EchoAnswer& answer) { echo = answer; });
    ASSERT_TRUE(waitForAnswer(echo, 20000));
    EXPECT_EQ(echo->state, app::JobState::Done) << echo->text;
    EXPECT_NE(echo->text.find("C-ECHO ok"), std::string::npos) << echo->text;

    // An AE title Orthanc does not know: rejected, with Orthanc's reason.
    fixture.addNode("wrong", "NOT_ORTHANC", orthanc.dicomPort());
    std::optional<app::EchoAnswer> rejected;
    fixture.remote->echo("wrong", [&](const app::EchoAnswer& answer) { rejected = answer; });
    ASSERT_TRUE(waitForAnswer(rejected, 20000));
    ASSERT_TRUE(rejected->error.has_value());
    EXPECT_EQ(rejected->error->code, core::ErrorCode::Rejected) << rejected->text;
    EXPECT_NE(rejected->text.find("Called AE Title Not Recognized"), std::string::npos) << rejected->text;
}

TEST(RemoteQuery, ARefusedConnectionAndASilentPeerAreToldApart)
{
    Fixture fixture;
    fixture.addNode("closed", "NOBODY", freeTcpPort());
    std::optional<app::EchoAnswer> refused;
    fixture.remote->echo("closed", [&](const app::EchoAnswer& answer) { refused = answer; });
    ASSERT_TRUE(waitForAnswer(refused, 20000));
    ASSERT_TRUE(refused->error.has_value());
    EXPECT_EQ(refused->error->code, core::ErrorCode::Refused) << refused->text;

    SilentPeer silent;
    fixture.addNode("silent", "SILENT", silent.port(), 2);
    std::optional<app::EchoAnswer> timedOut;
    fixture.remote->echo("silent", [&](const app::EchoAnswer& answer) { timedOut = answer; });
    ASSERT_TRUE(waitForAnswer(timedOut, 20000));
    ASSERT_TRUE(timedOut->error.has_value());
    EXPECT_EQ(timedOut->error->code, core::ErrorCode::Timeout) << timedOut->text;
}

// Cancel answers at once, whatever the peer does: the job is cancelled, its requester hears it.
TEST(RemoteQuery, AnEchoAndAFindToAPeerThatHangsAreCancelled)
{
    Fixture fixture;
    SilentPeer silent;
    fixture.addNode("silent", "SILENT", silent.port(), 30);
    std::optional<app::EchoAnswer> echo;
    std::optional<app::QueryAnswer<app::RemoteStudy>> find;
    const QString echoJob = fixture.remote->echo("silent", [&](const app::EchoAnswer& answer) { echo = answer; });
    const QString findJob = fixture.remote->findStudies("silent", {}, [&](const auto& answer) { find = answer; });
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 300) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    EXPECT_EQ(fixture.board.job(echoJob)->state, app::JobState::Running);
    EXPECT_EQ(fixture.board.job(findJob)->state, app::JobState::Running);
    clock.restart();
    EXPECT_TRUE(fixture.board.cancel(echoJob));
    EXPECT_TRUE(fixture.board.cancel(findJob));
    EXPECT_EQ(fixture.board.job(echoJob)->state, app::JobState::Cancelled);
    EXPECT_EQ(fixture.board.job(findJob)->state, app::JobState::Cancelled);
    // The workers end when the silent peer hangs up (its destructor); their answers say cancelled.
}

} // namespace
} // namespace lb::test
