// The workstation against a real Orthanc: the remote browser finds the study, Retrieve queues
// it, the job panel shows it done, and the study is then in the local browser. Screenshots of
// each state go to the test output folder.
#include "app/gui/JobPanel.h"
#include "app/gui/MainWindow.h"
#include "tests/viewer/ViewerTestSupport.h"
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
    saveScreenshot(window, name);
}

TEST(Workstation, RetrievesFromARealOrthancThroughTheJobPanel)
{
    TempDir temp;
    OrthancServer orthanc(temp / "orthanc", {{"lightbox", "LIGHTBOX", freeTcpPort()}});
    const auto files = dicomFilesUnder(testData() / "mr_philips_achieva_epi_rescaled");
    orthanc.storeWithStorescu(files, "LIGHTBOX");

    auto cache = cacheWithOrthancNode(temp / "cache", orthanc);
    ASSERT_TRUE(cache);

    app::gui::MainWindow window(workstationOver(std::move(cache)));
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
    EXPECT_TRUE(QTest::qWaitFor([&] { return window.jobPanel()->stateOf("T1") == "done"; }, 30000))
        << "job 1 is " << window.jobPanel()->stateOf("T1").toStdString();
    (void)QTest::qWaitFor([&] { return window.localStudyCount() == 1; }, 5000); // the list refreshes on a queued signal
    EXPECT_EQ(window.localStudyCount(), 1);
    EXPECT_EQ(remote->results()->item(0, 6)->text(), "yes");
    save(window, "remote-2-retrieved");
}

// A single series: selecting a study lists its series (series-level C-FIND); Retrieve with a
// series selected fetches that series only, and the study is then partly local.
TEST(Workstation, RetrievesOneSeriesOfAStudy)
{
    TempDir temp;
    OrthancServer orthanc(temp / "orthanc", {{"lightbox", "LIGHTBOX", freeTcpPort()}});
    const auto files = dicomFilesUnder(testData() / "ct_philips_ingenuity_phantom");
    orthanc.storeWithStorescu(files, "LIGHTBOX"); // the axial series (28) and its scout (1)

    auto cache = cacheWithOrthancNode(temp / "cache", orthanc);
    ASSERT_TRUE(cache);
    app::gui::MainWindow window(workstationOver(std::move(cache)));
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));

    auto* remote = window.remoteBrowser();
    QSignalSpy found(remote, &app::gui::RemoteBrowser::resultsReady);
    QSignalSpy series(remote, &app::gui::RemoteBrowser::seriesReady);
    remote->search();
    ASSERT_TRUE(found.wait(15000));
    ASSERT_EQ(remote->results()->rowCount(), 1);
    remote->results()->selectRow(0);
    ASSERT_TRUE(series.wait(15000));
    auto* table = remote->seriesResults();
    ASSERT_EQ(table->rowCount(), 2);
    int scout = -1;
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 3)->text() == "1") scout = r;
    ASSERT_GE(scout, 0);
    table->selectRow(scout);
    remote->retrieveSelected();
    EXPECT_TRUE(QTest::qWaitFor([&] { return window.jobPanel()->stateOf("T1") == "done"; }, 30000))
        << "job 1 is " << window.jobPanel()->stateOf("T1").toStdString();
    (void)QTest::qWaitFor([&] { return remote->results()->item(0, 6)->text() != "no"; }, 5000);
    EXPECT_EQ(remote->results()->item(0, 6)->text(), "1 of 29");
    save(window, "remote-3-one-series");
}

} // namespace
} // namespace lb::test
