// Lock files of dead writers are cleaned up at the next open, whatever point they died at;
// the locks of live writers, and a lock being created right now, are left alone.
#include "cache/LocalCache.h"
#include "cache/OwnerLock.h"
#include "tests/support/TestSupport.h"

#include <fstream>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

TEST(OwnerLock, OpeningTheCacheRemovesOnlyLocksNobodyHolds)
{
    TempDir dir;
    const auto root = dir / "cache";
    auto live = cache::LocalCache::open(root); // a live writer: its lock is held
    ASSERT_TRUE(live.ok());
    const auto locks = (*live)->layout().locksDir();
    std::ofstream(locks / "4242-deadbeef.lock") << "";       // killed after the rename
    std::ofstream(locks / "4343-feedf00d.creating") << "";   // mid-creation (or killed there, but recently)
    auto second = cache::LocalCache::open(root);
    ASSERT_TRUE(second.ok());
    EXPECT_FALSE(std::filesystem::exists(locks / "4242-deadbeef.lock"));
    EXPECT_TRUE(std::filesystem::exists(locks / "4343-feedf00d.creating"));
    EXPECT_TRUE(std::filesystem::exists(locks / ((*live)->owner() + ".lock")));
    EXPECT_TRUE(cache::OwnerLock::isAlive(locks, (*live)->owner()));
    EXPECT_TRUE(cache::OwnerLock::isAlive(locks, (*second)->owner()));
}

} // namespace
} // namespace lb::test
