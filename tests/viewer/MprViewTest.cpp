// MprView in a real window: three linked planes; Ctrl + click in one moves the others to the
// voxel clicked; the crosshair and window follow. A screenshot is written out.
#include "cache/InputCollector.h"
#include "core/VolumeAssembler.h"
#include "tests/support/TestSupport.h"
#include "tests/viewer/CtPhantom.h"
#include "render/ObliqueRender.h"
#include "viewer/MprView.h"

#include <QApplication>
#include <QMouseEvent>
#include <QPainter>
#include <QTest>
#include <gtest/gtest.h>

#include <cmath>

namespace lb::test {
namespace {


// The widget with its GL children as they are on screen (their framebuffers, overlays included).
QImage screenshot(QWidget& widget)
{
    QImage image = widget.grab().toImage();
    QPainter painter(&image);
    for (auto* plane : widget.findChildren<viewer::SliceViewer*>())
        painter.drawImage(QRect(plane->mapTo(&widget, QPoint(0, 0)), plane->size()), plane->grabFramebuffer());
    return image;
}

// The MPR view at 1024x1024 in a shown window, on `volume`.
bool showInWindow(viewer::MprView& mpr, const std::shared_ptr<const core::Volume>& volume)
{
    mpr.resize(1024, 1024);
    mpr.show();
    if (!QTest::qWaitForWindowExposed(&mpr)) return false;
    mpr.setVolume(volume);
    return true;
}

TEST(MprView, CtrlClickMovesTheOtherPlanesToTheVoxel)
{
    auto volume = ctPhantom();
    ASSERT_TRUE(volume);
    viewer::MprView mpr;
    ASSERT_TRUE(showInWindow(mpr, volume));
    QApplication::processEvents();
    auto* axial = mpr.plane(render::ViewPlane::Axial);
    auto* coronal = mpr.plane(render::ViewPlane::Coronal);
    auto* sagittal = mpr.plane(render::ViewPlane::Sagittal);
    EXPECT_EQ(axial->slice(), 14);
    EXPECT_EQ(coronal->slice(), 256);
    EXPECT_EQ(sagittal->slice(), 256);

    // Ctrl + click where voxel (100, 200, 14) is drawn in the axial plane.
    const auto at = axial->widgetPointOf({100, 200, 14});
    ASSERT_TRUE(at.has_value());
    QMouseEvent click(QEvent::MouseButtonPress, *at, axial->mapToGlobal(*at), Qt::LeftButton, Qt::LeftButton,
                      Qt::ControlModifier);
    QApplication::sendEvent(axial, &click);
    const auto crosshair = mpr.crosshair();
    EXPECT_NEAR(crosshair[0], 100, 1);
    EXPECT_NEAR(crosshair[1], 200, 1);
    EXPECT_EQ(crosshair[2], 14);
    EXPECT_EQ(coronal->slice(), crosshair[1]); // coronal planes are rows (j)
    EXPECT_EQ(sagittal->slice(), crosshair[0]); // sagittal planes are columns (i)
    EXPECT_EQ(axial->slice(), 14);

    // A window set in one plane reaches the others.
    coronal->setWindow({300, 1500});
    EXPECT_EQ(axial->window().width, 1500);
    EXPECT_EQ(sagittal->window().center, 300);

    QApplication::processEvents();
    std::filesystem::create_directories(LB_TEST_OUTPUT);
    EXPECT_TRUE(screenshot(mpr).save(QString::fromStdString(std::string(LB_TEST_OUTPUT) + "/5-mpr.png")));
}

// Oblique MPR: Shift + drag about the crosshair in the axial plane turns the coronal and
// sagittal planes about the axial normal; the crosshair stays on all three planes; the turned
// planes are lb_render's oblique planes with the turned axes; O brings the orthogonal planes back.
TEST(MprView, ShiftDragTurnsTheOtherPlanesAboutTheCrosshair)
{
    auto volume = ctPhantom();
    ASSERT_TRUE(volume);
    viewer::MprView mpr;
    ASSERT_TRUE(showInWindow(mpr, volume));
    auto* axial = mpr.plane(render::ViewPlane::Axial);
    auto* coronal = mpr.plane(render::ViewPlane::Coronal);
    auto* sagittal = mpr.plane(render::ViewPlane::Sagittal);
    ASSERT_FALSE(mpr.oblique());

    // Shift + drag a quarter of a turn about the crosshair, clockwise as the axial plane shows it.
    const QPointF centre = *axial->widgetPointOf(mpr.crosshair());
    const QPointF from = centre + QPointF(100, 0), to = centre + QPointF(0, 100);
    QMouseEvent press(QEvent::MouseButtonPress, from, axial->mapToGlobal(from), Qt::LeftButton, Qt::LeftButton, Qt::ShiftModifier);
    QApplication::sendEvent(axial, &press);
    for (int step = 1; step <= 6; ++step) {
        const double angle = M_PI / 2 * step / 6 / 3; // in all 30 degrees
        const QPointF at = centre + QPointF(100 * std::cos(angle), 100 * std::sin(angle));
        QMouseEvent move(QEvent::MouseMove, at, axial->mapToGlobal(at), Qt::NoButton, Qt::LeftButton, Qt::ShiftModifier);
        QApplication::sendEvent(axial, &move);
    }
    QMouseEvent release(QEvent::MouseButtonRelease, to, axial->mapToGlobal(to), Qt::LeftButton, Qt::NoButton, Qt::ShiftModifier);
    QApplication::sendEvent(axial, &release);
    ASSERT_TRUE(mpr.oblique());
    EXPECT_FALSE(axial->obliquePlane().has_value()); // the plane turned about stays as it was
    ASSERT_TRUE(coronal->obliquePlane().has_value());
    ASSERT_TRUE(sagittal->obliquePlane().has_value());

    // The coronal normal (0,1,0) turned 30 degrees about the axial normal (0,0,1).
    const auto plane = coronal->slicePlane();
    ASSERT_TRUE(plane.has_value());
    EXPECT_NEAR(std::abs(plane->normal[1]), std::cos(M_PI / 6), 0.02);
    EXPECT_NEAR(std::abs(plane->normal[0]), std::sin(M_PI / 6), 0.02);
    EXPECT_NEAR(plane->normal[2], 0, 1e-9);
    // The crosshair lies on every plane (within half a sample).
    const auto centreLps = mpr.crosshairPoint();
    for (auto* view : {axial, coronal, sagittal}) {
        const auto p = view->slicePlane();
        ASSERT_TRUE(p.has_value());
        double distance = 0;
        for (int c = 0; c < 3; ++c) distance += (centreLps[c] - p->point[c]) * p->normal[c];
        EXPECT_LT(std::abs(distance), 0.5) << render::viewPlaneName(view->plane());
    }
    // What the coronal plane shows is lb_render's oblique plane with its axes, through the crosshair.
    render::ObliqueRequest request;
    request.axes = std::array<std::array<double, 3>, 2>{coronal->obliquePlane()->right, coronal->obliquePlane()->down};
    request.positionMm = plane->normal[0] * centreLps[0] + plane->normal[1] * centreLps[1] + plane->normal[2] * centreLps[2];
    request.window = coronal->window();
    auto expected = render::renderOblique(*volume, request);
    ASSERT_TRUE(expected.ok());
    const auto& shown = coronal->current()->values;
    ASSERT_EQ(shown.size(), expected->values.size());
    size_t differ = 0, inside = 0;
    for (size_t v = 0; v < shown.size(); ++v) {
        const bool bothOutside = std::isnan(shown[v]) && std::isnan(expected->values[v]);
        inside += std::isnan(shown[v]) ? 0 : 1;
        differ += bothOutside || shown[v] == expected->values[v] ? 0 : 1;
    }
    EXPECT_EQ(differ, 0u);
    EXPECT_GT(inside, shown.size() / 20); // the plane cuts the volume
    // L: nearest-neighbour sampling instead (every value then is a voxel's, the stored integers).
    QTest::keyClick(coronal, Qt::Key_L);
    EXPECT_FALSE(coronal->linearInterpolation());
    request.nearest = true;
    auto nearest = render::renderOblique(*volume, request);
    ASSERT_TRUE(nearest.ok());
    size_t nearestDiffer = 0, fractional = 0;
    for (size_t v = 0; v < nearest->values.size(); ++v) {
        const float value = coronal->current()->values[v];
        if (std::isnan(value)) continue;
        nearestDiffer += value == nearest->values[v] ? 0 : 1;
        fractional += value == std::floor(value) ? 0 : 1;
    }
    EXPECT_EQ(nearestDiffer, 0u);
    EXPECT_EQ(fractional, 0u);
    QTest::keyClick(coronal, Qt::Key_L);

    // The axial plane draws the turned planes as its cross lines.
    ASSERT_EQ(axial->referencePlanes().size(), 2u);
    QApplication::processEvents();
    std::filesystem::create_directories(LB_TEST_OUTPUT);
    EXPECT_TRUE(screenshot(mpr).save(QString::fromStdString(std::string(LB_TEST_OUTPUT) + "/5b-mpr-oblique-30.png")));

    // Scrolling the oblique coronal plane moves the crosshair along its normal.
    const auto before = mpr.crosshairPoint();
    coronal->setSlice(coronal->slice() + 10);
    const auto after = mpr.crosshairPoint();
    double moved = 0;
    for (int c = 0; c < 3; ++c) moved += (after[c] - before[c]) * plane->normal[c];
    EXPECT_NEAR(std::abs(moved), 10 * coronal->current()->view.depthSpacingMm, 1e-6);

    QTest::keyClick(axial, Qt::Key_O);
    EXPECT_FALSE(mpr.oblique());
}

} // namespace
} // namespace lb::test
