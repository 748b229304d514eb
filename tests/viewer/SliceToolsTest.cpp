// SliceViewer's tools in a real window: measurements drawn with the mouse (checked against the
// oracle's geometry and against lb_render's region statistics), edited by their handles,
// deleted, kept per series; rotation and flips (labels and pixels); presets on number keys;
// thick slabs. Screenshots go to the test output folder.
#include "core/VolumeAssembler.h"
#include "render/ColourMaps.h"
#include "render/Measurements.h"
#include "render/SliceRender.h"
#include "tests/support/TestSupport.h"
#include "tests/viewer/CtPhantom.h"
#include "viewer/SliceViewer.h"

#include <QApplication>
#include <QImage>
#include <QMouseEvent>
#include <QTest>
#include <gtest/gtest.h>

#include <cmath>

namespace lb::test {
namespace {

// Oracle (tests/data/ct_philips_ingenuity_phantom/S2010_axial_5mm/oracle.json):
// PixelSpacing 0.451171875 mm, axial, identity direction.
constexpr double kPixelMm = 0.451171875;

void save(viewer::SliceViewer& view, const std::string& name)
{
    QApplication::processEvents();
    std::filesystem::create_directories(LB_TEST_OUTPUT);
    view.grabFramebuffer().save(QString::fromStdString(std::string(LB_TEST_OUTPUT) + "/" + name + ".png"));
}

void mouse(viewer::SliceViewer& view, QEvent::Type type, QPointF at, Qt::MouseButton button, Qt::MouseButtons held)
{
    QMouseEvent event(type, at, view.mapToGlobal(at), button, held, Qt::NoModifier);
    QApplication::sendEvent(&view, &event);
}

void drag(viewer::SliceViewer& view, QPointF from, QPointF to)
{
    mouse(view, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
    mouse(view, QEvent::MouseMove, (from + to) / 2, Qt::NoButton, Qt::LeftButton);
    mouse(view, QEvent::MouseMove, to, Qt::NoButton, Qt::LeftButton);
    mouse(view, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
}

void click(viewer::SliceViewer& view, QPointF at)
{
    mouse(view, QEvent::MouseButtonPress, at, Qt::LeftButton, Qt::LeftButton);
    mouse(view, QEvent::MouseButtonRelease, at, Qt::LeftButton, Qt::NoButton);
}

struct ShownPhantom {
    std::shared_ptr<const core::Volume> volume;
    std::unique_ptr<viewer::SliceViewer> view;
};

ShownPhantom showPhantom()
{
    ShownPhantom shown{ctPhantom(), std::make_unique<viewer::SliceViewer>()};
    shown.view->resize(512, 512);
    shown.view->show();
    EXPECT_TRUE(QTest::qWaitForWindowExposed(shown.view.get()));
    if (shown.volume) shown.view->setVolume(shown.volume);
    return shown;
}

QPointF at(viewer::SliceViewer& view, int i, int j)
{
    return *view.widgetPointOf({i, j, view.slice()});
}

TEST(SliceTools, DistanceAngleAndRoiDrawnWithTheMouse)
{
    auto [volume, view] = showPhantom();
    ASSERT_TRUE(volume);
    auto* list = view->measurements();
    ASSERT_NE(list, nullptr);
    list->clear();

    // Distance between the centres of voxels (100, 200) and (300, 250) of this slice.
    QTest::keyClick(view.get(), Qt::Key_D);
    drag(*view, at(*view, 100, 200), at(*view, 300, 250));
    ASSERT_EQ(list->size(), 1u);
    const double expected = std::hypot(200 * kPixelMm, 50 * kPixelMm);
    EXPECT_EQ(list->back().text.toStdString(), QString("%1 mm").arg(expected, 0, 'f', 1).toStdString());

    // Angle: (100,100) - vertex (200,100) - (200,300): a right angle.
    QTest::keyClick(view.get(), Qt::Key_A);
    drag(*view, at(*view, 100, 100), at(*view, 200, 100));
    click(*view, at(*view, 200, 300));
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ(list->back().text, QString::fromUtf8("90.0°"));

    // Ellipse ROI: the statistics lb_render computes for the same box (tested against numpy).
    QTest::keyClick(view.get(), Qt::Key_E);
    drag(*view, at(*view, 220, 220), at(*view, 300, 290));
    ASSERT_EQ(list->size(), 3u);
    auto stats = render::roiStats(*volume, render::ViewPlane::Axial, view->slice(), render::RoiShape::Ellipse, {{220, 220}, {300, 290}});
    ASSERT_TRUE(stats.ok());
    EXPECT_TRUE(list->back().text.startsWith(QString("mean %1 SD %2 HU").arg(stats->mean, 0, 'f', 1).arg(stats->sd, 0, 'f', 1)))
        << list->back().text.toStdString();
    EXPECT_EQ(list->back().plane, render::ViewPlane::Axial);
    EXPECT_EQ(list->back().slice, view->slice());
    save(*view, "tools-1-distance-angle-ellipse");

    // Edit: drag the distance's end handle to (300, 200): now 200 pixels along a row.
    QTest::keyClick(view.get(), Qt::Key_Escape);
    drag(*view, at(*view, 300, 250), at(*view, 300, 200));
    EXPECT_EQ((*list)[0].text.toStdString(), QString("%1 mm").arg(200 * kPixelMm, 0, 'f', 1).toStdString());
    // Delete removes the selected (the edited) one.
    QTest::keyClick(view.get(), Qt::Key_Delete);
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ(list->front().kind, viewer::MeasureKind::Angle);
    // A plain W/L drag elsewhere makes no measurement, and leaves nothing selected to delete.
    drag(*view, QPointF(20, 20), QPointF(60, 40));
    QTest::keyClick(view.get(), Qt::Key_Delete);
    EXPECT_EQ(list->size(), 2u);

    // Only on their slice; and still there when the series is shown again.
    const int slice = view->slice();
    view->setSlice(slice + 1);
    EXPECT_TRUE(view->visibleMeasurements().empty());
    view->setVolume(volume);
    view->setSlice(slice);
    EXPECT_EQ(view->visibleMeasurements().size(), 2u);
    list->clear();
}

TEST(SliceTools, RotateAndFlipMoveThePictureAndTheLabels)
{
    auto [volume, view] = showPhantom();
    ASSERT_TRUE(volume);
    view->setWindow({40, 400});
    auto labels = view->edgeLabels();
    EXPECT_EQ(labels[0], "L"); // radiological: the patient's left on the right
    EXPECT_EQ(labels[2], "A");
    QApplication::processEvents();
    const QImage straight = view->grabFramebuffer();

    QTest::keyClick(view.get(), Qt::Key_BracketRight); // a quarter turn clockwise
    labels = view->edgeLabels();
    EXPECT_EQ(labels[0], "A"); // what was at the top is on the right
    EXPECT_EQ(labels[2], "R"); // what was on the left is at the top
    const QImage turned = view->grabFramebuffer();
    save(*view, "tools-2-rotated");
    // Pixels: the turned picture is the straight one rotated (away from the text at the edges).
    const QImage expected = straight.transformed(QTransform().rotate(90));
    int compared = 0, same = 0;
    for (int y = 96; y < 416; y += 8)
        for (int x = 96; x < 416; x += 8, ++compared)
            same += std::abs(qGray(turned.pixel(x, y)) - qGray(expected.pixel(x, y))) <= 2 ? 1 : 0;
    EXPECT_GT(same, compared * 95 / 100) << same << " of " << compared;

    QTest::keyClick(view.get(), Qt::Key_BracketLeft);
    QTest::keyClick(view.get(), Qt::Key_H); // mirror left-right
    labels = view->edgeLabels();
    EXPECT_EQ(labels[0], "R");
    EXPECT_EQ(labels[2], "A");
    const QImage mirrored = view->grabFramebuffer();
    const QImage expectedMirror = straight.mirrored(true, false);
    compared = same = 0;
    for (int y = 96; y < 416; y += 8)
        for (int x = 96; x < 416; x += 8, ++compared)
            same += std::abs(qGray(mirrored.pixel(x, y)) - qGray(expectedMirror.pixel(x, y))) <= 2 ? 1 : 0;
    EXPECT_GT(same, compared * 95 / 100) << same << " of " << compared;

    QTest::keyClick(view.get(), Qt::Key_H);
    QTest::keyClick(view.get(), Qt::Key_V); // upside down
    labels = view->edgeLabels();
    EXPECT_EQ(labels[0], "L");
    EXPECT_EQ(labels[2], "P");
    QTest::keyClick(view.get(), Qt::Key_R);
    EXPECT_EQ(view->quarterTurns(), 0);
    EXPECT_FALSE(view->flipped());
}

TEST(SliceTools, NumberKeysApplyPresetsAndSlabsFollowTheirThickness)
{
    auto [volume, view] = showPhantom();
    ASSERT_TRUE(volume);
    const render::Window opened = view->window(); // the DICOM's own 40/80
    QTest::keyClick(view.get(), Qt::Key_4);       // lung
    EXPECT_EQ(view->window().center, -600);
    EXPECT_EQ(view->window().width, 1500);
    QTest::keyClick(view.get(), Qt::Key_8); // bone
    EXPECT_EQ(view->window().center, 400);
    QTest::keyClick(view.get(), Qt::Key_0);
    EXPECT_EQ(view->window().center, opened.center);
    EXPECT_EQ(view->window().width, opened.width);

    // S: a 5 mm slab, again: 10 mm = two 5 mm slices, MIP; the values on screen are lb_render's slab.
    QTest::keyClick(view.get(), Qt::Key_S);
    QTest::keyClick(view.get(), Qt::Key_S);
    EXPECT_EQ(view->slabMm(), 10);
    ASSERT_NE(view->current(), nullptr);
    EXPECT_EQ(view->current()->slabSlices, 2);
    render::SliceRequest request;
    request.slice = view->slice();
    request.slabMm = 10;
    auto slab = render::renderSlice(*volume, request);
    ASSERT_TRUE(slab.ok());
    EXPECT_EQ(view->current()->values, slab->values);
    save(*view, "tools-3-slab-mip-10mm");
}

// A modality VOI LUT (pydicom's CT_small.dcm with a square-root table added by pydicom): the
// viewer shows lb_render's grey for it, and a W/L drag turns it into a linear window.
TEST(SliceTools, TheModalitysVoiLutIsShownUntilTheUserSetsAWindow)
{
    TempDir temp;
    const auto made = runPython(R"(
import sys, pydicom
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.data import get_testdata_file
ds = pydicom.dcmread(get_testdata_file('CT_small.dcm'))
lut = Dataset()
lut.add_new((0x0028, 0x3002), 'SS', [4096, -1024, 12])
lut.add_new((0x0028, 0x3006), 'US', [int(round(4095 * (i / 4095) ** 0.5)) for i in range(4096)])
ds.VOILUTSequence = Sequence([lut])
ds.save_as(sys.argv[1])
)", {(temp / "table.dcm").string()});
    ASSERT_EQ(made.exitCode, 0) << made.out;
    auto loaded = core::assembleVolumes({temp / "table.dcm"});
    ASSERT_TRUE(loaded.ok() && !loaded->volumes.empty());
    auto volume = loaded->volumes.front();
    ASSERT_TRUE(volume->storedVoiLut);
    viewer::SliceViewer view;
    view.resize(128, 128);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    view.setVolume(volume);
    ASSERT_NE(view.current(), nullptr);
    EXPECT_EQ(view.current()->voi, "table");
    auto expectOnScreen = [&](const render::RenderedSlice& reference, const char* what) {
        QApplication::processEvents();
        const QImage shot = view.grabFramebuffer();
        int compared = 0, same = 0;
        for (int y = 32; y < 96; y += 2)
            for (int x = 32; x < 96; x += 2, ++compared)
                same += std::abs(qGray(shot.pixel(x, y)) - reference.image.pixels[static_cast<size_t>(y) * 128 + x]) <= 1;
        EXPECT_GT(same, compared * 95 / 100) << what << ": " << same << " of " << compared;
    };
    auto table = render::renderSlice(*volume, {});
    ASSERT_TRUE(table.ok());
    expectOnScreen(*table, "the table");
    view.setWindow({40, 400});
    EXPECT_EQ(view.current()->voi, "linear");
    render::SliceRequest request;
    request.window = render::Window{40, 400};
    auto linear = render::renderSlice(*volume, request);
    ASSERT_TRUE(linear.ok());
    expectOnScreen(*linear, "the window");
}

// Colour maps (resources/presets/colour_maps.json): M cycles them; on screen a pixel is the
// map's colour at its grey (lb_render's VOI of the same window), and grey again at the end.
TEST(SliceTools, ColourMapsColourTheWindow)
{
    auto [volume, view] = showPhantom();
    ASSERT_TRUE(volume);
    view->setWindow({0, 4000}); // air near a quarter, tissue near the middle of the window
    render::SliceRequest request;
    request.slice = view->slice();
    request.window = render::Window{0, 4000};
    auto grey = render::renderSlice(*volume, request);
    ASSERT_TRUE(grey.ok());
    QTest::keyClick(view.get(), Qt::Key_M);
    ASSERT_EQ(view->colourMap(), "hot-iron");
    QApplication::processEvents();
    const QImage shot = view->grabFramebuffer();
    save(*view, "tools-4-hot-iron");
    const auto map = render::colourMapNamed("hot-iron");
    ASSERT_TRUE(map.ok());
    int compared = 0, close = 0;
    for (int y = 128; y < 384; y += 16)
        for (int x = 128; x < 384; x += 16, ++compared) {
            const auto rgb = map->at(grey->image.pixels[static_cast<size_t>(y) * 512 + x] / 255.0);
            const QRgb pixel = shot.pixel(x, y);
            close += std::abs(qRed(pixel) - rgb[0] * 255) <= 3 && std::abs(qGreen(pixel) - rgb[1] * 255) <= 3 &&
                             std::abs(qBlue(pixel) - rgb[2] * 255) <= 3
                         ? 1
                         : 0;
        }
    EXPECT_GT(close, compared * 9 / 10) << close << " of " << compared;
    EXPECT_FALSE(view->setColourMap("nosuch"));
    for (size_t n = 1; n < render::colourMaps().size(); ++n) QTest::keyClick(view.get(), Qt::Key_M);
    EXPECT_EQ(view->colourMap(), "grey");
}

// Colour images (pydicom's SC_rgb_rle.dcm: RGB, RLE) are shown as stored, no VOI, no colour map.
TEST(SliceTools, ColourImagesAreShownAsStored)
{
    auto loaded = core::assembleVolumes({"/usr/lib/python3/dist-packages/pydicom/data/test_files/SC_rgb_rle.dcm"});
    ASSERT_TRUE(loaded.ok() && !loaded->volumes.empty());
    auto volume = loaded->volumes.front();
    ASSERT_EQ(volume->components(), 3);
    viewer::SliceViewer view;
    view.resize(300, 300); // 3 screen pixels a picture pixel, the corner text away from the middle
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    view.setVolume(volume);
    ASSERT_NE(view.current(), nullptr);
    EXPECT_EQ(view.current()->voi, "colour");
    QApplication::processEvents();
    const QImage shot = view.grabFramebuffer();
    save(view, "tools-5-colour");
    int compared = 0, same = 0, coloured = 0;
    for (int y = 30; y < 70; y += 2)
        for (int x = 30; x < 70; x += 2, ++compared) {
            const uint8_t* rgb = view.current()->rgb.data() + (static_cast<size_t>(y) * 100 + x) * 3;
            const QRgb pixel = shot.pixel(3 * x + 1, 3 * y + 1);
            same += std::abs(qRed(pixel) - rgb[0]) <= 2 && std::abs(qGreen(pixel) - rgb[1]) <= 2 && std::abs(qBlue(pixel) - rgb[2]) <= 2;
            coloured += rgb[0] != rgb[1] || rgb[1] != rgb[2];
        }
    EXPECT_GT(same, compared * 9 / 10) << same << " of " << compared;
    EXPECT_GT(coloured, compared / 4); // a colour picture, not grey
}

} // namespace
} // namespace lb::test
