// MprView in a real window: three linked planes; Ctrl + click in one moves the others to the
// voxel clicked; the crosshair and window follow. A screenshot is written out.
#include "cache/InputCollector.h"
#include "core/VolumeAssembler.h"
#include "tests/support/TestSupport.h"
#include "tests/viewer/CtPhantom.h"
#include "viewer/MprView.h"

#include <QApplication>
#include <QMouseEvent>
#include <QPainter>
#include <QTest>
#include <gtest/gtest.h>

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

TEST(MprView, CtrlClickMovesTheOtherPlanesToTheVoxel)
{
    auto volume = ctPhantom();
    ASSERT_TRUE(volume);
    viewer::MprView mpr;
    mpr.resize(1024, 1024);
    mpr.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&mpr));
    mpr.setVolume(volume);
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

} // namespace
} // namespace lb::test
