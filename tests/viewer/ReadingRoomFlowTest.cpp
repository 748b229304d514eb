// The reading room as a reader uses it, in a real window: a CT head opened for reading with its
// prior (hung by the CT head protocol, the prior registered in the background and linked), the
// priors strip, N to the next reading step, scrolling that carries the prior along, and the
// screen saved as the reader's own protocol, which then hangs the study the same way.
#include "app/gui/FindingsTable.h"
#include "app/gui/HangingController.h"
#include "app/gui/MainWindow.h"
#include "app/gui/PriorsStrip.h"
#include "app/gui/SeriesStrip.h"
#include "app/gui/StudyBrowser.h"
#include "app/services/ProtocolLibrary.h"
#include "app/services/TrackedFindings.h"
#include "tests/support/TestSupport.h"
#include "tests/viewer/ViewerTestSupport.h"

#include <QSignalSpy>
#include <QStatusBar>
#include <QTest>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

namespace lb::test {
namespace {

nlohmann::json makeStudies(const std::filesystem::path& folder)
{
    const auto made = runPythonFile(sourceDir() / "tests/data/derived/make_reading_studies.py", {folder.string()});
    EXPECT_EQ(made.exitCode, 0);
    return readJson(folder / "studies.json");
}

TEST(ReadingRoomFlow, PriorBesideCurrentLinkedStepsAndTheReadersOwnProtocol)
{
    TempDir temp;
    ::setenv("XDG_CONFIG_HOME", (temp / "config").c_str(), 1); // the test's own protocols and rules
    const auto studies = makeStudies(temp / "studies");
    auto cache = cache::LocalCache::open(temp / "cache");
    ASSERT_TRUE(cache.ok());
    app::gui::MainWindow window(workstationOver(std::move(*cache)));
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    QSignalSpy imported(&window, &app::gui::MainWindow::importFinished);
    window.importPaths({QString::fromStdString((temp / "studies").string())});
    ASSERT_TRUE(imported.wait(120000));

    const QString current = QString::fromStdString(studies["ct_head_current"]["study_uid"].get<std::string>());
    const QString prior = QString::fromStdString(studies["ct_head_prior"]["study_uid"].get<std::string>());
    auto* hanging = window.hanging();
    QSignalSpy shown(&window, &app::gui::MainWindow::seriesShown);
    QSignalSpy settled(hanging, &app::gui::HangingController::registrationsSettled);
    ASSERT_TRUE(window.openForReading(current, "auto", 3)); // step 3: current beside prior
    ASSERT_TRUE(shown.wait(60000));
    ASSERT_TRUE(settled.count() > 0 || settled.wait(60000));
    auto* grid = window.viewerGrid();
    EXPECT_EQ(hanging->result()->protocol, "CT head");
    EXPECT_EQ(grid->layout(), viewer::Layout::OneByTwo);
    ASSERT_TRUE(grid->volumeOf(1));
    EXPECT_EQ(window.workstation().session().viewport(1).studyUid, prior);
    EXPECT_EQ(grid->link(0).kind, viewer::LinkKind::FrameOfReference);
    EXPECT_EQ(grid->link(1).kind, viewer::LinkKind::Registered);
    // The prior holds the very slices of the current study in another frame of reference:
    // registered, scrolling the current study shows the same slice of the prior.
    grid->viewport(0)->setSlice(3);
    EXPECT_EQ(grid->viewport(1)->slice(), 3);
    grid->viewport(0)->setSlice(9);
    EXPECT_EQ(grid->viewport(1)->slice(), 9);

    // The priors strip: every other study of Rita, the relevant prior first, in the cache.
    ASSERT_TRUE(QTest::qWaitFor([&] { return window.priorsStrip()->priorCount() == 5; }, 30000));
    EXPECT_TRUE(window.priorsStrip()->rowText(0).startsWith("2025-03-15")) << window.priorsStrip()->rowText(0).toStdString();
    EXPECT_TRUE(window.priorsStrip()->rowText(0).contains("[local]"));
    saveScreenshot(window, "reading-room-prior");

    // N: the protocol's next step (there is none after 3: it stays), P: back to step 2 (MPR).
    grid->viewport(0)->setFocus();
    QTest::keyClick(grid->viewport(0), Qt::Key_P);
    ASSERT_TRUE(shown.wait(60000));
    EXPECT_EQ(hanging->result()->step, 2);
    EXPECT_EQ(grid->layout(), viewer::Layout::Mpr);

    // Back to the comparison, saved as the reader's own protocol: it now hangs this study.
    ASSERT_TRUE(window.openForReading(current, prior, 3));
    ASSERT_TRUE(shown.wait(60000));
    auto saved = window.saveLayoutAsProtocol("Rita's head comparison");
    ASSERT_TRUE(saved) << saved.error().message();
    EXPECT_TRUE(std::filesystem::exists(*saved));
    auto library = app::ProtocolLibrary::load();
    ASSERT_TRUE(library);
    auto studyNow = app::studyForHanging(window.workstation().catalogue(), current.toStdString());
    auto priorNow = app::studyForHanging(window.workstation().catalogue(), prior.toStdString());
    ASSERT_TRUE(studyNow && priorNow);
    const auto hung = app::hangStudies(library->protocols(), *studyNow, {*priorNow});
    EXPECT_EQ(hung.protocol, "Rita's head comparison");
    EXPECT_EQ(hung.layout, "1x2");
    ASSERT_EQ(hung.viewports.size(), 2u);
    EXPECT_EQ(QString::fromStdString(hung.viewports[0].seriesUid), window.workstation().session().viewport(0).seriesUid);
    EXPECT_EQ(QString::fromStdString(hung.viewports[1].studyUid), prior);
    EXPECT_EQ(hung.viewports[1].preset, "brain");
    EXPECT_EQ(hung.sync, (std::vector<std::vector<int>>{{0, 1}}));

    // Follow-up: a distance the reader measures on the prior is carried to the current study where
    // the registration puts it (same anatomy: the same slice here), then tracked as a finding.
    ASSERT_EQ(grid->link(1).kind, viewer::LinkKind::Registered);
    auto* currentView = grid->viewport(0);
    auto* priorView = grid->viewport(1);
    currentView->setSlice(5);
    ASSERT_EQ(priorView->slice(), 5);
    const auto centre = priorView->slicePlane()->point;
    priorView->placeDistance({centre[0] - 20, centre[1], centre[2]}, {centre[0] + 15, centre[1] + 10, centre[2]});
    ASSERT_TRUE(priorView->distanceMm());
    EXPECT_NEAR(*priorView->distanceMm(), std::hypot(35.0, 10.0), 0.01);
    grid->setActive(1);
    ASSERT_TRUE(window.carryMeasurementToCurrent());
    ASSERT_TRUE(currentView->distanceMm());
    EXPECT_NEAR(*currentView->distanceMm(), *priorView->distanceMm(), 0.5); // a rigid move keeps lengths
    EXPECT_EQ(currentView->slice(), 5);
    ASSERT_TRUE(window.trackFinding("lesion 1"));
    auto* table = window.findingsTable();
    ASSERT_EQ(table->rowCount(), 1);
    ASSERT_EQ(table->columnCount(), 4); // finding, 2025-03-15, 2026-11-01, change
    EXPECT_EQ(table->horizontalHeaderItem(1)->text(), "2025-03-15");
    EXPECT_EQ(table->horizontalHeaderItem(2)->text(), "2026-11-01");
    // The reader adjusts it on the current study (it grew by a fifth) and tracks it again.
    const auto ends = *currentView->distanceEnds();
    std::array<double, 3> longer = ends[1];
    for (int c = 0; c < 3; ++c) longer[c] = ends[0][c] + (ends[1][c] - ends[0][c]) * 1.2;
    currentView->placeDistance(ends[0], longer);
    grid->setActive(0);
    ASSERT_TRUE(window.trackFinding("lesion 1"));
    ASSERT_EQ(table->rowCount(), 1);
    EXPECT_EQ(table->item(0, 3)->text(), "+20.0 %") << table->item(0, 3)->text().toStdString();
    app::TrackedFindings kept(window.workstation().cacheRoot(), current.toStdString());
    ASSERT_TRUE(kept.load());
    ASSERT_EQ(kept.findings().size(), 1u);
    ASSERT_EQ(kept.findings()[0].sizes.size(), 2u);
    EXPECT_EQ(kept.findings()[0].sizes[0].studyUid, prior.toStdString()); // oldest first
    EXPECT_NEAR(*kept.findings()[0].changePercent(), 20.0, 0.1);
    saveScreenshot(window, "reading-room-findings");

    // Viewed-image tracking: the axial series was scrolled, its surview never shown.
    auto& session = window.workstation().session();
    const QString axial = QString::fromStdString(studies["ct_head_current"]["series"]["ct_head_current_axial"]["series_uid"].get<std::string>());
    for (int slice = 0; slice < 12; ++slice) grid->viewport(0)->setSlice(slice);
    EXPECT_DOUBLE_EQ(session.viewedImages().fraction(axial.toStdString()), 1.0);
    window.studyBrowser()->selectStudy(current);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !window.studyBrowser()->seriesStrip()->textOf(axial).isEmpty(); }, 10000));
    EXPECT_TRUE(window.studyBrowser()->seriesStrip()->textOf(axial).contains(QString::fromUtf8("\u2713100%")))
        << window.studyBrowser()->seriesStrip()->textOf(axial).toStdString();
    EXPECT_EQ(session.unviewedSeries(), QStringList{"1 Surview"});
    saveScreenshot(window, "reading-room-viewed");
    // Closing with a series never looked at: said once, the window stays; the second close leaves.
    EXPECT_FALSE(window.close());
    EXPECT_TRUE(window.statusBar()->currentMessage().contains("not looked at: 1 series")) << window.statusBar()->currentMessage().toStdString();
    EXPECT_TRUE(window.close());
    ::unsetenv("XDG_CONFIG_HOME");
}

} // namespace
} // namespace lb::test
