// Two writers at once (each with its own connection and owner, as two processes would have)
// importing overlapping data end with exactly one copy of each instance.
#include "tests/cache/CacheTestSupport.h"

#include "cache/ConsistencyCheck.h"

#include <thread>

namespace lb::test {
namespace {

TEST(Concurrency, OverlappingImportsEndWithOneCopyOfEachInstance)
{
    TempDir dir;
    auto first = openCache(dir / "cache");
    auto second = openCache(dir / "cache");
    ASSERT_TRUE(first && second);
    ASSERT_NE(first->owner(), second->owner());

    const auto mprage = testData() / "mr_ge_pioneer_t1_mprage_3d";
    const auto epi = testData() / "mr_ge_discovery_epi_4d";
    cache::ImportReport a, b;
    std::thread one([&] { a = importOrFail(*first, {mprage, epi}); });
    std::thread two([&] { b = importOrFail(*second, {epi, mprage}); });
    one.join();
    two.join();

    EXPECT_EQ(a.imported + b.imported, 130 + 150);
    EXPECT_EQ(a.imported + a.alreadyPresent, 280);
    EXPECT_EQ(b.imported + b.alreadyPresent, 280);
    EXPECT_TRUE(a.conflicts.empty() && b.conflicts.empty());
    EXPECT_EQ(countRows(*first, "instances"), 280);
    EXPECT_EQ(filesInStore(*first), 280u);
    EXPECT_EQ(countRows(*first, "pending_files"), 0);
    auto check = cache::checkCache(*first);
    ASSERT_TRUE(check.ok());
    EXPECT_TRUE(check->consistent());
}

} // namespace
} // namespace lb::test
