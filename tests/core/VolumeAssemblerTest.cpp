// Series -> volume against the oracle.json of every shared series (pydicom, dcm2niix, dcmtk):
// dims, time points, spacing, origin, direction, value range and probe values.
#include "core/VolumeAssembler.h"
#include "tests/support/TestSupport.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcvrus.h>
#include <gtest/gtest.h>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace lb::test {
namespace {

std::vector<std::filesystem::path> dicomFilesIn(const std::filesystem::path& folder)
{
    std::vector<std::filesystem::path> files;
    for (const auto& file : filesUnder(folder))
        if (file.filename() != "oracle.json" && file.extension() != ".txt") files.push_back(file);
    return files;
}

const core::Volume* findStack(const core::LoadedVolumes& loaded, const std::string& seriesUid)
{
    for (const auto& volume : loaded.volumes)
        if (volume->seriesUid == seriesUid) return volume.get();
    return nullptr;
}

// pydicom describes a mosaic as the 2D mosaic image; dcm2niix de-mosaics it. Geometry comes
// from dcm2niix (its RAS affine flips rows: our voxel (0,0,0) is its (0, rows-1, 0)), values
// from pydicom's probes mapped from mosaic pixels to tiles.
void checkDemosaicedAgainstDcm2niix(const core::Volume& volume, const nlohmann::json& oracle, const nlohmann::json& expected)
{
    const auto& nifti = oracle["dcm2niix"]["outputs"][0];
    const auto& g = volume.geometry();
    for (int axis = 0; axis < 3; ++axis) {
        EXPECT_EQ(g.dims[axis], nifti["shape"][axis].get<int>());
        EXPECT_NEAR(g.spacing[axis], nifti["pixdim"][axis].get<double>(), 1e-3);
    }
    EXPECT_EQ(volume.timePoints(), nifti["shape"][3].get<int>());
    const auto& a = nifti["affine_ras"];
    const double lastRow = g.dims[1] - 1;
    const double ras[3] = {a[0][1].get<double>() * lastRow + a[0][3].get<double>(), a[1][1].get<double>() * lastRow + a[1][3].get<double>(),
                           a[2][1].get<double>() * lastRow + a[2][3].get<double>()};
    EXPECT_NEAR(g.origin[0], -ras[0], 1e-3);
    EXPECT_NEAR(g.origin[1], -ras[1], 1e-3);
    EXPECT_NEAR(g.origin[2], ras[2], 1e-3);
    const auto [low, high] = volume.valueRange();
    EXPECT_EQ(low, expected["pixel_stats"]["min"].get<double>());
    EXPECT_EQ(high, expected["pixel_stats"]["max"].get<double>());
    const int tile = g.dims[0], grid = expected["columns"].get<int>() / tile;
    for (const auto& probe : expected["pixel_stats"]["probes_volume0"]) {
        const int i = probe["ijk"][0], j = probe["ijk"][1];
        const int k = (j / tile) * grid + i / tile;
        if (k >= g.dims[2]) continue; // an unused tile of the grid
        EXPECT_EQ(volume.valueAt(i % tile, j % tile, k, 0), probe["value"].get<double>()) << probe.dump();
    }
}

class OracleSeries : public ::testing::TestWithParam<std::string> {};

TEST_P(OracleSeries, VolumeMatchesTheOracle)
{
    const auto folder = testData() / GetParam();
    const auto oracle = readJson(folder / "oracle.json");
    auto loaded = core::assembleVolumes(dicomFilesIn(folder));
    ASSERT_TRUE(loaded.ok()) << loaded.error().message();
    for (const auto& expected : oracle["series"]) {
        const core::Volume* volume = findStack(*loaded, expected["SeriesInstanceUID"].get<std::string>());
        ASSERT_NE(volume, nullptr);
        const auto& imageType = expected["ImageType"];
        if (std::find(imageType.begin(), imageType.end(), "MOSAIC") != imageType.end()) {
            checkDemosaicedAgainstDcm2niix(*volume, oracle, expected);
            continue;
        }
        const auto& g = volume->geometry();
        const auto dims = expected["dimensions_ijk"];
        EXPECT_EQ(g.dims[0], dims[0].get<int>());
        EXPECT_EQ(g.dims[1], dims[1].get<int>());
        EXPECT_EQ(g.dims[2], dims[2].get<int>());
        EXPECT_EQ(volume->timePoints(), expected["volumes"].get<int>());
        for (int axis = 0; axis < 3; ++axis) {
            EXPECT_NEAR(g.spacing[axis], expected["spacing"][axis].get<double>(), 1e-3) << "spacing " << axis;
            EXPECT_NEAR(g.origin[axis], expected["origin_lps"][axis].get<double>(), 1e-3) << "origin " << axis;
            for (int c = 0; c < 3; ++c)
                EXPECT_NEAR(g.direction[axis * 3 + c], expected["direction_row_col_normal"][axis][c].get<double>(), 1e-4);
        }
        const auto [low, high] = volume->valueRange();
        const bool floating = volume->pixelType() == core::PixelType::Float32;
        const double tolerance = floating ? 1e-3 : 0.0; // the oracle rounds floats to 6 decimals
        EXPECT_NEAR(low, expected["pixel_stats"]["min"].get<double>(), tolerance);
        EXPECT_NEAR(high, expected["pixel_stats"]["max"].get<double>(), tolerance);
        for (const auto& probe : expected["pixel_stats"]["probes_volume0"]) {
            const auto ijk = probe["ijk"];
            EXPECT_NEAR(volume->valueAt(ijk[0], ijk[1], ijk[2], 0), probe["value"].get<double>(), tolerance) << probe.dump();
        }
    }
}

INSTANTIATE_TEST_SUITE_P(SharedTestData, OracleSeries,
                         ::testing::Values("ct_philips_ingenuity_phantom/S2010_axial_5mm",
                                           "ct_philips_ingenuity_phantom/S1000_localizer", "mr_ge_discovery_epi_4d",
                                           "mr_ge_pioneer_t1_mprage_3d", "mr_philips_achieva_epi_rescaled",
                                           "mr_siemens_skyra_epi_mosaic", "mr_siemens_vida_enhanced_multiframe"),
                         [](const auto& info) {
                             std::string name = info.param;
                             for (char& c : name)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return name;
                         });

TEST(VolumeAssembler, LocalizerAndAxialInOneStudyBecomeSeparateStacks)
{
    auto loaded = core::assembleVolumes(dicomFilesIn(testData() / "ct_philips_ingenuity_phantom"));
    ASSERT_TRUE(loaded.ok());
    ASSERT_EQ(loaded->volumes.size(), 2u);
    EXPECT_EQ(loaded->volumes[0]->geometry().dims[2], 28); // the axial stack first
    EXPECT_EQ(loaded->volumes[1]->geometry().dims[2], 1);
    EXPECT_NE(loaded->volumes[1]->warnings.front().find("localizer"), std::string::npos);
    ASSERT_EQ(loaded->skippedFiles.size(), 2u); // the two Philips DIRFILEs, each with its reason
    EXPECT_NE(loaded->skippedFiles[0].find("no pixel data"), std::string::npos);
}

TEST(VolumeAssembler, TheMiddleFileIsShownBeforeTheSeriesIsLoaded)
{
    const auto files = dicomFilesIn(testData() / "mr_ge_pioneer_t1_mprage_3d");
    core::VolumeLoadOptions options;
    options.firstSlice = core::VolumeLoadOptions::FirstSlice::Middle;
    std::shared_ptr<const core::Volume> preview;
    options.onFirstSlice = [&](std::shared_ptr<const core::Volume> slice) { preview = std::move(slice); };
    auto loaded = core::assembleVolumes(files, options);
    ASSERT_TRUE(loaded.ok());
    ASSERT_TRUE(preview);
    EXPECT_EQ(preview->geometry().dims[2], 1);
    // The preview is exactly one slice of the final volume: find it by its position.
    const core::Volume& volume = *loaded->volumes.at(0);
    const auto& g = volume.geometry();
    const double distance = (preview->geometry().origin[0] - g.origin[0]) * g.direction[6]
        + (preview->geometry().origin[1] - g.origin[1]) * g.direction[7] + (preview->geometry().origin[2] - g.origin[2]) * g.direction[8];
    const int k = static_cast<int>(std::lround(distance / g.spacing[2]));
    ASSERT_TRUE(k >= 0 && k < g.dims[2]);
    int differences = 0;
    for (int j = 0; j < g.dims[1]; ++j)
        for (int i = 0; i < g.dims[0]; ++i) differences += preview->valueAt(i, j, 0) != volume.valueAt(i, j, k);
    EXPECT_EQ(differences, 0);
}

TEST(VolumeAssembler, GantryTiltIsDetectedAndEverySliceKeepsItsOwnPosition)
{
    // The real CT with its slice origins shifted along y by 0.27 mm per mm of z: a 15 degree
    // gantry tilt as a scanner writes it (IOP axial, origins on a slanted line).
    TempDir dir;
    int written = 0;
    std::vector<std::array<double, 3>> positions;
    for (const auto& file : dicomFilesIn(testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm")) {
        DcmFileFormat fileFormat;
        if (file.filename() == "DIRFILE" || fileFormat.loadFile(file.c_str()).bad()) continue;
        DcmDataset* d = fileFormat.getDataset();
        Float64 x = 0, y = 0, z = 0;
        d->findAndGetFloat64(DCM_ImagePositionPatient, x, 0);
        d->findAndGetFloat64(DCM_ImagePositionPatient, y, 1);
        d->findAndGetFloat64(DCM_ImagePositionPatient, z, 2);
        const std::string position = std::to_string(x) + "\\" + std::to_string(y + (z - 696.21) * std::tan(15 * M_PI / 180)) + "\\" + std::to_string(z);
        d->putAndInsertString(DCM_ImagePositionPatient, position.c_str());
        positions.push_back({x, y + (z - 696.21) * std::tan(15 * M_PI / 180), z});
        ASSERT_TRUE(fileFormat.saveFile((dir / file.filename()).c_str(), EXS_LittleEndianExplicit).good());
        ++written;
    }
    ASSERT_EQ(written, 28);
    auto loaded = core::assembleVolumes(filesUnder(dir.path()));
    ASSERT_TRUE(loaded.ok()) << loaded.error().message();
    const core::Volume& volume = *loaded->volumes.at(0);
    EXPECT_EQ(volume.geometry().dims[2], 28);
    EXPECT_NEAR(volume.geometry().spacing[2], 5.0, 1e-3); // along the normal, not along the slant
    EXPECT_NEAR(volume.geometry().origin[1], -1.85, 1e-3);
    ASSERT_EQ(volume.warnings.size(), 1u);
    EXPECT_EQ(volume.warnings.front(), "gantry tilt 15.0°, resampled for MPR and 3D");
    EXPECT_FALSE(volume.regularGrid);
    EXPECT_NEAR(volume.gantryTiltDegrees, 15.0, 1e-3);
    // Every slice where its file says (sorted by z), not on the first slice's normal.
    std::sort(positions.begin(), positions.end(), [](const auto& a, const auto& b) { return a[2] < b[2]; });
    ASSERT_EQ(volume.slicePositions.size(), positions.size());
    for (size_t k = 0; k < positions.size(); ++k)
        for (int c = 0; c < 3; ++c) EXPECT_NEAR(volume.slicePositions[k][c], positions[k][c], 1e-3) << k;
}

TEST(VolumeAssembler, RescaleSlopeDecidesTheVoxelType)
{
    auto ct = core::assembleVolumes(dicomFilesIn(testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm"));
    ASSERT_TRUE(ct.ok());
    EXPECT_EQ(ct->volumes[0]->pixelType(), core::PixelType::Int16); // 12-bit unsigned, intercept -1024
    auto philips = core::assembleVolumes(dicomFilesIn(testData() / "mr_philips_achieva_epi_rescaled"));
    ASSERT_TRUE(philips.ok());
    EXPECT_EQ(philips->volumes[0]->pixelType(), core::PixelType::Float32); // slope 1.29035409035409
}

// A 4x4 signed 16-bit CT slice holding `values`, written with DCMTK.
std::filesystem::path writeTinyCt(const std::filesystem::path& file, const std::vector<Sint16>& values, const char* intercept,
                                  const char* bitsStoredHighBit = nullptr)
{
    DcmFileFormat fileFormat;
    DcmDataset* d = fileFormat.getDataset();
    d->putAndInsertString(DCM_SOPClassUID, UID_CTImageStorage);
    d->putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.99.1.1");
    d->putAndInsertString(DCM_StudyInstanceUID, "1.2.826.0.1.3680043.10.99.1");
    d->putAndInsertString(DCM_SeriesInstanceUID, "1.2.826.0.1.3680043.10.99.1.2");
    d->putAndInsertString(DCM_Modality, "CT");
    d->putAndInsertString(DCM_ImagePositionPatient, "0\\0\\0");
    d->putAndInsertString(DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
    d->putAndInsertString(DCM_PixelSpacing, "1\\1");
    d->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
    d->putAndInsertUint16(DCM_SamplesPerPixel, 1);
    d->putAndInsertUint16(DCM_Rows, 4);
    d->putAndInsertUint16(DCM_Columns, 4);
    d->putAndInsertUint16(DCM_BitsAllocated, 16);
    d->putAndInsertUint16(DCM_BitsStored, bitsStoredHighBit ? 12 : 16);
    d->putAndInsertUint16(DCM_HighBit, bitsStoredHighBit ? 11 : 15);
    d->putAndInsertUint16(DCM_PixelRepresentation, 1);
    d->putAndInsertString(DCM_RescaleIntercept, intercept);
    d->putAndInsertString(DCM_RescaleSlope, "1");
    d->putAndInsertUint16Array(DCM_PixelData, reinterpret_cast<const Uint16*>(values.data()), 16);
    EXPECT_TRUE(fileFormat.saveFile(file.c_str(), EXS_LittleEndianExplicit).good());
    return file;
}

TEST(VolumeAssembler, PaletteColourIsMappedLikePydicomsApplyColorLut)
{
    TempDir dir;
    DcmFileFormat fileFormat;
    DcmDataset* d = fileFormat.getDataset();
    d->putAndInsertString(DCM_SOPClassUID, UID_SecondaryCaptureImageStorage);
    d->putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.99.2.1");
    d->putAndInsertString(DCM_StudyInstanceUID, "1.2.826.0.1.3680043.10.99.2");
    d->putAndInsertString(DCM_SeriesInstanceUID, "1.2.826.0.1.3680043.10.99.2.2");
    d->putAndInsertString(DCM_Modality, "OT");
    d->putAndInsertString(DCM_PhotometricInterpretation, "PALETTE COLOR");
    d->putAndInsertUint16(DCM_SamplesPerPixel, 1);
    d->putAndInsertUint16(DCM_Rows, 2);
    d->putAndInsertUint16(DCM_Columns, 4);
    d->putAndInsertUint16(DCM_BitsAllocated, 8);
    d->putAndInsertUint16(DCM_BitsStored, 8);
    d->putAndInsertUint16(DCM_HighBit, 7);
    d->putAndInsertUint16(DCM_PixelRepresentation, 0);
    const Uint16 descriptor[3] = {4, 10, 16}; // 4 entries, first mapped index 10, 16-bit entries
    const Uint16 red[4] = {0, 65535, 0, 1000}, green[4] = {0, 0, 65535, 2000}, blue[4] = {65535, 0, 0, 3000};
    for (const DcmTagKey& tag : {DCM_RedPaletteColorLookupTableDescriptor, DCM_GreenPaletteColorLookupTableDescriptor,
                                 DCM_BluePaletteColorLookupTableDescriptor}) {
        auto* element = new DcmUnsignedShort(DcmTag(tag, EVR_US));
        element->putUint16Array(descriptor, 3);
        d->insert(element, true);
    }
    d->putAndInsertUint16Array(DCM_RedPaletteColorLookupTableData, red, 4);
    d->putAndInsertUint16Array(DCM_GreenPaletteColorLookupTableData, green, 4);
    d->putAndInsertUint16Array(DCM_BluePaletteColorLookupTableData, blue, 4);
    const Uint8 indices[8] = {9, 10, 11, 12, 13, 14, 200, 10}; // below, inside and above the table
    d->putAndInsertUint8Array(DCM_PixelData, indices, 8);
    const auto file = dir / "palette.dcm";
    ASSERT_TRUE(fileFormat.saveFile(file.c_str(), EXS_LittleEndianExplicit).good());

    auto loaded = core::assembleVolumes({file});
    ASSERT_TRUE(loaded.ok()) << loaded.error().message();
    const core::Volume& volume = *loaded->volumes.at(0);
    ASSERT_EQ(volume.components(), 3);
    EXPECT_EQ(volume.pixelType(), core::PixelType::UInt16);
    const auto oracle = runPython(R"(
import sys, pydicom
from pydicom.pixel_data_handlers.util import apply_color_lut
ds = pydicom.dcmread(sys.argv[1])
rgb = apply_color_lut(ds.pixel_array, ds)
print(' '.join(str(int(v)) for v in rgb.reshape(-1)))
)", {file.string()});
    ASSERT_EQ(oracle.exitCode, 0);
    std::istringstream values(oracle.out);
    for (int j = 0; j < 2; ++j)
        for (int i = 0; i < 4; ++i)
            for (int c = 0; c < 3; ++c) {
                double expected = -1;
                values >> expected;
                EXPECT_EQ(volume.valueAt(i, j, 0, 0, c), expected) << i << "," << j << " component " << c;
            }
}

TEST(VolumeAssembler, WidensTheVoxelTypeWhenAValueDoesNotFitInt16)
{
    TempDir dir;
    std::vector<Sint16> values(16, 100);
    auto narrow = core::assembleVolumes({writeTinyCt(dir / "narrow.dcm", values, "-1024")});
    ASSERT_TRUE(narrow.ok());
    EXPECT_EQ(narrow->volumes[0]->pixelType(), core::PixelType::Int16);
    EXPECT_EQ(narrow->volumes[0]->valueAt(0, 0, 0), -924);

    values[5] = -32768; // -33792 HU after the intercept: needs more than int16
    auto wide = core::assembleVolumes({writeTinyCt(dir / "wide.dcm", values, "-1024")});
    ASSERT_TRUE(wide.ok());
    EXPECT_EQ(wide->volumes[0]->pixelType(), core::PixelType::Int32);
    EXPECT_EQ(wide->volumes[0]->valueAt(1, 1, 0), -33792);
    EXPECT_EQ(wide->volumes[0]->valueAt(0, 0, 0), -924);
}

TEST(VolumeAssembler, GarbageAboveBitsStoredIsIgnoredAndTheSignExtended)
{
    TempDir dir;
    // 12 bits stored, signed: 0xF7FF has garbage in bits 12-15 and is 0x7FF = 2047; 0x0800 is -2048.
    std::vector<Sint16> values(16, 0);
    values[0] = static_cast<Sint16>(0xF7FF);
    values[1] = static_cast<Sint16>(0x0800);
    values[2] = static_cast<Sint16>(0xAFFF); // -1
    auto loaded = core::assembleVolumes({writeTinyCt(dir / "bits.dcm", values, "0", "12")});
    ASSERT_TRUE(loaded.ok());
    EXPECT_EQ(loaded->volumes[0]->valueAt(0, 0, 0), 2047);
    EXPECT_EQ(loaded->volumes[0]->valueAt(1, 0, 0), -2048);
    EXPECT_EQ(loaded->volumes[0]->valueAt(2, 0, 0), -1);
}

// Lossy pixels say so (PS3.3 C.7.6.1.1.5): the reader must know they are not the acquired values.
TEST(VolumeAssembler, LossyCompressionIsAWarningAndLosslessIsNot)
{
    auto lossy = core::assembleVolumes({pydicomTestFiles() / "JPEG-lossy.dcm"}); // JPEG extended, LossyImageCompression 01, ratio 76
    ASSERT_TRUE(lossy.ok()) << lossy.error().message();
    const auto& warnings = lossy->volumes.at(0)->warnings;
    EXPECT_NE(std::find(warnings.begin(), warnings.end(), "lossy compressed (JPEG extended, ratio 76:1): not the original pixel values"),
              warnings.end());
    auto j2k = core::assembleVolumes({pydicomTestFiles() / "JPEG2000.dcm"}); // J2K, LossyImageCompression 01, ratio 2097
    ASSERT_TRUE(j2k.ok()) << j2k.error().message();
    bool said = false;
    for (const auto& warning : j2k->volumes.at(0)->warnings) said = said || warning.rfind("lossy compressed (", 0) == 0;
    EXPECT_TRUE(said);
    for (const char* name : {"MR_small_jpeg_ls_lossless.dcm", "MR_small_RLE.dcm", "MR_small.dcm"}) {
        auto lossless = core::assembleVolumes({pydicomTestFiles() / name});
        ASSERT_TRUE(lossless.ok()) << name;
        for (const auto& warning : lossless->volumes.at(0)->warnings) EXPECT_EQ(warning.find("lossy"), std::string::npos) << name << ": " << warning;
    }
}

TEST(VolumeAssembler, TransferSyntaxVariantsOfOneImageDecodeToIdenticalPixels)
{
    auto reference = core::assembleVolumes({pydicomTestFiles() / "MR_small.dcm"});
    ASSERT_TRUE(reference.ok());
    const core::Volume& expected = *reference->volumes.at(0);
    for (const char* name : {"MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_expb.dcm", "MR_small_RLE.dcm",
                             "MR_small_jp2klossless.dcm", "MR_small_jpeg_ls_lossless.dcm"}) {
        auto variant = core::assembleVolumes({pydicomTestFiles() / name});
        ASSERT_TRUE(variant.ok()) << name << ": " << variant.error().message();
        ASSERT_EQ(variant->volumes.size(), 1u) << name;
        const core::Volume& actual = *variant->volumes[0];
        ASSERT_EQ(actual.geometry().dims, expected.geometry().dims) << name;
        int differences = 0;
        for (int j = 0; j < expected.geometry().dims[1]; ++j)
            for (int i = 0; i < expected.geometry().dims[0]; ++i)
                if (actual.valueAt(i, j, 0) != expected.valueAt(i, j, 0)) ++differences;
        EXPECT_EQ(differences, 0) << name;
    }
}

TEST(VolumeAssembler, PixelsEqualPydicomsPixelArray)
{
    // pydicom reads the uncompressed files itself (no plugin needed): an independent decoder.
    const char* script = R"(
import sys, pydicom
for path in sys.argv[1:]:
    ds = pydicom.dcmread(path)
    a = ds.pixel_array.astype('float64') * float(ds.get('RescaleSlope', 1)) + float(ds.get('RescaleIntercept', 0))
    print(path, a.shape[1], a.shape[0], a.min(), a.max(), a.sum(), a[a.shape[0] // 3, a.shape[1] // 4])
)";
    const std::vector<std::string> files = {(pydicomTestFiles() / "CT_small.dcm").string(), (pydicomTestFiles() / "MR_small.dcm").string(),
                                            (pydicomTestFiles() / "MR_small_bigendian.dcm").string()};
    const auto oracle = runPython(script, files);
    ASSERT_EQ(oracle.exitCode, 0);
    const auto lines = splitLines(oracle.out);
    ASSERT_EQ(lines.size(), files.size());
    for (const auto& line : lines) {
        std::istringstream in(line);
        std::string path;
        int columns = 0, rows = 0;
        double low = 0, high = 0, sum = 0, sample = 0;
        in >> path >> columns >> rows >> low >> high >> sum >> sample;
        auto loaded = core::assembleVolumes({path});
        ASSERT_TRUE(loaded.ok()) << path;
        const core::Volume& volume = *loaded->volumes.at(0);
        EXPECT_EQ(volume.geometry().dims[0], columns) << path;
        EXPECT_EQ(volume.geometry().dims[1], rows) << path;
        const auto [ourLow, ourHigh] = volume.valueRange();
        EXPECT_EQ(ourLow, low) << path;
        EXPECT_EQ(ourHigh, high) << path;
        double ourSum = 0;
        for (int j = 0; j < rows; ++j)
            for (int i = 0; i < columns; ++i) ourSum += volume.valueAt(i, j, 0);
        EXPECT_EQ(ourSum, sum) << path;
        EXPECT_EQ(volume.valueAt(columns / 4, rows / 3, 0), sample) << path;
    }
}

// pydicom's view of every image in its test_files (tests/support/pydicom_pixels.py).
CommandResult pydicomPixelOracle()
{
    std::vector<std::string> files;
    for (const auto& file : filesUnder(pydicomTestFiles()))
        if (file.extension() == ".dcm" && file.parent_path() == pydicomTestFiles()) files.push_back(file.string());
    return runPythonFile(sourceDir() / "tests/support/pydicom_pixels.py", files);
}

TEST(VolumeAssembler, ColourImagesBecomeRgbLikePydicoms)
{
    const auto oracle = pydicomPixelOracle();
    ASSERT_EQ(oracle.exitCode, 0);
    int compared = 0;
    for (const auto& line : splitLines(oracle.out)) {
        const auto f = splitTabs(line);
        if (f.size() < 8 || (f[1] != "COLOUR" && f[1] != "COLOUR_LOSSY")) continue;
        SCOPED_TRACE(f[0]);
        auto loaded = core::assembleVolumes({f[0]});
        if (!loaded.ok() || loaded->volumes.size() != 1) {
            ADD_FAILURE() << (!loaded.ok() ? loaded.error().message() : "not one volume");
            continue;
        }
        const core::Volume& volume = *loaded->volumes[0];
        if (volume.components() != 3) {
            ADD_FAILURE() << "not colour";
            continue;
        }
        for (const auto& warning : volume.warnings) // secondary captures have no geometry: that warning is fine
            EXPECT_EQ(warning.find("not decoded"), std::string::npos) << warning;
        const auto& g = volume.geometry();
        EXPECT_EQ(static_cast<size_t>(g.dims[0]) * g.dims[1] * g.dims[2] * volume.timePoints(),
                  static_cast<size_t>(std::stoi(f[2])) * std::stoi(f[3]) * std::stoi(f[4]));
        // Exact decoders must agree to rounding (YBR conversion); JPEG decoders within a level or two.
        const double tolerance = f[1] == "COLOUR" ? 0.51 : 2.5;
        for (int c = 0; c < 3; ++c) {
            double sum = 0;
            for (int t = 0; t < volume.timePoints(); ++t)
                for (int k = 0; k < g.dims[2]; ++k)
                    for (int j = 0; j < g.dims[1]; ++j)
                        for (int i = 0; i < g.dims[0]; ++i) sum += volume.valueAt(i, j, k, t, c);
            const double mean = sum / static_cast<double>(volume.voxelCount());
            EXPECT_NEAR(mean, std::stod(f[5 + c]), tolerance) << "channel " << c;
        }
        ++compared;
    }
    EXPECT_GE(compared, 20);
}

TEST(VolumeAssembler, EveryGrayscaleImagePydicomDecodesDecodesToTheSameValues)
{
    const auto oracle = pydicomPixelOracle();
    ASSERT_EQ(oracle.exitCode, 0);
    int compared = 0;
    std::vector<std::string> disagreements;
    for (const auto& line : splitLines(oracle.out)) {
        const auto f = splitTabs(line);
        if (f.size() < 8 || f[1] != "OK") continue;
        SCOPED_TRACE(f[0]);
        auto loaded = core::assembleVolumes({f[0]});
        if (!loaded || loaded->volumes.empty()) {
            disagreements.push_back(f[0] + ": " + (!loaded ? loaded.error().message() : loaded->skippedFiles.at(0)));
            continue;
        }
        double low = std::numeric_limits<double>::infinity(), high = -low, sum = 0;
        size_t voxels = 0;
        for (const auto& volume : loaded->volumes) {
            const auto [l, h] = volume->valueRange();
            low = std::min(low, l);
            high = std::max(high, h);
            const auto& g = volume->geometry();
            for (int t = 0; t < volume->timePoints(); ++t)
                for (int k = 0; k < g.dims[2]; ++k)
                    for (int j = 0; j < g.dims[1]; ++j)
                        for (int i = 0; i < g.dims[0]; ++i) sum += volume->valueAt(i, j, k, t);
            voxels += volume->voxelCount();
        }
        EXPECT_EQ(voxels, static_cast<size_t>(std::stoi(f[2])) * std::stoi(f[3]) * std::stoi(f[4]));
        const double expectedSum = std::stod(f[7]);
        // Float volumes (non-integer slopes) hold float32: compare within its precision.
        const double tolerance = std::max(1e-6 * std::abs(expectedSum), 1e-3);
        if (low != std::stod(f[5]) || high != std::stod(f[6]) || std::abs(sum - expectedSum) > tolerance)
            disagreements.push_back(f[0] + ": ours " + std::to_string(low) + ".." + std::to_string(high) + " sum "
                                    + std::to_string(sum) + ", pydicom " + f[5] + ".." + f[6] + " sum " + f[7]);
        ++compared;
    }
    // Known and open (see the issue note): DCMTK cuts this file's J2K fragment where a
    // sequence delimiter's bytes occur inside the codestream; pydicom reads the whole fragment.
    const std::string knownOpen = "JPEG2000-embedded-sequence-delimiter.dcm";
    int knownSeen = 0;
    for (const auto& d : disagreements) {
        if (d.find(knownOpen) != std::string::npos) ++knownSeen;
        else ADD_FAILURE() << d;
    }
    EXPECT_LE(knownSeen, 1);
    EXPECT_GE(compared, 23) << "fewer grayscale test files compared than pydicom decodes (24 on Debian 12)";
}

} // namespace
} // namespace lb::test
