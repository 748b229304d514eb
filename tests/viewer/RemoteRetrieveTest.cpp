// The workstation against a real Orthanc: the remote browser finds the study, Retrieve queues
// it, the job panel shows it done, and the study is then in the local browser. Screenshots of
// each state go to the test output folder.
#include "app/gui/JobPanel.h"
#include "app/gui/MainWindow.h"
#include "app/gui/RemoteBrowser.h"
#include "cache/NodeSettings.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/OrthancServer.h"

#include <QApplication>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

void save(app::gui::MainWindow& window, const std::string& name)
{
    QApplication::processEvents();
    std::filesystem::create_directories(LB_TEST_OUTPUT);
    window.screenshot().save(QString::fromStdString(std::string(LB_TEST_OUTPUT) + "/" + name + ".png"));
}

TEST(Workstation, RetrievesFromARealOrthancThroughTheJobPanel)
{
    TempDir temp;
    OrthancServer orthanc(temp / "orthanc", {{"lightbox", "LIGHTBOX", freeTcpPort()}});
    const auto files = dicomFilesUnder(sharedTestData() / "mr_philips_achieva_epi_rescaled");
    orthanc.storeWithStorescu(files, "LIGHTBOX");

    auto cache = cache::LocalCache::open(temp / "cache");
    ASSERT_TRUE(cache.ok());
    cache::NodeRecord node;
    node.name = "pacs";
    node.aeTitle = OrthancServer::kAeTitle;
    node.host = "127.0.0.1";
    node.port = orthanc.dicomPort();
    node.retrieveMethod = "get";
    ASSERT_TRUE(cache::saveNode((*cache)->connection(), node).ok());

    app::gui::MainWindow window(std::move(*cache));
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    EXPECT_EQ(window.localStudyCount(), 0);
    ASSERT_NE(window.jobPanel(), nullptr);

    auto* remote = window.remoteBrowser();
    QSignalSpy found(remote, &app::gui::RemoteBrowser::resultsReady);
    remote->search();
    ASSERT_TRUE(found.wait(15000));
    ASSERT_EQ(remote->results()->rowCount(), 1);
    EXPECT_EQ(remote->results()->item(0, 6)->text(), "no"); // not local yet
    EXPECT_EQ(remote->results()->item(0, 5)->text(), QString::number(files.size()));
    save(window, "remote-1-found");

    remote->results()->selectRow(0);
    QPushButton* retrieve = nullptr;
    for (auto* button : remote->findChildren<QPushButton*>())
        if (button->text() == "Retrieve") retrieve = button;
    ASSERT_NE(retrieve, nullptr);
    QTest::mouseClick(retrieve, Qt::LeftButton);
    EXPECT_TRUE(QTest::qWaitFor([&] { return window.jobPanel()->stateOf(1) == "done"; }, 30000))
        << "job 1 is " << window.jobPanel()->stateOf(1).toStdString();
    (void)QTest::qWaitFor([&] { return window.localStudyCount() == 1; }, 5000); // the list refreshes on a queued signal
    EXPECT_EQ(window.localStudyCount(), 1);
    EXPECT_EQ(remote->results()->item(0, 6)->text(), "yes");
    save(window, "remote-2-retrieved");
}

} // namespace
} // namespace lb::test
