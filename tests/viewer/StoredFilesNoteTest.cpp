// Issue 12, damaged stored files, in the workstation: a cached series whose stored file changed
// on disk since import is shown, and once its load is over the status bar names the file
// (app/gui/StoredFilesNote.h). Real CT series, real cache, real window under Xvfb.
#include "app/gui/MainWindow.h"
#include "app/gui/StoredFilesNote.h"
#include "cache/Importer.h"
#include "cache/StudyQuery.h"
#include "tests/support/TestSupport.h"
#include "tests/viewer/ViewerTestSupport.h"

#include <QLabel>
#include <QSignalSpy>
#include <QTest>
#include <gtest/gtest.h>

#include <algorithm>

namespace lb::test {
namespace {

const char* kSeries = "1.3.46.670589.33.1.6002432791750815306.26862469513794233732"; // S2010_axial_5mm

TEST(StoredFilesNote, AChangedStoredFileIsNamedInTheStatusBarOnceTheSeriesIsShown)
{
    TempDir temp;
    auto cache = cache::LocalCache::open(temp / "cache");
    ASSERT_TRUE(cache.ok());
    ASSERT_TRUE(cache::importIntoCache(**cache, {testData() / "ct_philips_ingenuity_phantom" / "S2010_axial_5mm"}).ok());
    auto rows = cache::StudyQuery((*cache)->connection()).instances(kSeries);
    ASSERT_TRUE(rows.ok());
    const auto row = std::find_if(rows->begin(), rows->end(), [](const auto& r) { return r.instanceNumber == 14; });
    ASSERT_NE(row, rows->end());
    const auto file = (*cache)->store().absolutePath(row->filePath);
    const std::string original = readFileBytes(file);
    std::string bytes = original;
    for (size_t i = 0; i < 64; ++i) bytes[bytes.size() - 512 * 512 + i] ^= 0x5a; // pixels, same size
    writeFileBytes(file, bytes);

    app::gui::MainWindow window(workstationOver(std::move(*cache)));
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    auto* note = window.findChild<QLabel*>("storedFilesNote");
    ASSERT_NE(note, nullptr);
    EXPECT_FALSE(note->isVisible());

    QSignalSpy shown(&window, &app::gui::MainWindow::seriesShown);
    window.openSeries(kSeries, 0);
    ASSERT_TRUE(shown.wait(60000));
    EXPECT_TRUE(QTest::qWaitFor([&] { return note->isVisible(); }, 10000));
    EXPECT_TRUE(note->text().contains("1 file changed since import (instance 14)")) << note->text().toStdString();
    EXPECT_TRUE(note->toolTip().contains("instance 14: changed on disk since import (content differs)")) << note->toolTip().toStdString();
    saveScreenshot(window, "stored-files-note");

    // The bytes as imported again: the next load of the series says nothing.
    writeFileBytes(file, original);
    QSignalSpy shownAgain(&window, &app::gui::MainWindow::seriesShown);
    window.openSeries(kSeries, 0);
    EXPECT_FALSE(note->isVisible()); // the viewport's note goes with its series
    ASSERT_TRUE(shownAgain.wait(60000));
    QTest::qWait(1000); // the check's time, and more
    EXPECT_FALSE(note->isVisible()) << note->text().toStdString();
}

} // namespace
} // namespace lb::test
