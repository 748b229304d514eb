// check, rebuild, delete and crash recovery on a real cache. Damage is done by hand to the
// files on disk, as a failing disk or a careless user would.
#include "tests/cache/CacheTestSupport.h"

#include "cache/ConsistencyCheck.h"
#include "cache/IndexRebuild.h"
#include "cache/StudyIndex.h"
#include "cache/StudyRemoval.h"

#include <fstream>

namespace lb::test {
namespace {

class ConsistencyTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_cache = openCache(m_dir / "cache");
        ASSERT_TRUE(m_cache);
        ASSERT_EQ(importOrFail(*m_cache, {testData() / "ct_philips_ingenuity_phantom"}).imported, 29);
    }

    cache::CheckReport check()
    {
        auto report = cache::checkCache(*m_cache);
        EXPECT_TRUE(report.ok());
        return report.ok() ? *report : cache::CheckReport{};
    }

    std::vector<std::filesystem::path> stored() { return filesUnder(m_cache->layout().storeDir()); }

    TempDir m_dir;
    std::unique_ptr<cache::LocalCache> m_cache;
};

TEST_F(ConsistencyTest, AFreshImportIsConsistent)
{
    const auto report = check();
    EXPECT_TRUE(report.consistent());
    EXPECT_EQ(report.integrity, "ok");
    EXPECT_EQ(report.instances, 29);
    EXPECT_EQ(report.filesInStore, 29);
}

TEST_F(ConsistencyTest, FindsMissingOrphanTruncatedAndAlteredFiles)
{
    const auto files = stored();
    ASSERT_EQ(files.size(), 29u);
    std::filesystem::remove(files[0]);                                    // missing
    std::filesystem::resize_file(files[1], std::filesystem::file_size(files[1]) - 1); // size
    {
        std::fstream altered(files[2], std::ios::in | std::ios::out | std::ios::binary);
        altered.seekp(-3, std::ios::end);
        altered.put('\x55');                                              // content
    }
    std::filesystem::copy_file(files[3], files[3].parent_path() / "stray.dcm"); // orphan

    const auto report = check();
    EXPECT_FALSE(report.consistent());
    ASSERT_EQ(report.missingFiles.size(), 1u);
    ASSERT_EQ(report.sizeMismatches.size(), 1u);
    ASSERT_EQ(report.hashMismatches.size(), 1u);
    ASSERT_EQ(report.orphanFiles.size(), 1u);
    EXPECT_NE(report.orphanFiles[0].path.find("stray.dcm"), std::string::npos);
}

TEST_F(ConsistencyTest, RebuildRecreatesTheIndexFromTheFilesAlone)
{
    cache::StudyQuery query(m_cache->connection());
    auto before = query.studies({});
    ASSERT_TRUE(before.ok());
    ASSERT_TRUE(m_cache->connection().execute("DELETE FROM instances; DELETE FROM series; DELETE FROM studies;").ok());
    EXPECT_FALSE(check().consistent());

    auto rebuilt = cache::rebuildIndex(*m_cache);
    ASSERT_TRUE(rebuilt.ok()) << rebuilt.error().message();
    EXPECT_EQ(rebuilt->files, 29);
    EXPECT_EQ(rebuilt->indexed, 29);
    EXPECT_TRUE(rebuilt->unreadable.empty());
    EXPECT_TRUE(check().consistent());
    auto after = query.studies({});
    ASSERT_TRUE(after.ok());
    ASSERT_EQ(after->size(), before->size());
    EXPECT_EQ((*after)[0].numInstances, (*before)[0].numInstances);
    EXPECT_EQ((*after)[0].patientName, (*before)[0].patientName);
}

TEST_F(ConsistencyTest, DeletingAStudyRemovesRowsAndFilesTogether)
{
    auto studies = cache::StudyQuery(m_cache->connection()).studies({});
    ASSERT_TRUE(studies.ok());
    ASSERT_EQ(studies->size(), 1u);
    auto removed = cache::removeStudy(*m_cache, (*studies)[0].studyUid);
    ASSERT_TRUE(removed.ok());
    EXPECT_EQ(removed->instances, 29);
    EXPECT_EQ(removed->filesRemoved, 29);
    EXPECT_TRUE(stored().empty());
    EXPECT_EQ(countRows(*m_cache, "studies"), 0);
    EXPECT_EQ(countRows(*m_cache, "patients"), 0);
    EXPECT_TRUE(check().consistent());

    auto again = cache::removeStudy(*m_cache, (*studies)[0].studyUid);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, core::ErrorCode::NotFound);
}

TEST_F(ConsistencyTest, DeletingOneSeriesKeepsTheRestOfTheStudy)
{
    auto series = cache::StudyQuery(m_cache->connection()).series(
        cache::StudyQuery(m_cache->connection()).studies({})->at(0).studyUid);
    ASSERT_TRUE(series.ok());
    ASSERT_EQ(series->size(), 2u);
    auto removed = cache::removeSeries(*m_cache, (*series)[0].seriesUid);
    ASSERT_TRUE(removed.ok());
    auto studies = cache::StudyQuery(m_cache->connection()).studies({});
    ASSERT_EQ(studies->size(), 1u);
    EXPECT_EQ((*studies)[0].numSeries, 1);
    EXPECT_EQ((*studies)[0].numInstances, 29 - removed->instances);
    EXPECT_TRUE(check().consistent());
}

TEST_F(ConsistencyTest, FilesADeadWriterLeftUnindexedAreRolledBackOnOpen)
{
    // What a writer killed between "link into the store" and "commit the index" leaves behind:
    // a pending row of an owner whose lock is gone, and the file it linked.
    const auto source = pydicomTestFiles() / "CT_small.dcm";
    auto path = cache::FileStore::relativePathFor("1.2.3.4.5.6.7");
    ASSERT_TRUE(path.ok());
    const auto target = m_cache->store().absolutePath(*path);
    std::filesystem::create_directories(target.parent_path());
    std::filesystem::copy_file(source, target);
    {
        cache::StudyIndex index(m_cache->connection());
        ASSERT_TRUE(index.addPending(*path, "12345-deadbeef").ok());
    }
    const auto whilePending = check(); // a pending file is no orphan while its writer may still index it...
    EXPECT_TRUE(whilePending.orphanFiles.empty()) << whilePending.orphanFiles.front().path;

    m_cache.reset();
    m_cache = openCache(m_dir / "cache"); // ...and reopening rolls the dead writer back
    EXPECT_EQ(m_cache->recoveryAtOpen().deadOwners, 1);
    EXPECT_EQ(m_cache->recoveryAtOpen().removedFiles, 1);
    EXPECT_FALSE(std::filesystem::exists(target));
    EXPECT_EQ(countRows(*m_cache, "pending_files"), 0);
    EXPECT_TRUE(check().consistent());
}

} // namespace
} // namespace lb::test
