// True geometry on real data made from the shared series (tests/data/derived, see its README):
// a tilted CT and a variable-increment CT against dcm2niix's corrected volumes, mosaics in other
// encodings against the Siemens original, images without patient geometry, and stacks with a
// missing or unreadable slice (a gap stays a gap).
#include "core/VolumeAssembler.h"
#include "render/Measurements.h"
#include "render/RegularGrid.h"
#include "render/SliceRender.h"
#include "render/ViewGeometry.h"
#include "tests/support/TestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace lb {
namespace {

using Vec = std::array<double, 3>;
using test::readJson;
using test::testData;

std::vector<std::filesystem::path> dicomFiles(const std::filesystem::path& folder)
{
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        if (entry.is_regular_file() && entry.path().extension() != ".json" && entry.path().extension() != ".txt"
            && entry.path().filename() != "DIRFILE")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

std::shared_ptr<const core::Volume> loadOne(const std::filesystem::path& folder)
{
    auto loaded = core::assembleVolumes(dicomFiles(folder));
    EXPECT_TRUE(loaded.ok()) << (loaded ? "" : loaded.error().message());
    if (!loaded || loaded->volumes.empty()) return nullptr;
    return core::largestVolume(*loaded);
}

// Trilinear sample of a grey volume at an LPS point (nullopt outside).
std::optional<double> sampleAt(const core::Volume& volume, const Vec& lps, int t = 0)
{
    const auto index = render::voxelIndexOf(volume.geometry(), lps);
    const auto& dims = volume.geometry().dims;
    std::array<int, 3> low{};
    std::array<double, 3> fraction{};
    for (int a = 0; a < 3; ++a) {
        if (index[a] < -1e-6 || index[a] > dims[a] - 1 + 1e-6) return std::nullopt;
        low[a] = std::min(static_cast<int>(std::floor(index[a] + 1e-9)), std::max(0, dims[a] - 2));
        fraction[a] = dims[a] == 1 ? 0 : std::clamp(index[a] - low[a], 0.0, 1.0);
    }
    double value = 0;
    for (int corner = 0; corner < 8; ++corner) {
        double weight = 1;
        std::array<int, 3> at{};
        for (int a = 0; a < 3; ++a) {
            const bool high = (corner >> a) & 1;
            at[a] = std::min(low[a] + (high ? 1 : 0), dims[a] - 1);
            weight *= high ? fraction[a] : 1 - fraction[a];
        }
        if (weight > 0) value += weight * volume.valueAt(at[0], at[1], at[2], t);
    }
    return value;
}

Vec jsonVec(const nlohmann::json& value) { return {value[0].get<double>(), value[1].get<double>(), value[2].get<double>()}; }

void expectGridMatchesOracle(const core::Volume& grid, const nlohmann::json& oracle, double originToleranceMm)
{
    const auto& g = grid.geometry();
    for (int a = 0; a < 3; ++a) {
        EXPECT_EQ(g.dims[a], oracle["dims"][a].get<int>()) << "axis " << a;
        const Vec axis = jsonVec(oracle["direction_lps"][a]);
        for (int c = 0; c < 3; ++c) EXPECT_NEAR(g.direction[a * 3 + c], axis[c], 1e-5) << "axis " << a;
        EXPECT_NEAR(g.origin[a], oracle["origin_lps"][a].get<double>(), originToleranceMm);
    }
    EXPECT_NEAR(g.spacing[0], oracle["spacing"][0].get<double>(), 1e-5);
    EXPECT_NEAR(g.spacing[1], oracle["spacing"][1].get<double>(), 1e-5);
}

// dcm2niix interpolates too: our value at each of its probes must lie within the spread of its
// 3x3x3 neighbourhood (plus a little for the two interpolations' rounding).
void expectProbesAgree(const core::Volume& grid, const nlohmann::json& probes)
{
    ASSERT_GE(probes.size(), 5u);
    for (const auto& probe : probes) {
        const auto value = sampleAt(grid, jsonVec(probe["lps"]));
        ASSERT_TRUE(value) << probe.dump();
        const double low = probe["value_range_3x3x3"][0], high = probe["value_range_3x3x3"][1];
        EXPECT_GE(*value, low - 3) << probe.dump();
        EXPECT_LE(*value, high + 3) << probe.dump();
    }
}

TEST(RegularGrid, TiltedCtKeepsItsAcquiredSlicesAndResamplesLikeDcm2niix)
{
    const auto folder = testData() / "derived/ct_tilt_18p5";
    const auto oracle = readJson(folder / "oracle.json");
    auto acquired = loadOne(folder);
    ASSERT_TRUE(acquired);
    EXPECT_EQ(acquired->warnings, std::vector<std::string>{"gantry tilt 18.5°, resampled for MPR and 3D"});
    EXPECT_FALSE(acquired->regularGrid);
    EXPECT_NEAR(acquired->gantryTiltDegrees, 18.5, 0.01);
    // Every acquired slice where its file says.
    ASSERT_EQ(acquired->slicePositions.size(), oracle["slice_positions_lps"].size());
    for (size_t k = 0; k < acquired->slicePositions.size(); ++k)
        for (int c = 0; c < 3; ++c) EXPECT_NEAR(acquired->slicePositions[k][c], oracle["slice_positions_lps"][k][c].get<double>(), 1e-3);
    // The acquired slices' own pixels, exactly (DICOM values read by pydicom).
    for (const auto& probe : oracle["acquired_probes"]) {
        const auto& ijk = probe["ijk_acquired"];
        EXPECT_EQ(acquired->valueAt(ijk[0], ijk[1], ijk[2]), probe["value"].get<double>()) << probe.dump();
    }

    // Measurements between acquired voxels use the slices' own positions: the first and last
    // slice centres are 27 table steps of 5 mm apart (135 mm), not 27 x 4.74 mm along the normal.
    EXPECT_NEAR(render::distanceMm(*acquired, {256, 256, 0}, {256, 256, 27}), 135.0, 1e-3);
    EXPECT_NEAR(render::distanceMm(acquired->geometry(), {256, 256, 0}, {256, 256, 27}), 27 * 4.741618, 1e-3); // the nominal grid's answer

    auto grid = render::onRegularGrid(acquired);
    ASSERT_TRUE(grid.ok()) << grid.error().message();
    const core::Volume& resampled = **grid;
    EXPECT_TRUE(resampled.resampled);
    EXPECT_TRUE(resampled.regularGrid);
    expectGridMatchesOracle(resampled, oracle, 0.05);
    EXPECT_NEAR(resampled.geometry().spacing[2], oracle["spacing"][2].get<double>(), 1e-4); // 5 mm x cos 18.5°
    expectProbesAgree(resampled, oracle["probes"]);
}

TEST(RegularGrid, VariableIncrementIsNamedOnceAndResampledAtTheFinestStep)
{
    const auto folder = testData() / "derived/ct_variable_increment";
    const auto oracle = readJson(folder / "oracle.json");
    auto acquired = loadOne(folder);
    ASSERT_TRUE(acquired);
    EXPECT_EQ(acquired->warnings,
              std::vector<std::string>{"variable increment: 13 × 4.0 mm, 1 × 1.1 mm, 13 × 7.0 mm, resampled for MPR and 3D"});
    const auto& along = oracle["slice_positions_along_normal"];
    ASSERT_EQ(acquired->slicePositions.size(), along.size());
    for (size_t k = 0; k < along.size(); ++k)
        EXPECT_NEAR(acquired->slicePositionAlongNormal(static_cast<int>(k)), along[k].get<double>(), 1e-3) << k;

    // The 2D view of the acquired slices: slice 14 lies where its file says (749.31 mm), not on
    // the mean spacing (696.21 + 14 x 5.337 = 770.93 mm).
    render::SliceRequest request;
    request.slice = 14;
    auto slice = render::renderSlice(*acquired, request);
    ASSERT_TRUE(slice.ok());
    EXPECT_NEAR(slice->positionMm, 749.31, 1e-3);
    EXPECT_NEAR(slice->pictureOrigin[2], 749.31, 1e-3);

    auto grid = render::onRegularGrid(acquired);
    ASSERT_TRUE(grid.ok()) << grid.error().message();
    const auto& g = (*grid)->geometry();
    EXPECT_NEAR(g.spacing[2], 1.1, 1e-6); // the finest acquired increment
    EXPECT_NEAR(g.origin[2], 696.21, 1e-3);
    EXPECT_GE(g.origin[2] + g.spacing[2] * (g.dims[2] - 1), 840.31 - 1.1);
    EXPECT_EQ(g.dims[0], 512);
    EXPECT_EQ(g.dims[1], 512);
    expectProbesAgree(**grid, oracle["probes"]);
}

TEST(RegularGrid, MosaicsInOtherEncodingsEqualTheSiemensOriginal)
{
    auto original = loadOne(testData() / "mr_siemens_skyra_epi_mosaic");
    ASSERT_TRUE(original);
    for (const char* copy : {"derived/mr_siemens_skyra_mosaic_implicit", "derived/mr_uih_mosaic_no_ipp"}) {
        SCOPED_TRACE(copy);
        const auto oracle = readJson(testData() / copy / "oracle.json");
        auto volume = loadOne(testData() / copy);
        ASSERT_TRUE(volume);
        const auto& g = volume->geometry();
        EXPECT_EQ((std::array<int, 4>{g.dims[0], g.dims[1], g.dims[2], volume->timePoints()}),
                  (std::array<int, 4>{oracle["dims"][0], oracle["dims"][1], oracle["dims"][2], oracle["dims"][3]}));
        for (int a = 0; a < 3; ++a) EXPECT_NEAR(g.origin[a], oracle["origin_lps"][a].get<double>(), 1e-3);
        EXPECT_NEAR(g.spacing[2], oracle["spacing"][2].get<double>(), 1e-3);
        ASSERT_EQ(volume->voxelCount(), original->voxelCount());
        size_t differences = 0;
        for (int t = 0; t < volume->timePoints(); ++t)
            for (int k = 0; k < g.dims[2]; ++k)
                for (int j = 0; j < g.dims[1]; ++j)
                    for (int i = 0; i < g.dims[0]; ++i) differences += volume->valueAt(i, j, k, t) != original->valueAt(i, j, k, t);
        EXPECT_EQ(differences, 0u);
        for (const auto& probe : oracle["probes"]) {
            const auto& ijk = probe["ijk"];
            EXPECT_EQ(volume->valueAt(ijk[0], ijk[1], ijk[2], ijk[3]), probe["value"].get<double>()) << probe.dump();
        }
    }
}

TEST(RegularGrid, ImagesWithoutPatientGeometryInventNothing)
{
    const auto folder = testData() / "derived/cr_patient_orientation";
    struct Case {
        const char* file;
        std::string spacingSource;
    };
    for (const Case& c : {Case{"cr_no_spacing.dcm", ""}, Case{"cr_imager_spacing.dcm", "detector"}}) {
        SCOPED_TRACE(c.file);
        auto loaded = core::assembleVolumes({folder / c.file});
        ASSERT_TRUE(loaded.ok());
        const auto volume = core::largestVolume(*loaded);
        EXPECT_FALSE(volume->hasPatientGeometry);
        EXPECT_TRUE(volume->slicePositions.empty());
        EXPECT_EQ(volume->pixelSpacingSource, c.spacingSource);
        EXPECT_EQ(volume->patientOrientation, (std::array<std::string, 2>{"R", "F"}));
        auto image = render::renderSlice(*volume, {});
        ASSERT_TRUE(image.ok());
        EXPECT_TRUE(image->imageView);
        EXPECT_EQ(image->view.rightLabel, "R");
        EXPECT_EQ(image->view.leftLabel, "L");
        EXPECT_EQ(image->view.bottomLabel, "F");
        EXPECT_EQ(image->view.topLabel, "H");
        // Never resampled into a volume.
        auto grid = render::onRegularGrid(volume);
        ASSERT_TRUE(grid.ok());
        EXPECT_EQ(grid->get(), volume.get());
    }
}

TEST(RegularGrid, AMissingSliceStaysAGapInThePositionsAndTheGrid)
{
    test::TempDir dir;
    const auto source = dicomFiles(testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm");
    ASSERT_EQ(source.size(), 28u);
    for (const auto& file : source)
        if (file.filename() != "I140") std::filesystem::copy_file(file, dir / file.filename().string());
    auto full = loadOne(testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm");
    auto volume = loadOne(dir.path());
    ASSERT_TRUE(volume && full);
    ASSERT_EQ(volume->geometry().dims[2], 27);
    ASSERT_EQ(volume->warnings.size(), 1u);
    EXPECT_EQ(volume->warnings[0].rfind("missing slices: 1 at the usual step of 5.0 mm", 0), 0u) << volume->warnings[0];
    // The remaining slices keep their own positions: a 10 mm step where I140 was.
    std::vector<double> expected;
    for (int k = 0; k < 28; ++k)
        if (k != 13) expected.push_back(full->slicePositionAlongNormal(k));
    for (int k = 0; k < 27; ++k) EXPECT_NEAR(volume->slicePositionAlongNormal(k), expected[static_cast<size_t>(k)], 1e-3) << k;

    auto grid = render::onRegularGrid(volume);
    ASSERT_TRUE(grid.ok());
    const core::Volume& resampled = **grid;
    EXPECT_NEAR(resampled.geometry().spacing[2], 5.0, 1e-3);
    EXPECT_EQ(resampled.geometry().dims[2], 28);
    // The missing slice's plane holds the lowest value, not an interpolation; its neighbours are
    // the acquired slices unchanged.
    const int missing = 13;
    const auto [lowest, highest] = volume->valueRange();
    int filled = 0, same = 0;
    for (int j = 0; j < 512; j += 16)
        for (int i = 0; i < 512; i += 16) {
            filled += resampled.valueAt(i, j, missing) == lowest;
            same += resampled.valueAt(i, j, missing - 1) == full->valueAt(i, j, missing - 1);
        }
    EXPECT_EQ(filled, 32 * 32);
    EXPECT_EQ(same, 32 * 32);
    (void)highest;
}

TEST(RegularGrid, AnUnreadableSliceIsNamedAndNothingIsRespaced)
{
    test::TempDir dir;
    for (const auto& file : dicomFiles(testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm"))
        std::filesystem::copy_file(file, dir / file.filename().string());
    std::filesystem::resize_file(dir / "I140", std::filesystem::file_size(dir / "I140") / 2);
    auto volume = loadOne(dir.path());
    ASSERT_TRUE(volume);
    std::string unreadable;
    for (const auto& warning : volume->warnings)
        if (warning.find("unreadable") != std::string::npos) unreadable = warning;
    EXPECT_EQ(unreadable.rfind("1 of 28 files unreadable: I140", 0), 0u) << unreadable;
    EXPECT_EQ(unreadable.find("premature end of stream"), std::string::npos) << unreadable;
    EXPECT_NE(unreadable.find("truncated"), std::string::npos) << unreadable;
    auto full = loadOne(testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm");
    const int present = volume->geometry().dims[2];
    ASSERT_TRUE(present == 27 || present == 28);
    // Positions as the files say: the slice after the gap is still at its own place.
    for (int k = 0; k < present; ++k) {
        const int original = present == 27 && k >= 13 ? k + 1 : k;
        EXPECT_NEAR(volume->slicePositionAlongNormal(k), full->slicePositionAlongNormal(original), 1e-3) << k;
    }
}

} // namespace
} // namespace lb
