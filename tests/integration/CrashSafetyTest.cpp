// Kill -9 `lightbox-cli import` at random points of a large import, several times. After each
// kill the cache must check consistent; the last, uninterrupted run must end with exactly the
// right number of instances, no orphans and no duplicates.
#include "tests/integration/CliTestSupport.h"

#include <chrono>
#include <csignal>
#include <gtest/gtest.h>
#include <random>
#include <thread>

namespace lb::test {
namespace {

TEST(CrashSafety, SigkilledImportsLeaveAConsistentCacheAndResume)
{
    TempDir dir;
    constexpr int kFiles = 4000;
    makeManyInstances(dir / "input", kFiles);
    const auto cache = dir / "cache";

    std::mt19937 random(20261127); // fixed seed: a failure can be replayed
    std::uniform_int_distribution<int> delayMs(30, 1200);
    int killedMidway = 0;
    for (int round = 0; round < 6; ++round) {
        const pid_t pid = spawnCli(cache, {"import", (dir / "input").string()});
        std::this_thread::sleep_for(std::chrono::milliseconds(delayMs(random)));
        const bool wasRunning = ::kill(pid, SIGKILL) == 0;
        const int status = waitFor(pid);
        if (wasRunning && status == 128 + SIGKILL) ++killedMidway;

        const auto check = cliJson(cache, "check");
        EXPECT_TRUE(check["consistent"].get<bool>()) << "round " << round << ": " << check.dump(2);
        EXPECT_TRUE(check["orphan_files"].empty()) << check.dump(2);
        EXPECT_LE(check["instances"].get<int>(), kFiles);
    }
    EXPECT_GE(killedMidway, 3) << "the kills must land while the import is running";

    const auto finish = cliJson(cache, "import " + shellQuote((dir / "input").string()));
    EXPECT_EQ(finish["imported"].get<int>() + finish["already_present"].get<int>(), kFiles);
    EXPECT_TRUE(finish["conflicts"].empty());
    const auto check = cliJson(cache, "check");
    EXPECT_TRUE(check["consistent"].get<bool>()) << check.dump(2);
    EXPECT_EQ(check["instances"].get<int>(), kFiles);
    EXPECT_EQ(check["files_in_store"].get<int>(), kFiles);
    const auto studies = cliJson(cache, "studies");
    EXPECT_EQ(studies.size(), static_cast<size_t>(kFiles / 5));
    int instances = 0;
    for (const auto& study : studies) instances += study["num_instances"].get<int>();
    EXPECT_EQ(instances, kFiles);
    // Nothing left behind: no staging files, no lock files of dead processes.
    EXPECT_TRUE(filesUnder(cache / "tmp").empty());
    EXPECT_TRUE(filesUnder(cache / "locks").empty());
}

} // namespace
} // namespace lb::test
