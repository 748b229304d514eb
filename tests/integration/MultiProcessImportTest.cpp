// Two lightbox-cli processes importing overlapping data into one cache at the same time.
#include "tests/integration/CliTestSupport.h"

#include <gtest/gtest.h>

namespace lb::test {
namespace {

TEST(MultiProcessImport, OverlappingImportsEndWithOneCopyOfEachInstance)
{
    TempDir dir;
    makeManyInstances(dir / "input", 1500);
    const auto cache = dir / "cache";
    // Both see every file; they start on different halves so they meet in the middle.
    const pid_t first = spawnCli(cache, {"import", (dir / "input/s0000").string(), (dir / "input").string()});
    const pid_t second = spawnCli(cache, {"import", (dir / "input/s0002").string(), (dir / "input").string()});
    EXPECT_EQ(waitFor(first), 0);
    EXPECT_EQ(waitFor(second), 0);

    const auto check = cliJson(cache, "check");
    EXPECT_TRUE(check["consistent"].get<bool>()) << check.dump(2);
    EXPECT_EQ(check["instances"].get<int>(), 1500);
    EXPECT_EQ(check["files_in_store"].get<int>(), 1500);
    const auto again = cliJson(cache, "import " + shellQuote((dir / "input").string()));
    EXPECT_EQ(again["imported"].get<int>(), 0);
    EXPECT_EQ(again["already_present"].get<int>(), 1500);
}

} // namespace
} // namespace lb::test
