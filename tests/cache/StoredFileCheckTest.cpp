// cache::checkStoredFiles on a real cache: the CT series of tests/data imported, then its stored
// files changed, truncated, grown, removed and made unreadable on disk.
#include "cache/StoredFileCheck.h"
#include "tests/cache/CacheTestSupport.h"

#include <algorithm>
#include <sys/stat.h>
#include <unistd.h>

namespace lb::test {
namespace {

const char* kSeries = "1.3.46.670589.33.1.6002432791750815306.26862469513794233732"; // S2010_axial_5mm

class StoredFileCheck : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_cache = openCache(m_dir / "cache");
        ASSERT_TRUE(m_cache);
        importOrFail(*m_cache, {testData() / "ct_philips_ingenuity_phantom" / "S2010_axial_5mm"});
        auto rows = cache::StudyQuery(m_cache->connection()).instances(kSeries);
        ASSERT_TRUE(rows.ok());
        m_rows = *rows;
        ASSERT_EQ(m_rows.size(), 28u);
    }

    const cache::InstanceRow& row(int number) const
    {
        return *std::find_if(m_rows.begin(), m_rows.end(), [&](const auto& r) { return r.instanceNumber == number; });
    }
    std::filesystem::path file(int number) const { return m_cache->store().absolutePath(row(number).filePath); }

    std::vector<cache::StoredFileFinding> check(const cache::StoredFileCheckOptions& options = {}) const
    {
        auto findings = cache::checkStoredFiles(m_cache->store(), m_rows, options);
        EXPECT_TRUE(findings.ok()) << (findings.ok() ? "" : findings.error().message());
        return findings.ok() ? *findings : std::vector<cache::StoredFileFinding>{};
    }

    TempDir m_dir;
    std::unique_ptr<cache::LocalCache> m_cache;
    std::vector<cache::InstanceRow> m_rows;
};

TEST_F(StoredFileCheck, EachKindOfDamageIsFoundWithAPlainReason)
{
    EXPECT_TRUE(check().empty());

    std::string bytes = readFileBytes(file(14));
    bytes[bytes.size() / 2] ^= 0x01; // one bit, same size
    writeFileBytes(file(14), bytes);
    const uint64_t size20 = std::filesystem::file_size(file(20));
    std::filesystem::resize_file(file(20), size20 / 2);
    const uint64_t size21 = std::filesystem::file_size(file(21));
    std::filesystem::resize_file(file(21), size21 + 10);
    std::filesystem::remove(file(3));

    const auto findings = check();
    ASSERT_EQ(findings.size(), 4u);
    // In the order of the rows (by instance number).
    EXPECT_EQ(findings[0].instanceNumber, 3);
    EXPECT_EQ(findings[0].kind, cache::StoredFileProblem::Missing);
    EXPECT_EQ(findings[0].reason, "missing from the store");
    EXPECT_EQ(findings[0].sopInstanceUid, row(3).sopInstanceUid);
    EXPECT_EQ(findings[0].filePath, row(3).filePath);
    EXPECT_EQ(findings[1].instanceNumber, 14);
    EXPECT_EQ(findings[1].kind, cache::StoredFileProblem::Changed);
    EXPECT_EQ(findings[1].reason, "changed on disk since import (content differs)");
    EXPECT_EQ(findings[2].instanceNumber, 20);
    EXPECT_EQ(findings[2].kind, cache::StoredFileProblem::Changed);
    EXPECT_EQ(findings[2].reason, "truncated: " + std::to_string(size20 / 2) + " of " + std::to_string(size20) + " bytes");
    EXPECT_EQ(findings[3].instanceNumber, 21);
    EXPECT_EQ(findings[3].reason, std::to_string(size21 + 10) + " bytes, " + std::to_string(size21) + " at import");
    EXPECT_STREQ(cache::storedFileProblemName(findings[0].kind), "missing");

    // Sizes only: the flipped bit goes unseen, nothing is read.
    cache::StoredFileCheckOptions quick;
    quick.verifyContent = false;
    EXPECT_EQ(check(quick).size(), 3u);
    // One thread finds the same.
    cache::StoredFileCheckOptions single;
    single.threads = 1;
    EXPECT_EQ(check(single).size(), 4u);
}

TEST_F(StoredFileCheck, AFileThatCannotBeReadIsUnreadableWithTheSystemsReason)
{
    // A directory where the file was: stat works, reading does not.
    std::filesystem::remove(file(5));
    std::filesystem::create_directory(file(5));
    const auto findings = check();
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].kind, cache::StoredFileProblem::Unreadable);
    EXPECT_EQ(findings[0].reason, "cannot be read: not a regular file");
    if (::geteuid() != 0) { // root reads whatever the mode says
        std::filesystem::remove(file(5));
        ::chmod(file(6).c_str(), 0);
        const auto denied = check();
        ASSERT_EQ(denied.size(), 2u);
        EXPECT_EQ(denied[1].reason, "cannot be read: Permission denied");
    }
}

TEST_F(StoredFileCheck, ACancelledCheckSaysSo)
{
    core::CancelToken cancel;
    cancel.cancel();
    cache::StoredFileCheckOptions options;
    options.cancel = &cancel;
    auto findings = cache::checkStoredFiles(m_cache->store(), m_rows, options);
    ASSERT_FALSE(findings.ok());
    EXPECT_EQ(findings.error().code, core::ErrorCode::Cancelled);
}

TEST(StoredFileNames, InstanceNumberThenUid)
{
    EXPECT_EQ(cache::describeStoredInstance(14, "1.2.3"), "instance 14 (1.2.3)");
    EXPECT_EQ(cache::describeStoredInstance(std::nullopt, "1.2.3"), "1.2.3");
}

} // namespace
} // namespace lb::test
