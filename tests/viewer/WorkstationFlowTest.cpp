// The workstation as a user drives it, on a real cache in a real window under Xvfb: import two
// folders (progress, then a report of the rejected files), filter the study list by name, ID
// and modality, open a study with Enter (largest series first, thumbnails of both), drag W/L,
// switch to 2x2 (the other series fills the next viewport), drop a series on a viewport, MPR
// + 3D, and the tag browser. A screenshot of each state goes to the test output folder.
#include "app/gui/HangingController.h"
#include "app/gui/JobPanel.h"
#include "app/gui/MainWindow.h"
#include "app/gui/StudyBrowser.h"
#include "app/gui/TagBrowser.h"
#include "tests/support/TestSupport.h"
#include "tests/viewer/ViewerTestSupport.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDockWidget>
#include <QLineEdit>
#include <QMimeData>
#include <QMouseEvent>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QTreeWidget>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

void save(app::gui::MainWindow& window, const std::string& name)
{
    saveScreenshot(window, name);
}

QAction* action(app::gui::MainWindow& window, const QString& text)
{
    for (QAction* candidate : window.findChildren<QAction*>())
        if (candidate->text().remove('&') == text) return candidate;
    return nullptr;
}

TEST(WorkstationFlow, ImportFilterOpenLayoutsMprAndTags)
{
    TempDir temp;
    auto cache = cache::LocalCache::open(temp / "cache");
    ASSERT_TRUE(cache.ok());
    app::gui::MainWindow window(workstationOver(std::move(*cache)));
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    auto* browser = window.studyBrowser();
    ASSERT_NE(browser, nullptr);

    // Import: the CT phantom folder (29 images, 4 files that are not images) and the GE MR.
    QSignalSpy imported(&window, &app::gui::MainWindow::importFinished);
    const QString importJob = window.importPaths({QString::fromStdString((testData() / "ct_philips_ingenuity_phantom").string()),
                        QString::fromStdString((testData() / "mr_ge_pioneer_t1_mprage_3d").string())});
    ASSERT_TRUE(imported.wait(120000));
    EXPECT_EQ(imported.at(0).at(0).toInt(), 29 + 130);
    EXPECT_EQ(imported.at(0).at(1).toInt(), 5); // two DIRFILEs, three oracle.json
    auto* report = window.findChild<QDialog*>("importReport");
    ASSERT_NE(report, nullptr);
    EXPECT_TRUE(report->isVisible());
    EXPECT_FALSE(report->isModal());
    EXPECT_TRUE(report->findChild<QPlainTextEdit*>()->toPlainText().contains("DIRFILE"));
    report->close();
    EXPECT_EQ(browser->studyCount(), 2);
    // The import was a job of the job panel: done, its problem saying what was rejected.
    ASSERT_NE(window.jobPanel(), nullptr);
    EXPECT_EQ(window.jobPanel()->stateOf(importJob), "done");
    const auto rows = window.jobPanel()->table()->findItems(importJob, Qt::MatchExactly);
    ASSERT_EQ(rows.size(), 1);
    EXPECT_TRUE(window.jobPanel()->table()->item(rows[0]->row(), 8)->text().startsWith("5 files rejected"));
    save(window, "flow-1-imported");

    // Filters, as you type.
    QTest::keyClicks(browser->nameField(), "HEA");
    EXPECT_EQ(browser->studyCount(), 1);
    browser->nameField()->clear();
    QTest::keyClicks(browser->idField(), "PLA"); // a prefix of PLASTIC
    EXPECT_EQ(browser->studyCount(), 1);
    browser->idField()->clear();
    browser->modalityBox()->setCurrentText("MR");
    EXPECT_EQ(browser->studyCount(), 1);
    save(window, "flow-2-filtered-mr");
    browser->modalityBox()->setCurrentIndex(0);
    browser->dateBox()->setCurrentText("Today"); // the phantoms are from 2015 and 2020
    EXPECT_EQ(browser->studyCount(), 0);
    browser->dateBox()->setCurrentIndex(0);
    ASSERT_EQ(browser->studyCount(), 2);

    // Open the CT study with Enter: the reading room hangs it by its protocol (CT head: the axial
    // series in a brain and a bone window, side by side, scrolling together), thumbnails.
    auto* table = browser->table();
    int ctRow = -1;
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0)->text() == "HEAD") ctRow = r;
    ASSERT_GE(ctRow, 0);
    QSignalSpy shown(&window, &app::gui::MainWindow::seriesShown);
    table->setFocus();
    table->setCurrentCell(ctRow, 0);
    QTest::keyClick(table, Qt::Key_Return);
    ASSERT_TRUE(shown.wait(60000));
    auto* grid = window.viewerGrid();
    ASSERT_TRUE(grid->volumeOf(0));
    EXPECT_EQ(grid->volumeOf(0)->geometry().dims[2], 28);
    ASSERT_TRUE(window.hanging()->active());
    EXPECT_EQ(window.hanging()->result()->protocol, "CT head");
    EXPECT_EQ(grid->layout(), viewer::Layout::OneByTwo);
    ASSERT_TRUE(grid->volumeOf(1));
    EXPECT_EQ(grid->volumeOf(1)->seriesUid, grid->volumeOf(0)->seriesUid);
    EXPECT_EQ(grid->viewport(0)->window().center, 40);  // brain
    EXPECT_EQ(grid->viewport(1)->window().center, 400); // bone
    EXPECT_EQ(grid->link(1).kind, viewer::LinkKind::FrameOfReference);
    grid->viewport(0)->setSlice(3);
    EXPECT_EQ(grid->viewport(1)->slice(), 3); // the group scrolls together
    const render::Window bone = grid->viewport(1)->window();
    EXPECT_TRUE(QTest::qWaitFor([&] { return browser->seriesStrip()->thumbnailsShown() == 2; }, 30000));
    save(window, "flow-3-opened");

    // W/L drag on the image.
    auto* view = grid->viewport(0);
    const render::Window before = view->window();
    const QPointF from(view->width() / 2.0, view->height() / 2.0), to = from + QPointF(80, -40);
    dragMouse(view, from, to);
    EXPECT_GT(view->window().width, before.width);
    EXPECT_LT(view->window().center, before.center);
    EXPECT_EQ(grid->viewport(1)->window().center, bone.center); // another window of the group: its own
    const render::Window dragged = view->window();

    // 2x2 from the View menu (the reader arranges the screen now): the scout fills the next
    // empty viewport.
    QAction* twoByTwo = action(window, "Layout 2x2");
    ASSERT_NE(twoByTwo, nullptr);
    twoByTwo->trigger();
    EXPECT_FALSE(window.hanging()->active());
    ASSERT_TRUE(shown.wait(60000));
    ASSERT_TRUE(grid->volumeOf(2));
    EXPECT_EQ(grid->volumeOf(2)->geometry().dims[2], 1);
    EXPECT_EQ(grid->viewport(2)->plane(), render::ViewPlane::Sagittal);
    EXPECT_FALSE(grid->viewport(2)->referencePlanes().empty()); // the axial slice drawn on the scout
    EXPECT_EQ(view->window().width, dragged.width); // what was on screen stays as the user left it
    save(window, "flow-4-2x2");

    // A series dropped on the fourth viewport.
    QMimeData data;
    data.setData(viewer::kSeriesMimeType, browser->seriesStrip()->seriesUidAt(1).toUtf8());
    const QPointF centre(grid->viewport(3)->width() / 2.0, grid->viewport(3)->height() / 2.0);
    QDragEnterEvent enter(centre.toPoint(), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(grid->viewport(3), &enter); // as a real drag does: enter, then drop
    QDropEvent drop(centre, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(grid->viewport(3), &drop);
    ASSERT_TRUE(shown.wait(60000));
    ASSERT_TRUE(grid->volumeOf(3));
    EXPECT_EQ(QString::fromStdString(grid->volumeOf(3)->seriesUid), browser->seriesStrip()->seriesUidAt(1));

    // MPR + 3D of the first viewport's series.
    grid->setActive(0);
    action(window, "Layout MPR + 3D")->trigger();
    ASSERT_NE(grid->mpr(), nullptr);
    EXPECT_EQ(grid->mpr()->plane(render::ViewPlane::Sagittal)->volume(), grid->volumeOf(0).get());
    QTest::qWait(1500); // the 3D cell's first full-quality frame
    save(window, "flow-5-mpr-3d");

    // The tag browser (Ctrl+T) on the shown image.
    QAction* tags = action(window, "DICOM tags");
    ASSERT_NE(tags, nullptr);
    tags->trigger();
    EXPECT_TRUE(window.tagBrowser()->isVisible());
    EXPECT_GT(window.tagBrowser()->tree()->topLevelItemCount(), 40);
    window.tagBrowser()->setFilter("SliceThickness");
    save(window, "flow-6-tags");

    // Another patient's study in 2x2: one series, so the other viewports are emptied, never
    // left showing the previous patient.
    action(window, "Layout 2x2")->trigger();
    int mrRow = -1;
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0)->text() != "HEAD") mrRow = r;
    ASSERT_GE(mrRow, 0);
    table->setCurrentCell(mrRow, 0);
    QTest::keyClick(table, Qt::Key_Return);
    ASSERT_TRUE(shown.wait(60000));
    ASSERT_TRUE(grid->volumeOf(0));
    EXPECT_EQ(grid->volumeOf(0)->geometry().dims[2], 130);
    for (int viewport = 1; viewport < 4; ++viewport) {
        EXPECT_FALSE(grid->volumeOf(viewport)) << viewport;
        EXPECT_EQ(grid->viewport(viewport)->current(), nullptr) << viewport;
    }
    save(window, "flow-7-other-patient-2x2");
}

} // namespace
} // namespace lb::test
