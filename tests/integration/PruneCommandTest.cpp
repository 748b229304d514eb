// `lightbox-cli prune` and the cache-limit-mb setting on a real cache: the oldest study goes
// first, whole, and the cache stays consistent (`check` with hashes); nothing goes without a
// limit or under it; bad limits are refused.
#include "tests/integration/CliTestSupport.h"

#include <gtest/gtest.h>

namespace lb::test {
namespace {

TEST(PruneCommand, RemovesTheOldestStudiesUntilUnderTheLimit)
{
    TempDir temp;
    const auto cache = temp / "cache";
    // Added in this order: the CT phantom (29 files, ~15 MB), then the GE MR (130 files, ~19 MB).
    ASSERT_EQ(cli(cache, "import " + shellQuote((testData() / "ct_philips_ingenuity_phantom").string())).exitCode, 0);
    ASSERT_EQ(cli(cache, "import " + shellQuote((testData() / "mr_ge_pioneer_t1_mprage_3d").string())).exitCode, 0);
    auto studies = cliJson(cache, "studies");
    ASSERT_EQ(studies.size(), 2u);
    std::string ct, mr;
    for (const auto& study : studies) (study.value("modalities", "") == "CT" ? ct : mr) = study.value("study_uid", "");
    ASSERT_FALSE(ct.empty());
    ASSERT_FALSE(mr.empty());

    // No limit: nothing to do.
    auto report = cliJson(cache, "prune");
    EXPECT_TRUE(report.at("removed_studies").empty());
    const int64_t usage = report.at("usage_bytes").get<int64_t>();
    EXPECT_GT(usage, 30'000'000);

    // A limit the cache is under: nothing either.
    EXPECT_EQ(cli(cache, "settings set cache-limit-mb 1000").exitCode, 0);
    EXPECT_TRUE(cliJson(cache, "prune").at("removed_studies").empty());

    // 25 MB: the CT (added first) goes, the MR stays.
    EXPECT_EQ(cli(cache, "settings set cache-limit-mb 25").exitCode, 0);
    EXPECT_EQ(cliJson(cache, "settings list").value("cache-limit-mb", -1), 25);
    report = cliJson(cache, "prune");
    ASSERT_EQ(report.at("removed_studies").size(), 1u);
    EXPECT_EQ(report.at("removed_studies")[0].get<std::string>(), ct);
    EXPECT_LE(report.at("usage_bytes").get<int64_t>(), 25 * 1024 * 1024);
    EXPECT_EQ(report.at("usage_bytes").get<int64_t>() + report.at("freed_bytes").get<int64_t>(), usage);
    studies = cliJson(cache, "studies");
    ASSERT_EQ(studies.size(), 1u);
    EXPECT_EQ(studies[0].value("study_uid", ""), mr);
    const auto check = cliJson(cache, "check");
    EXPECT_TRUE(check.value("consistent", false));
    EXPECT_EQ(check.value("files_in_store", -1), 130);

    // Refused: a limit that is not a number of megabytes.
    EXPECT_EQ(cli(cache, "settings set cache-limit-mb lots").exitCode, 2);
    EXPECT_EQ(cli(cache, "prune --limit-mb 0").exitCode, 2);
}

} // namespace
} // namespace lb::test
