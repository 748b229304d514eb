// A real full disk (a small tmpfs in a private mount namespace): an import that cannot commit
// leaves nothing of itself in the store, so the disk is not left full and a retry after freeing
// space starts clean; the cache stays consistent whatever the size at which the disk runs out.
#include "tests/integration/CliTestSupport.h"

#include <cstdio>
#include <gtest/gtest.h>
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

} // namespace
} // namespace lb::test
