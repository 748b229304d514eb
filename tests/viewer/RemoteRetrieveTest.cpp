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
#include "tests/support/SilentPeer.h"

#include <QApplication>
#include <QElapsedTimer>
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
    // The results' local state follows the queue's "done" (a queued signal, like the list's refresh).
    EXPECT_TRUE(QTest::qWaitFor([&] { return remote->results()->item(0, 6)->text() == "yes"; }, 5000))
        << remote->results()->item(0, 6)->text().toStdString();
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

// An archive that accepts the connection and never answers: Cancel in the remote browser ends
// the search at once, the job panel says so, and the browser can search again.
TEST(Workstation, ASearchOfAnArchiveThatHangsIsCancelledFromTheBrowser)
{
    TempDir temp;
    auto silent = std::make_unique<SilentPeer>();
    auto cache = cache::LocalCache::open(temp / "cache");
    ASSERT_TRUE(cache.ok());
    cache::NodeRecord node{"stuck", "STUCK", "127.0.0.1", silent->port(), "get", 30, 30};
    ASSERT_TRUE(cache::saveNode((*cache)->connection(), node).ok());
    {
        app::gui::MainWindow window(workstationOver(std::move(*cache)));
        window.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
        auto* remote = window.remoteBrowser();
        QPushButton *search = nullptr, *cancel = nullptr;
        for (auto* button : remote->findChildren<QPushButton*>()) {
            if (button->text() == "Search") search = button;
            if (button->text() == "Cancel") cancel = button;
        }
        ASSERT_TRUE(search && cancel);
        EXPECT_FALSE(cancel->isEnabled());
        QSignalSpy cancelled(remote, &app::gui::RemoteBrowser::cancelled);
        QTest::mouseClick(search, Qt::LeftButton);
        QTest::qWait(300);
        EXPECT_FALSE(search->isEnabled()); // waiting for the archive
        ASSERT_TRUE(cancel->isEnabled());
        QElapsedTimer clock;
        clock.start();
        QTest::mouseClick(cancel, Qt::LeftButton);
        ASSERT_TRUE(cancelled.count() == 1 || cancelled.wait(5000));
        EXPECT_LT(clock.elapsed(), 2000) << "cancel answers at once, not at the node's 30 s timeout";
        EXPECT_TRUE(search->isEnabled());
        const auto jobs = window.workstation().jobs().jobs();
        const auto query = std::find_if(jobs.begin(), jobs.end(), [](const app::JobInfo& job) { return job.kind == app::JobKind::Query; });
        ASSERT_NE(query, jobs.end());
        EXPECT_EQ(window.jobPanel()->stateOf(query->id), "cancelled");
        save(window, "remote-4-search-cancelled");
        // The worker still waits inside DCMTK's association request (it cannot be interrupted
        // there): the archive hanging up ends it, so that the window's board need not wait
        // for the node's 30 s timeout when it goes.
        silent.reset();
    }
}

// A study retrieved by the user brings its relevant prior along: when the transfer is done its
// priors are looked for on the node and the most relevant one is fetched in the background;
// another region's study of the same patient stays on the node.
TEST(Workstation, AStudyThatArrivesBringsItsRelevantPrior)
{
    TempDir temp;
    const auto made = runPythonFile(sourceDir() / "tests/data/derived/make_reading_studies.py", {(temp / "studies").string()});
    ASSERT_EQ(made.exitCode, 0);
    const auto studies = readJson(temp / "studies" / "studies.json");
    OrthancServer orthanc(temp / "orthanc", {{"lightbox", "LIGHTBOX", freeTcpPort()}});
    for (const char* key : {"ct_head_current", "ct_head_prior", "ct_chest_old"})
        orthanc.storeWithStorescu(dicomFilesUnder(temp / "studies" / key), "LIGHTBOX");
    auto cache = cacheWithOrthancNode(temp / "cache", orthanc);
    ASSERT_TRUE(cache);
    ::setenv("XDG_CONFIG_HOME", (temp / "config").c_str(), 1);
    app::gui::MainWindow window(workstationOver(std::move(cache)));
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));

    const std::string current = studies["ct_head_current"]["study_uid"].get<std::string>();
    const std::string prior = studies["ct_head_prior"]["study_uid"].get<std::string>();
    const std::string chest = studies["ct_chest_old"]["study_uid"].get<std::string>();
    auto job = window.workstation().retrieve("pacs", current);
    ASSERT_TRUE(job) << job.error().message();
    const auto& catalogue = window.workstation().catalogue();
    EXPECT_TRUE(QTest::qWaitFor([&] { return catalogue.instancesOfStudy(current) == 13; }, 60000));
    EXPECT_TRUE(QTest::qWaitFor([&] { return catalogue.instancesOfStudy(prior) == 12; }, 60000))
        << "the relevant prior was not fetched after its study arrived";
    EXPECT_EQ(catalogue.instancesOfStudy(chest), 0); // another region: not relevant, not fetched
    ::unsetenv("XDG_CONFIG_HOME");
}

} // namespace
} // namespace lb::test
