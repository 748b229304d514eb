// Import in the workstation: a folder dropped on the window is imported in the background
// (through its own LocalCache) and appears in the study list; rejected files are counted, as
// `lightbox-cli import` counts them for the same folder.
#include "app/gui/MainWindow.h"
#include "tests/viewer/ViewerTestSupport.h"
#include "cache/Importer.h"
#include "tests/support/TestSupport.h"

#include <QApplication>
#include <QDropEvent>
#include <QLabel>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

TEST(Workstation, AFolderDroppedOnTheWindowIsImported)
{
    TempDir temp;
    auto cache = cache::LocalCache::open(temp / "cache");
    ASSERT_TRUE(cache.ok());
    app::gui::MainWindow window(workstationOver(std::move(*cache)));
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    ASSERT_EQ(window.localStudyCount(), 0);

    QSignalSpy finished(&window, &app::gui::MainWindow::importFinished);
    EXPECT_TRUE(dropPaths(window, {testData() / "ct_philips_ingenuity_phantom"}));
    ASSERT_TRUE(finished.wait(60000));
    EXPECT_EQ(finished.at(0).at(0).toInt(), 29); // 28 axial images + the localizer
    EXPECT_EQ(finished.at(0).at(1).toInt(), 4);  // two DIRFILEs (no Study UID) and two oracle.json
    EXPECT_EQ(window.localStudyCount(), 1);
}

TEST(Workstation, QuarantineShowsItsCountInTheStatusBar)
{
    TempDir temp;
    auto cache = cache::LocalCache::open(temp / "cache");
    ASSERT_TRUE(cache.ok());
    app::gui::MainWindow window(workstationOver(std::move(*cache)));
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    auto* indicator = window.findChild<QLabel*>("quarantineIndicator");
    ASSERT_NE(indicator, nullptr);
    EXPECT_FALSE(indicator->isVisible()); // nothing there: nothing said

    // The same instance under another patient ID, imported by another process: a conflict.
    const auto other = temp / "other.dcm";
    ASSERT_EQ(runPython("import sys, pydicom\n"
                        "ds = pydicom.dcmread(sys.argv[1]); ds.PatientID = 'SOMEONE-ELSE'\n"
                        "ds.SOPInstanceUID = '1.2.826.0.1.3680043.10.1234.12.1'; ds.save_as(sys.argv[2])\n",
                        {(pydicomTestFiles() / "CT_small.dcm").string(), other.string()})
                  .exitCode,
              0);
    auto second = cache::LocalCache::open(temp / "cache");
    ASSERT_TRUE(second.ok());
    ASSERT_TRUE(cache::importIntoCache(**second, {pydicomTestFiles() / "CT_small.dcm"}).ok());
    auto report = cache::importIntoCache(**second, {other});
    ASSERT_TRUE(report.ok());
    ASSERT_EQ(report->conflicts.size(), 1u);
    EXPECT_TRUE(QTest::qWaitFor([&] { return indicator->isVisible(); }, 8000));
    EXPECT_NE(indicator->text().indexOf("1 in quarantine"), -1) << indicator->text().toStdString();
}

} // namespace
} // namespace lb::test
