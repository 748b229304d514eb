// Disks that do not cooperate, made real in a private mount namespace: a full one (a small
// tmpfs): an import that cannot commit leaves nothing of itself in the store, so the disk is not
// left full and a retry after freeing space starts clean; a read-only one (a read-only bind
// mount): the cache can still be browsed and its images rendered.
#include "tests/integration/CliTestSupport.h"

#include <cstdio>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

namespace lb::test {
namespace {

TEST(FullDisk, AnImportThatCannotCommitLeavesNothingInTheStore)
{
    // The 28-slice CT (14.6 MB): between 14.0 and 15.4 MB of disk the copies fit but the index
    // commit does not (where exactly depends on page sizes), so some sizes fail at the commit.
    const auto result = runCommand(shellQuote((sourceDir() / "tests/support/full_disk_import.sh").string()) + " " +
                                   shellQuote(LB_CLI) + " " +
                                   shellQuote((testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm").string()) +
                                   " 14000 15400 100 2>&1");
    ASSERT_EQ(result.exitCode, 0) << result.out;
    int failedCommits = 0, runs = 0;
    std::istringstream lines(result.out);
    std::string line;
    while (std::getline(lines, line)) {
        int kb = 0, rc = 0, files = 0, check = 0;
        if (std::sscanf(line.c_str(), "%d %d %d %d", &kb, &rc, &files, &check) != 4) continue;
        ++runs;
        ASSERT_NE(rc, 90) << "cannot mount a tmpfs here:\n" << result.out;
        EXPECT_EQ(check, 0) << "inconsistent cache at " << kb << " KB\n" << result.out;
        if (rc != 0) {
            ++failedCommits;
            EXPECT_EQ(files, 0) << "a failed import left files in the store at " << kb << " KB\n" << result.out;
        }
    }
    EXPECT_EQ(runs, 15) << result.out;
    EXPECT_GT(failedCommits, 0) << "no size made the import fail: the test did not exercise a full disk\n" << result.out;
    EXPECT_NE(result.out.find("database or disk is full"), std::string::npos) << result.out;
}

TEST(ReadOnlyCache, IsBrowsedAndViewedAndRefusesWritesWithTheReason)
{
    TempDir dir;
    const auto cache = dir / "cache";
    ASSERT_EQ(cli(cache, "import " + shellQuote((testData() / "ct_philips_ingenuity_phantom").string())).exitCode, 0);
    const auto studies = cliJson(cache, "studies");
    ASSERT_EQ(studies.size(), 1u);
    const std::string study = studies[0].value("study_uid", "");
    const std::string readOnly = shellQuote((sourceDir() / "tests/support/read_only_cache.sh").string()) + " " +
                                 shellQuote(cache.string()) + " " + shellQuote(LB_CLI) + " --cache " + shellQuote(cache.string());
    const auto listed = runCommand(readOnly + " --json studies 2>&1");
    ASSERT_NE(listed.exitCode, 90) << "cannot make a read-only mount here";
    ASSERT_EQ(listed.exitCode, 0) << listed.out;
    EXPECT_EQ(nlohmann::json::parse(listed.out).at(0).value("study_uid", ""), study);
    const auto series = nlohmann::json::parse(runCommand(readOnly + " --json series " + study).out);
    ASSERT_EQ(series.size(), 2u);
    std::string axial;
    for (const auto& s : series)
        if (s.value("num_instances", 0) == 28) axial = s.value("series_uid", "");
    const auto png = dir / "axial.png";
    const auto rendered = runCommand(readOnly + " render " + axial + " --view axial -o " + shellQuote(png.string()) + " 2>&1");
    EXPECT_EQ(rendered.exitCode, 0) << rendered.out;
    EXPECT_TRUE(std::filesystem::exists(png));
    const auto imported = runCommand(readOnly + " import " + shellQuote((pydicomTestFiles() / "CT_small.dcm").string()) + " 2>&1");
    EXPECT_NE(imported.exitCode, 0) << imported.out;
    EXPECT_NE(imported.out.find("lightbox-cli:"), std::string::npos) << imported.out;
}

} // namespace
} // namespace lb::test
