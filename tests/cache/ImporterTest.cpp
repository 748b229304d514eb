// Importing real data into a real cache on disk (SQLite file + file store in a temp folder).
#include "tests/cache/CacheTestSupport.h"

#include "cache/ConsistencyCheck.h"
#include "core/DicomHeaderReader.h"

#include <fstream>
#include <sys/stat.h>

namespace lb::test {
namespace {

TEST(Importer, ImportsEverySharedSeriesAndReportsWhatItRejected)
{
    TempDir dir;
    auto cache = openCache(dir / "cache");
    ASSERT_TRUE(cache);
    const auto report = importOrFail(*cache, sharedTestDataFolders());
    const int expected = oracleImageFileCount();
    EXPECT_EQ(expected, 342);
    EXPECT_EQ(report.imported, expected);
    EXPECT_EQ(report.alreadyPresent, 0);
    EXPECT_TRUE(report.conflicts.empty());
    // Rejected: the licences, READMEs, oracle.json files and the two Philips DIRFILEs, each with a reason.
    for (const auto& rejected : report.rejected) {
        EXPECT_FALSE(rejected.reason.empty()) << rejected.file;
        const auto name = std::filesystem::path(rejected.file).filename().string();
        EXPECT_TRUE(name == "DIRFILE" || name == "oracle.json" || name.ends_with(".txt") || name.ends_with(".md")
                    || name.ends_with(".LICENSE"))
            << rejected.file << ": " << rejected.reason;
    }
    EXPECT_EQ(countRows(*cache, "instances"), expected);
    EXPECT_EQ(filesInStore(*cache), static_cast<size_t>(expected));

    // Every oracle series is there with its instance count.
    cache::StudyQuery query(cache->connection());
    for (const auto& file : filesUnder(testData())) {
        if (file.filename() != "oracle.json" || isDerivedTestData(file)) continue;
        const auto oracle = readJson(file);
        for (const auto& series : oracle["series"]) {
            auto instances = query.instances(series["SeriesInstanceUID"].get<std::string>());
            ASSERT_TRUE(instances.ok());
            EXPECT_EQ(static_cast<int>(instances->size()), series["files"].get<int>()) << file;
        }
    }
    auto studies = query.studies({});
    ASSERT_TRUE(studies.ok());
    EXPECT_EQ(studies->size(), 6u); // the CT study holds the localizer and the axial series
}

TEST(Importer, ReimportingFindsEverythingAlreadyPresentAndCopiesNothing)
{
    TempDir dir;
    auto cache = openCache(dir / "cache");
    const auto input = testData() / "mr_ge_discovery_epi_4d";
    const auto first = importOrFail(*cache, {input});
    EXPECT_EQ(first.imported, 150);
    const auto second = importOrFail(*cache, {input, input / "axial_epi_fmri_interleaved_i_to_s-00001.dcm"});
    EXPECT_EQ(second.imported, 0);
    EXPECT_EQ(second.alreadyPresent, 151);
    EXPECT_EQ(countRows(*cache, "instances"), 150);
    EXPECT_EQ(filesInStore(*cache), 150u);
}

TEST(Importer, SameUidWithDifferentContentIsAConflictAndTheFirstCopyStays)
{
    TempDir dir;
    auto cache = openCache(dir / "cache");
    const auto original = pydicomTestFiles() / "CT_small.dcm";
    ASSERT_EQ(importOrFail(*cache, {original}).imported, 1);

    std::filesystem::copy_file(original, dir / "changed.dcm");
    std::filesystem::permissions(dir / "changed.dcm", std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
    {
        std::fstream file(dir / "changed.dcm", std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(-10, std::ios::end);
        file.put('\x7f'); // one pixel differs
    }
    const auto report = importOrFail(*cache, {dir / "changed.dcm"});
    EXPECT_EQ(report.imported, 0);
    ASSERT_EQ(report.conflicts.size(), 1u);
    EXPECT_EQ(report.conflicts[0].file, (dir / "changed.dcm").string());
    EXPECT_EQ(countRows(*cache, "conflicts"), 1);

    auto check = cache::checkCache(*cache);
    ASSERT_TRUE(check.ok());
    EXPECT_TRUE(check->consistent()); // the stored copy is still the first one, byte for byte
    auto header = core::readDicomHeader(original);
    ASSERT_TRUE(header.ok());
    auto stored = cache::StudyQuery(cache->connection()).instance(header->instance.sopInstanceUid);
    ASSERT_TRUE(stored.ok());
    ASSERT_TRUE(stored->has_value());
    auto same = cache::filesHaveSameContent(original, cache->store().absolutePath((*stored)->filePath));
    ASSERT_TRUE(same.ok());
    EXPECT_TRUE(*same);
}

TEST(Importer, FollowsADicomDirAndStoresNonImageObjects)
{
    TempDir dir;
    auto cache = openCache(dir / "cache");
    const auto report = importOrFail(*cache, {pydicomTestFiles() / "dicomdirtests" / "DICOMDIR"});
    EXPECT_EQ(report.imported, 31);
    EXPECT_TRUE(report.rejected.empty());

    const auto objects = importOrFail(*cache, {pydicomTestFiles() / "test-SR.dcm", pydicomTestFiles() / "rtplan.dcm",
                                               pydicomTestFiles() / "waveform_ecg.dcm"});
    EXPECT_EQ(objects.imported, 3);
    cache::StudyQueryOptions query;
    query.filter.modality = "SR";
    auto reports = cache::StudyQuery(cache->connection()).studies(query);
    ASSERT_TRUE(reports.ok());
    EXPECT_EQ(reports->size(), 1u);
}

TEST(Importer, CacheFilesArePrivateToTheUser)
{
    TempDir dir;
    auto cache = openCache(dir / "cache");
    importOrFail(*cache, {pydicomTestFiles() / "CT_small.dcm"});
    auto mode = [](const std::filesystem::path& path) {
        struct stat info {};
        ::stat(path.c_str(), &info);
        return info.st_mode & 0777;
    };
    EXPECT_EQ(mode(dir / "cache"), 0700u);
    EXPECT_EQ(mode(cache->layout().indexFile()), 0600u);
    for (const auto& file : filesUnder(cache->layout().storeDir())) {
        EXPECT_EQ(mode(file), 0600u) << file;
        EXPECT_EQ(mode(file.parent_path()), 0700u) << file;
    }
}

TEST(Importer, MissingInputsAndGarbageAreRejectedWithReasons)
{
    TempDir dir;
    auto cache = openCache(dir / "cache");
    { std::ofstream(dir / "empty.dcm"); }
    { std::ofstream(dir / "note.txt") << "not an image"; }
    const auto report = importOrFail(*cache, {dir / "missing.dcm", dir / "empty.dcm", dir / "note.txt"});
    EXPECT_EQ(report.imported, 0);
    ASSERT_EQ(report.rejected.size(), 3u);
    for (const auto& rejected : report.rejected) EXPECT_FALSE(rejected.reason.empty());
}

} // namespace
} // namespace lb::test
