// Broken pixel data gives a clear error naming the file (or, inside a series, a warning naming
// the slice that failed), never a crash or an unbounded allocation.
#include "core/VolumeAssembler.h"
#include "tests/support/TestSupport.h"

#include <chrono>
#include <fstream>
#include <gtest/gtest.h>

namespace lb::test {
namespace {


// Overwrites `count` bytes in the middle of the last `tailBytes` of the file (the pixel data).
std::filesystem::path damaged(const TempDir& dir, const char* name, size_t tailBytes, size_t count)
{
    std::string bytes = readFileBytes(pydicomTestFiles() / name);
    const size_t at = bytes.size() - tailBytes / 2;
    for (size_t i = 0; i < count && at + i < bytes.size(); ++i) bytes[at + i] = static_cast<char>(0xA5 ^ i);
    const auto file = dir / (std::string("damaged_") + name);
    writeFileBytes(file, bytes);
    return file;
}

std::string failureOf(const std::filesystem::path& file)
{
    auto loaded = core::assembleVolumes({file});
    if (loaded.ok()) return "";
    EXPECT_NE(loaded.error().message().find(file.filename().string()), std::string::npos) << loaded.error().message();
    return loaded.error().reason;
}

TEST(BrokenPixelData, TruncatedNativePixelDataIsNamed)
{
    const std::string reason = failureOf(pydicomTestFiles() / "MR_truncated.dcm");
    EXPECT_NE(reason.find("truncated"), std::string::npos) << reason;
}

TEST(BrokenPixelData, CorruptCompressedStreamsAreErrorsNotCrashes)
{
    TempDir dir;
    EXPECT_NE(failureOf(damaged(dir, "MR_small_RLE.dcm", 4000, 400)).find("RLE"), std::string::npos);
    EXPECT_NE(failureOf(damaged(dir, "MR_small_jp2klossless.dcm", 3000, 1500)).find("corrupt"), std::string::npos);
    EXPECT_NE(failureOf(damaged(dir, "MR_small_jpeg_ls_lossless.dcm", 3000, 1500)).find("corrupt"), std::string::npos);
    // JPEG through DCMTK: without a checksum, damage may decode to wrong pixels (then the
    // volume must still be whole) or fail (then the reason says JPEG).
    auto jpeg = core::assembleVolumes({damaged(dir, "JPGExtended.dcm", 2000, 800)});
    if (jpeg.ok()) {
        ASSERT_EQ(jpeg->volumes.size(), 1u);
        EXPECT_EQ(jpeg->volumes[0]->geometry().dims[0], 1024);
    } else {
        EXPECT_NE(jpeg.error().reason.find("JPEG"), std::string::npos) << jpeg.error().reason;
    }
}

TEST(BrokenPixelData, OneBadSliceInASeriesIsAWarningNamingIt)
{
    TempDir dir;
    const auto series = dir / "axial";
    copyTree(testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm", series);
    std::filesystem::resize_file(series / "I150", std::filesystem::file_size(series / "I150") - 5000);
    std::vector<std::filesystem::path> files;
    for (const auto& file : filesUnder(series))
        if (file.filename().string()[0] == 'I') files.push_back(file);
    auto loaded = core::assembleVolumes(files);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message();
    ASSERT_EQ(loaded->volumes.size(), 1u);
    const auto& warnings = loaded->volumes[0]->warnings;
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("I150"), std::string::npos) << warnings[0];
    EXPECT_EQ(loaded->volumes[0]->geometry().dims[2], 28);
}

TEST(BrokenPixelData, AbsurdDimensionsAreRefusedBeforeAllocating)
{
    TempDir dir;
    std::string bytes = readFileBytes(pydicomTestFiles() / "CT_small.dcm");
    // Rows and Columns (explicit VR LE: 28 00 10 00 'U' 'S' 02 00 vv vv) set to 65535.
    for (const std::string& tag : {std::string("\x28\x00\x10\x00US\x02\x00", 8), std::string("\x28\x00\x11\x00US\x02\x00", 8)}) {
        const size_t at = bytes.find(tag);
        ASSERT_NE(at, std::string::npos);
        bytes[at + 8] = static_cast<char>(0xFF);
        bytes[at + 9] = static_cast<char>(0xFF);
    }
    writeFileBytes(dir / "huge.dcm", bytes);
    const auto started = std::chrono::steady_clock::now();
    auto loaded = core::assembleVolumes({dir / "huge.dcm"});
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2)); // nothing allocated or zeroed
    ASSERT_FALSE(loaded.ok());
    ASSERT_TRUE(loaded.error().code == core::ErrorCode::NotFound); // no image frames left to assemble
    (void)loaded;
    auto direct = core::assembleVolumes({dir / "huge.dcm"});
    ASSERT_FALSE(direct.ok());
}

} // namespace
} // namespace lb::test
