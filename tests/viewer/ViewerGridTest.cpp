// The viewer area: layouts, synchronised scrolling between parallel views of one frame of
// reference, reference lines, a series dropped on a viewport, MPR + 3D and 3D alone. On the
// Philips CT phantom: 28 axial slices and its lateral scout (same frame of reference).
#include "tests/support/TestSupport.h"
#include "tests/viewer/CtPhantom.h"
#include "tests/viewer/ViewerTestSupport.h"
#include "viewer/ViewerGrid.h"

#include <QApplication>
#include <QMimeData>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

void save(QWidget& widget, const std::string& name)
{
    QApplication::processEvents();
    std::filesystem::create_directories(LB_TEST_OUTPUT);
    widget.grab().save(QString::fromStdString(std::string(LB_TEST_OUTPUT) + "/" + name + ".png"));
}

void wheel(viewer::SliceViewer& view, int steps)
{
    const QPointF centre(view.width() / 2.0, view.height() / 2.0);
    QWheelEvent event(centre, view.mapToGlobal(centre), QPoint(), QPoint(0, 120 * steps), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(&view, &event);
}

int brightPixels(const QImage& image)
{
    int bright = 0;
    for (int y = 0; y < image.height(); y += 4)
        for (int x = 0; x < image.width(); x += 4) bright += qGray(image.pixel(x, y)) > 40 ? 1 : 0;
    return bright;
}

TEST(ViewerGrid, LayoutNames)
{
    for (const char* name : {"1x1", "1x2", "2x1", "2x2", "1x3", "1x4", "2x3", "2x4", "mpr", "3d"}) {
        viewer::Layout layout;
        ASSERT_TRUE(viewer::parseLayout(name, layout)) << name;
        EXPECT_EQ(viewer::layoutName(layout), name);
    }
    viewer::Layout layout;
    EXPECT_FALSE(viewer::parseLayout("3x3", layout));
    EXPECT_EQ(viewer::viewportCount(viewer::Layout::TwoByTwo), 4);
    EXPECT_EQ(viewer::viewportCount(viewer::Layout::OneByThree), 3);
    EXPECT_EQ(viewer::viewportCount(viewer::Layout::TwoByFour), 8); // mammograms, current over prior
    EXPECT_EQ(viewer::viewportCount(viewer::Layout::Mpr), 0);
}

TEST(ViewerGrid, LinkedViewsScrollTogetherAndDrawReferenceLines)
{
    auto axial = ctPhantom();
    auto scout = ctPhantom("S1000_localizer");
    ASSERT_TRUE(axial && scout);
    ASSERT_FALSE(axial->frameOfReferenceUid.empty());
    ASSERT_EQ(axial->frameOfReferenceUid, scout->frameOfReferenceUid);
    viewer::ViewerGrid grid;
    grid.resize(1200, 500);
    grid.setLayout(viewer::Layout::OneByThree);
    grid.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&grid));
    grid.showVolume(0, axial, {"CT phantom", "axial"});
    grid.showVolume(1, axial, {"CT phantom", "axial again"});
    grid.showVolume(2, scout, {"CT phantom", "scout"});
    auto* first = grid.viewport(0);
    auto* second = grid.viewport(1);
    auto* third = grid.viewport(2);
    EXPECT_EQ(third->plane(), render::ViewPlane::Sagittal); // a lateral scout opens in its own plane

    // Parallel views follow each other; the scout (not parallel) keeps its one image.
    const int start = first->slice();
    wheel(*first, 3);
    EXPECT_EQ(first->slice(), start + 3);
    EXPECT_EQ(second->slice(), start + 3);
    EXPECT_EQ(third->slice(), 0);

    // The scout shows where the axial slices are: two lines (both axial views), at their z.
    ASSERT_EQ(third->referencePlanes().size(), 2u);
    const double z = first->slicePlane()->point[2];
    EXPECT_NEAR(third->referencePlanes()[0].point[2], z, 1e-6);
    EXPECT_NEAR(z, 696.21 + 5.0 * (start + 3), 1e-3); // the oracle's origin and 5 mm steps
    // The axial views show the scout's plane (the parallel twin draws no line).
    ASSERT_EQ(first->referencePlanes().size(), 2u);
    save(grid, "grid-1x3-linked");

    grid.setSynchronizedScrolling(false);
    wheel(*first, -2);
    EXPECT_EQ(first->slice(), start + 1);
    EXPECT_EQ(second->slice(), start + 3);
}

// A comparison group follows through each viewport's link: a prior registered 10 mm away along
// the table shows the slice 10 mm (2 slices) off; unlinked it stays; K keeps the offset the
// reader set by scrolling both to the same anatomy.
TEST(ViewerGrid, ComparisonGroupsScrollThroughTheirLinks)
{
    auto axial = ctPhantom();
    ASSERT_TRUE(axial);
    viewer::ViewerGrid grid;
    grid.resize(1000, 500);
    grid.setLayout(viewer::Layout::OneByTwo);
    grid.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&grid));
    grid.showVolume(0, axial, {"current"});
    grid.showVolume(1, axial, {"prior"});
    auto* current = grid.viewport(0);
    auto* prior = grid.viewport(1);
    viewer::Matrix4 tenMillimetres = viewer::identityMatrix();
    tenMillimetres[11] = 10; // the prior's z + 10 mm is the current study's z
    grid.setLink(0, {0, viewer::LinkKind::FrameOfReference, viewer::identityMatrix(), "brain"});
    grid.setLink(1, {0, viewer::LinkKind::Registered, tenMillimetres, "brain"});
    current->setSlice(10);
    EXPECT_EQ(prior->slice(), 8);
    current->setSlice(20);
    EXPECT_EQ(prior->slice(), 18);
    save(grid, "grid-comparison-registered");

    // Not linked (registration failed): the prior keeps its slice.
    grid.setLink(1, {0, viewer::LinkKind::None, viewer::identityMatrix(), "brain"});
    current->setSlice(12);
    EXPECT_EQ(prior->slice(), 18);
    // The reader scrolls the prior to the same anatomy and presses K.
    prior->setSlice(5);
    QSignalSpy linked(&grid, &viewer::ViewerGrid::linkedByHand);
    prior->setFocus();
    QTest::keyClick(prior, Qt::Key_K);
    ASSERT_EQ(linked.count(), 1);
    EXPECT_EQ(grid.link(1).kind, viewer::LinkKind::Manual);
    current->setSlice(14);
    EXPECT_EQ(prior->slice(), 7); // the offset kept: 7 slices apart
    // The prior's scrolling moves the current study the other way round.
    prior->setSlice(9);
    EXPECT_EQ(current->slice(), 16);
    // W/L dragged in one follows in the other of the same window key.
    grid.setLink(1, {0, viewer::LinkKind::Manual, grid.link(1).toReading, "bone"});
    const auto priorWindow = prior->window();
    current->setWindow({50, 500});
    emit current->windowAdjusted();
    EXPECT_EQ(prior->window().width, priorWindow.width) << "another window key keeps its own window";
    grid.setLink(1, {0, viewer::LinkKind::Manual, grid.link(1).toReading, "brain"});
    emit current->windowAdjusted();
    EXPECT_EQ(prior->window().width, 500);
    // Zoom follows in the group whatever the window key (a drag on the current study).
    grid.setLink(1, {0, viewer::LinkKind::Manual, grid.link(1).toReading, "bone"});
    const QPointF middle(current->width() / 2.0, current->height() / 2.0);
    current->setDragActions(viewer::DragAction::Zoom, viewer::DragAction::Pan, viewer::DragAction::Zoom);
    dragMouse(current, middle, middle + QPointF(0, -100));
    EXPECT_GT(current->zoom(), 1.2);
    EXPECT_DOUBLE_EQ(prior->zoom(), current->zoom());
}

TEST(ViewerGrid, ASeriesDroppedOnAViewportIsAskedFor)
{
    viewer::ViewerGrid grid;
    grid.resize(800, 400);
    grid.setLayout(viewer::Layout::OneByTwo);
    grid.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&grid));
    QSignalSpy dropped(&grid, &viewer::ViewerGrid::seriesDropped);
    QMimeData data;
    data.setData(viewer::kSeriesMimeType, "1.2.3.4");
    const QPointF centre(grid.viewport(1)->width() / 2.0, grid.viewport(1)->height() / 2.0);
    QDragEnterEvent enter(centre.toPoint(), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(grid.viewport(1), &enter);
    EXPECT_TRUE(enter.isAccepted());
    QDropEvent drop(centre, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(grid.viewport(1), &drop);
    ASSERT_EQ(dropped.count(), 1);
    EXPECT_EQ(dropped.at(0).at(0).toInt(), 1);
    EXPECT_EQ(dropped.at(0).at(1).toString(), "1.2.3.4");
    EXPECT_EQ(grid.activeIndex(), 1);
}

TEST(ViewerGrid, MprWithThreeDAndThreeDAlone)
{
    auto axial = ctPhantom();
    ASSERT_TRUE(axial);
    viewer::ViewerGrid grid;
    grid.resize(900, 700);
    grid.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&grid));
    grid.showVolume(0, axial, {});
    grid.setLayout(viewer::Layout::Mpr);
    ASSERT_NE(grid.mpr(), nullptr);
    EXPECT_EQ(grid.mpr()->plane(render::ViewPlane::Coronal)->volume(), axial.get());
    auto* inMpr = grid.mpr()->volumeView();
    ASSERT_NE(inMpr, nullptr);
    QTest::qWait(200);
    EXPECT_GT(brightPixels(inMpr->grabFramebuffer()), 100) << "the 3D cell of the MPR layout is blank";
    save(grid, "grid-mpr-3d");

    grid.setLayout(viewer::Layout::ThreeD);
    auto* view = grid.volumeView();
    ASSERT_NE(view, nullptr);
    EXPECT_EQ(view->preset(), "ct-bone");
    QTest::qWait(200);
    const QImage still = view->grabFramebuffer();
    EXPECT_GT(brightPixels(still), 200);
    // Interactive (coarser) frames while dragging, not blank; the still frame after differs by preset.
    view->setInteracting(true);
    view->rotate(30, 0);
    EXPECT_GT(brightPixels(view->grabFramebuffer()), 200);
    view->setInteracting(false);
    view->setPreset("ct-soft-tissue");
    const QImage soft = view->grabFramebuffer();
    EXPECT_NE(soft, still);
    // X cuts away the half nearest the viewer (from the front: the anterior half, j < 0.5 here),
    // again: the whole volume.
    QTest::keyClick(view, Qt::Key_X);
    ASSERT_TRUE(view->cropBox().has_value());
    EXPECT_EQ((*view->cropBox())[2], 0.5);
    EXPECT_NE(view->grabFramebuffer(), soft);
    save(grid, "grid-3d-cut");
    QTest::keyClick(view, Qt::Key_X);
    EXPECT_FALSE(view->cropBox().has_value());
    save(grid, "grid-3d");
}

} // namespace
} // namespace lb::test
