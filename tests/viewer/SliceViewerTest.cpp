// SliceViewer in a real window: it shows the slice lb_render computes, a left drag changes
// window/level, the wheel changes the slice. Screenshots of each state are written out.
#include "cache/InputCollector.h"
#include "core/VolumeAssembler.h"
#include "render/SliceRender.h"
#include "tests/support/TestSupport.h"
#include "tests/viewer/CtPhantom.h"
#include "viewer/SliceViewer.h"

#include <QApplication>
#include <QImage>
#include <QMouseEvent>
#include <QTest>
#include <QWheelEvent>
#include <gtest/gtest.h>

namespace lb::test {
namespace {


QImage shoot(viewer::SliceViewer& view, const std::string& name)
{
    QApplication::processEvents();
    QImage image = view.grabFramebuffer();
    std::filesystem::create_directories(LB_TEST_OUTPUT);
    image.save(QString::fromStdString(std::string(LB_TEST_OUTPUT) + "/" + name + ".png"));
    return image;
}

// Mean grey of the central quarter of a screenshot.
double centralMean(const QImage& image)
{
    double sum = 0;
    int count = 0;
    for (int y = image.height() * 3 / 8; y < image.height() * 5 / 8; ++y)
        for (int x = image.width() * 3 / 8; x < image.width() * 5 / 8; ++x, ++count) sum += qGray(image.pixel(x, y));
    return count ? sum / count : 0;
}

TEST(SliceViewer, ShowsTheRenderedSliceAndFollowsDragAndWheel)
{
    auto volume = ctPhantom();
    ASSERT_TRUE(volume);
    viewer::SliceViewer view;
    view.resize(512, 512);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    view.setVolume(volume);
    view.setWindow({40, 400});
    const QImage first = shoot(view, "1-axial-w400-l40");
    ASSERT_EQ(first.width(), 512 * view.devicePixelRatioF());

    // What is on screen is lb_render's slice: compare every 8th pixel of the central region
    // with the native rendering of the same slice and window (one voxel per pixel here, as the
    // 512x512 slice fills the 512x512 view).
    render::SliceRequest request;
    request.slice = view.slice();
    request.window = render::Window{40, 400};
    auto reference = render::renderSlice(*volume, request);
    ASSERT_TRUE(reference.ok());
    int compared = 0, close = 0;
    for (int y = 128; y < 384; y += 8)
        for (int x = 128; x < 384; x += 8, ++compared)
            if (std::abs(qGray(first.pixel(x, y)) - reference->image.pixels[static_cast<size_t>(y) * 512 + x]) <= 2) ++close;
    EXPECT_GT(close, compared * 95 / 100) << close << " of " << compared << " pixels match lb_render";

    // Left drag up and right: level and width change, the picture changes.
    double width = 0, center = 0;
    QObject::connect(&view, &viewer::SliceViewer::windowChanged, [&](double w, double c) { width = w; center = c; });
    const QPointF start(256, 256), end(356, 206);
    QMouseEvent press(QEvent::MouseButtonPress, start, view.mapToGlobal(start), Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&view, &press);
    QMouseEvent move(QEvent::MouseMove, end, view.mapToGlobal(end), Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&view, &move);
    QMouseEvent release(QEvent::MouseButtonRelease, end, view.mapToGlobal(end), Qt::LeftButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(&view, &release);
    EXPECT_GT(width, 400);
    EXPECT_LT(center, 40);
    const QImage dragged = shoot(view, "2-after-wl-drag");
    EXPECT_NE(centralMean(first), centralMean(dragged));

    // Wheel: one notch, one slice.
    const int before = view.slice();
    QWheelEvent wheel(QPointF(256, 256), view.mapToGlobal(QPointF(256, 256)), QPoint(), QPoint(0, 120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&view, &wheel);
    EXPECT_EQ(view.slice(), before + 1);
    QTest::keyClick(&view, Qt::Key_End);
    EXPECT_EQ(view.slice(), view.sliceCount() - 1);
    shoot(view, "3-last-slice");

    // Right drag up: zoom in; I: invert; R: back to how it opened; C: cine.
    view.setSlice(14);
    const double before_zoom = view.zoom();
    QMouseEvent zoomPress(QEvent::MouseButtonPress, start, view.mapToGlobal(start), Qt::RightButton, Qt::RightButton, Qt::NoModifier);
    QApplication::sendEvent(&view, &zoomPress);
    const QPointF up(256, 56);
    QMouseEvent zoomMove(QEvent::MouseMove, up, view.mapToGlobal(up), Qt::NoButton, Qt::RightButton, Qt::NoModifier);
    QApplication::sendEvent(&view, &zoomMove);
    QMouseEvent zoomRelease(QEvent::MouseButtonRelease, up, view.mapToGlobal(up), Qt::RightButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(&view, &zoomRelease);
    EXPECT_NEAR(view.zoom(), before_zoom * 2, 0.01);
    const QImage zoomed = shoot(view, "5-zoomed-2x");
    const double plainMean = centralMean(shoot(view, "5a-zoomed-again"));
    QTest::keyClick(&view, Qt::Key_I);
    EXPECT_TRUE(view.inverted());
    const double invertedMean = centralMean(shoot(view, "6-inverted"));
    EXPECT_NEAR(plainMean + invertedMean, 255, 3); // the same pixels, each 255 - v
    QTest::keyClick(&view, Qt::Key_R);
    EXPECT_FALSE(view.inverted());
    EXPECT_EQ(view.zoom(), 1);
    const int cineStart = view.slice();
    view.setCine(true, 20);
    QTest::qWait(400);
    view.setCine(false);
    EXPECT_GE((view.slice() - cineStart + view.sliceCount()) % view.sliceCount(), 3) << "cine at 20 fps for 0.4 s";
    (void)zoomed;

    // Coronal: head at the top.
    view.setVolume(volume, render::ViewPlane::Coronal);
    view.setWindow({400, 1800});
    shoot(view, "4-coronal-bone");
    EXPECT_EQ(view.current()->view.topLabel, "S");
}

} // namespace
} // namespace lb::test
