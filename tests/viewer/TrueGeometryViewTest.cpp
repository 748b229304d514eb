// The workstation shows what the data says (issue 12): a tilted CT's MPR is the regular grid the
// CLI renders (the same sagittal, value for value), its acquired slices sit where their files
// say, and an image without patient geometry is an `image` with PatientOrientation's letters
// whose MPR layout says that it needs a volume. Screenshots are written out.
#include "core/VolumeAssembler.h"
#include "render/PngExport.h"
#include "render/RegularGrid.h"
#include "render/SliceRender.h"
#include "render/ViewGeometry.h"
#include "tests/support/TestSupport.h"
#include "viewer/ViewerGrid.h"

#include <QApplication>
#include <QLabel>
#include <QPainter>
#include <QTest>
#include <gtest/gtest.h>

#include <cmath>

namespace lb::test {
namespace {

std::shared_ptr<const core::Volume> load(const std::vector<std::filesystem::path>& files)
{
    auto loaded = core::assembleVolumes(files);
    if (!loaded) return nullptr;
    return core::largestVolume(*loaded);
}

std::vector<std::filesystem::path> dicomFiles(const std::filesystem::path& folder)
{
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        if (entry.is_regular_file() && entry.path().extension() != ".json" && entry.path().extension() != ".txt") files.push_back(entry.path());
    return files;
}

QImage screenshot(QWidget& widget, const std::string& name)
{
    QApplication::processEvents();
    QImage image = widget.grab().toImage();
    QPainter painter(&image);
    for (auto* view : widget.findChildren<viewer::SliceViewer*>())
        if (view->isVisible()) painter.drawImage(QRect(view->mapTo(&widget, QPoint(0, 0)), view->size()), view->grabFramebuffer());
    painter.end();
    std::filesystem::create_directories(LB_TEST_OUTPUT);
    image.save(QString::fromStdString(std::string(LB_TEST_OUTPUT) + "/" + name + ".png"));
    return image;
}

bool sameValues(const std::vector<float>& a, const std::vector<float>& b)
{
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
    return true;
}

TEST(TrueGeometryView, TiltedCtSagittalIsTheResampledGridsAndAxialSlicesSitWhereTheirFilesSay)
{
    auto volume = load(dicomFiles(testData() / "derived/ct_tilt_18p5"));
    ASSERT_TRUE(volume);
    ASSERT_FALSE(volume->regularGrid);
    viewer::ViewerGrid grid;
    grid.resize(1200, 900);
    grid.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&grid));
    grid.showVolume(0, volume, {"tilted CT (18.5 degrees)"});

    // The acquired slices in the slice viewport: each at its own IPP along the normal.
    viewer::SliceViewer* axial = grid.viewport(0);
    for (int k : {0, 13, 27}) {
        axial->setSlice(k);
        ASSERT_TRUE(axial->current());
        EXPECT_NEAR(axial->current()->positionMm, volume->slicePositionAlongNormal(k), 1e-6) << k;
        for (int c = 0; c < 3; ++c) EXPECT_NEAR(axial->current()->pictureOrigin[c], volume->slicePositions[static_cast<size_t>(k)][c], 1e-6);
    }
    axial->setSlice(14);
    // The voxel under the middle of the picture is (256, 256, 14) of the acquired stack: the
    // slice's own origin, not the nominal grid's (49 rows off at slice 14 of an 18.5° tilt).
    const auto& g = volume->geometry();
    std::array<double, 3> lps = volume->slicePositions[14];
    for (int c = 0; c < 3; ++c) lps[c] += 256 * g.spacing[0] * g.direction[c] + 256 * g.spacing[1] * g.direction[3 + c];
    const auto index = axial->volumeIndexOf(lps);
    EXPECT_NEAR(index[0], 256, 1e-6);
    EXPECT_NEAR(index[1], 256, 1e-6);
    EXPECT_NEAR(index[2], 14, 1e-6);
    const auto nominal = render::voxelIndexOf(g, lps); // what the nominal grid would say
    EXPECT_GT(std::abs(nominal[1] - 256), 40);
    screenshot(grid, "12a-tilt-axial-acquired");

    // The MPR: its sagittal is `render --view sagittal` of the resampled grid, value for value.
    grid.setLayout(viewer::Layout::Mpr);
    QApplication::processEvents();
    ASSERT_TRUE(grid.mpr());
    viewer::SliceViewer* sagittal = grid.mpr()->plane(render::ViewPlane::Sagittal);
    ASSERT_TRUE(sagittal && sagittal->current());
    auto regular = render::onRegularGrid(volume);
    ASSERT_TRUE(regular.ok());
    render::SliceRequest request;
    request.plane = render::ViewPlane::Sagittal;
    request.slice = sagittal->slice();
    auto reference = render::renderSlice(**regular, request);
    ASSERT_TRUE(reference.ok());
    EXPECT_EQ(sagittal->current()->view.width, reference->view.width);
    EXPECT_EQ(sagittal->current()->view.height, reference->view.height);
    EXPECT_EQ(reference->view.height, 28); // 28 slices at 5 mm x cos 18.5 deg on the regular grid
    EXPECT_EQ(reference->view.width, 607); // rows widened to hold the slid slices (dcm2niix: 607)
    EXPECT_TRUE(sameValues(sagittal->current()->values, reference->values));
    // Not the acquired volume's sheared sagittal.
    render::SliceRequest sheared = request;
    sheared.slice = std::min(request.slice.value(), volume->geometry().dims[0] - 1);
    auto acquiredSagittal = render::renderSlice(*volume, sheared);
    ASSERT_TRUE(acquiredSagittal.ok());
    EXPECT_FALSE(sameValues(acquiredSagittal->values, reference->values));
    // For the eye: the sagittal as the acquired stack on its nominal grid (what was shown before
    // issue 12: slices stacked along the normal from the first one) next to the resampled grid's.
    std::filesystem::create_directories(LB_TEST_OUTPUT);
    render::SliceRequest picture = request;
    picture.window = render::Window{0, 2000};
    picture.size = std::make_pair(800, 400);
    auto before = render::renderSlice(*volume, picture);
    auto after = render::renderSlice(**regular, picture);
    ASSERT_TRUE(before.ok() && after.ok());
    EXPECT_TRUE(render::writePng(before->image, std::string(LB_TEST_OUTPUT) + "/12c-tilt-sagittal-before-nominal-grid.png").ok());
    EXPECT_TRUE(render::writePng(after->image, std::string(LB_TEST_OUTPUT) + "/12d-tilt-sagittal-after-resampled.png").ok());
    screenshot(grid, "12b-tilt-mpr-resampled");
}

TEST(TrueGeometryView, AnImageWithoutGeometryHasItsOwnLettersAndNoMpr)
{
    auto volume = load({testData() / "derived/cr_patient_orientation/cr_no_spacing.dcm"});
    ASSERT_TRUE(volume);
    viewer::ViewerGrid grid;
    grid.resize(900, 700);
    grid.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&grid));
    grid.showVolume(0, volume, {"CR without geometry"});
    QApplication::processEvents();
    viewer::SliceViewer* view = grid.viewport(0);
    ASSERT_TRUE(view->current());
    EXPECT_TRUE(view->current()->imageView);
    EXPECT_EQ(view->edgeLabels(), (std::array<QString, 4>{"R", "L", "H", "F"})); // right, left, top, bottom
    screenshot(grid, "13a-cr-image-view");

    grid.setLayout(viewer::Layout::Mpr);
    QApplication::processEvents();
    auto* message = grid.findChild<QLabel*>("needsVolume");
    ASSERT_TRUE(message);
    EXPECT_TRUE(message->isVisible());
    EXPECT_TRUE(message->text().contains("need a volume")) << message->text().toStdString();
    EXPECT_FALSE(grid.mpr()->isVisible());
    screenshot(grid, "13b-cr-mpr-needs-a-volume");

    // Back to a volume: the MPR is shown again and the message goes.
    auto ct = load(dicomFiles(testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm"));
    ASSERT_TRUE(ct);
    grid.showVolume(0, ct, {"CT"});
    QApplication::processEvents();
    EXPECT_FALSE(message->isVisible());
    EXPECT_TRUE(grid.mpr()->isVisible());
}

} // namespace
} // namespace lb::test
