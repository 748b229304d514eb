// The retrieve's plan: exactly what is missing, nothing the cache holds, whole series when the
// cache has none of it. Pure: no node, no database.
#include "app/services/RetrievePlan.h"

#include <gtest/gtest.h>

namespace lb::app {
namespace {

std::set<std::string> uids(int from, int to)
{
    std::set<std::string> set;
    for (int i = from; i < to; ++i) set.insert("1.2.3." + std::to_string(i));
    return set;
}

TEST(RetrievePlan, FetchesWholeSeriesItHasNoneOfAndNothingOfCompleteOnes)
{
    const std::vector<SeriesHoldings> series = {{"S1", 30, {}, std::nullopt}, {"S2", 10, uids(0, 10), std::nullopt}};
    EXPECT_FALSE(needsInstanceList(series[0]));
    EXPECT_FALSE(needsInstanceList(series[1]));
    const auto plan = planRetrieve("ST", netclient::RetrieveMethod::Get, series);
    ASSERT_EQ(plan.requests.size(), 1u);
    EXPECT_EQ(plan.requests[0].seriesUid, "S1");
    EXPECT_TRUE(plan.requests[0].sopInstanceUids.empty()); // the whole series
    EXPECT_EQ(plan.requests[0].method, netclient::RetrieveMethod::Get);
    EXPECT_EQ(plan.expected, 40);
    EXPECT_EQ(plan.alreadyLocal, 10);
    EXPECT_EQ(plan.requested, 30);
}

TEST(RetrievePlan, AsksOnlyForTheMissingInstancesOfAPartSeriesInBoundedRequests)
{
    SeriesHoldings part{"S1", 450, uids(0, 20), std::nullopt};
    EXPECT_TRUE(needsInstanceList(part));
    part.onNode = uids(0, 450);
    const auto plan = planRetrieve("ST", netclient::RetrieveMethod::Move, {part}, 200);
    ASSERT_EQ(plan.requests.size(), 3u); // 430 missing: 200 + 200 + 30
    EXPECT_EQ(plan.requests[0].sopInstanceUids.size(), 200u);
    EXPECT_EQ(plan.requests[2].sopInstanceUids.size(), 30u);
    std::set<std::string> asked;
    for (const auto& request : plan.requests) asked.insert(request.sopInstanceUids.begin(), request.sopInstanceUids.end());
    EXPECT_EQ(asked, uids(20, 450)); // exactly the missing ones
    EXPECT_EQ(plan.alreadyLocal, 20);
    EXPECT_EQ(plan.requested, 430);
    EXPECT_EQ(plan.expected, 450);
}

TEST(RetrievePlan, ACountTheNodeDidNotGiveIsUnknownUnlessItsListWasRead)
{
    const auto unknown = planRetrieve("ST", netclient::RetrieveMethod::Move, {{"S1", -1, {}, std::nullopt}});
    EXPECT_EQ(unknown.expected, -1);
    ASSERT_EQ(unknown.requests.size(), 1u);
    EXPECT_EQ(unknown.requested, 0); // a whole series of unknown size
    SeriesHoldings listed{"S2", -1, uids(0, 3), uids(0, 5)};
    EXPECT_TRUE(needsInstanceList(SeriesHoldings{"S2", -1, uids(0, 3), std::nullopt}));
    const auto known = planRetrieve("ST", netclient::RetrieveMethod::Move, {listed});
    EXPECT_EQ(known.expected, 5);
    EXPECT_EQ(known.requested, 2);
    EXPECT_EQ(known.alreadyLocal, 3);
}

} // namespace
} // namespace lb::app
