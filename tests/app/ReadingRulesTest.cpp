// The reading workflow's rules as data: the shipped hanging protocols and prior rules parse and
// say what the documentation says; protocols survive a save and reload; the matching helpers.
#include "app/services/HangingProtocol.h"
#include "app/services/PriorRules.h"
#include "app/services/ProtocolLibrary.h"
#include "app/services/StudyHanging.h"

#include <gtest/gtest.h>

#include <set>

namespace lb::app {
namespace {

TEST(ReadingRules, ShippedProtocolsParseAndCoverTheReadingRoomsStudies)
{
    const auto protocols = ProtocolLibrary::shipped();
    std::set<std::string> names;
    for (const auto& protocol : protocols) {
        names.insert(protocol.name);
        EXPECT_FALSE(protocol.steps.empty()) << protocol.name;
        for (const auto& step : protocol.steps) EXPECT_TRUE(validLayout(step.layout)) << protocol.name;
    }
    EXPECT_EQ(names, (std::set<std::string>{"CT head", "CT chest", "CT abdomen with prior", "MR brain",
                                            "Chest radiograph with prior", "Mammography"}));
}

TEST(ReadingRules, ShippedPriorRulesJudgeAsDocumented)
{
    const PriorRules rules = PriorRules::shipped();
    EXPECT_EQ(rules.fetchCount(), 2);
    const StudyTraits current{"20261101", {"CT"}, "CT CHEST ABDOMEN PELVIS", {}, {}};
    EXPECT_TRUE(rules.judge(current, {"20250101", {"CT"}, "CT ABDOMEN", {}, {}}).relevant); // overlapping regions
    EXPECT_TRUE(rules.judge(current, {"20250101", {"CT", "SR"}, "", {"CHEST"}, {}}).relevant);    // body part of a series
    EXPECT_FALSE(rules.judge(current, {"20250101", {"CT"}, "CT HEAD", {}, {}}).relevant);
    EXPECT_FALSE(rules.judge(current, {"20250101", {"MR"}, "MR ABDOMEN", {}, {}}).relevant);
    EXPECT_FALSE(rules.judge(current, {"20010101", {"CT"}, "CT ABDOMEN", {}, {}}).relevant);
    const StudyTraits radiograph{"20261101", {"DX"}, "CHEST 2 VIEWS", {}, {}};
    EXPECT_TRUE(rules.judge(radiograph, {"20250101", {"CR"}, "XR THORAX", {}, {}}).relevant) << "CR and DX are one family";
    EXPECT_EQ(rules.regionsOf({"", {}, "CT THORAX", {}, {}}), std::vector<std::string>{"chest"});
}

TEST(ReadingRules, IntervalsAndSimilarity)
{
    EXPECT_EQ(intervalText("20261101", "20261101"), "same day");
    EXPECT_EQ(intervalText("20261020", "20261101"), "12 days before");
    EXPECT_EQ(intervalText("20260801", "20261101"), "3 months before");
    EXPECT_EQ(intervalText("20240801", "20261101"), "2 years 3 months before");
    EXPECT_EQ(intervalText("20261201", "20261101"), "1 month after");
    EXPECT_EQ(intervalText("", "20261101"), "date unknown");
    EXPECT_DOUBLE_EQ(descriptionSimilarity("CT HEAD", "ct head"), 1.0);
    EXPECT_DOUBLE_EQ(descriptionSimilarity("CT HEAD", "MR KNEE"), 0.0);
}

TEST(ReadingRules, PatternsAreCaseInsensitiveGlobs)
{
    EXPECT_TRUE(patternMatches("*flair*", "Ax T2 FLAIR"));
    EXPECT_TRUE(patternMatches("T?", "t2"));
    EXPECT_FALSE(patternMatches("*T1*", "Ax T2 FSE"));
    EXPECT_TRUE(patternMatches("*", ""));
    EXPECT_FALSE(patternMatches("a*b*c", "acb"));
}

TEST(ReadingRules, ASavedProtocolReloadsAsItWas)
{
    const auto shipped = ProtocolLibrary::shipped();
    ASSERT_FALSE(shipped.empty());
    for (const auto& protocol : shipped) {
        const std::string json = protocolToJson(protocol);
        auto again = protocolFromJson(json, "round trip");
        ASSERT_TRUE(again) << again.error().message();
        EXPECT_EQ(protocolToJson(*again), json) << protocol.name;
    }
}

TEST(ReadingRules, BrokenProtocolsSayWhatIsWrong)
{
    auto noSteps = protocolFromJson(R"({"name": "x", "steps": []})", "user.json");
    ASSERT_FALSE(noSteps);
    EXPECT_NE(noSteps.error().message().find("user.json"), std::string::npos);
    auto badSync = protocolFromJson(R"({"name": "x", "steps": [{"layout": "1x2", "viewports": [{}, {}], "sync": [[0, 5]]}]})", "u");
    ASSERT_FALSE(badSync);
    EXPECT_NE(badSync.error().message().find("viewport 5"), std::string::npos);
    auto tooMany = protocolFromJson(R"({"name": "x", "steps": [{"layout": "1x1", "viewports": [{}, {}]}]})", "u");
    EXPECT_FALSE(tooMany);
    auto badView = protocolFromJson(R"({"name": "x", "steps": [{"viewports": [{"view": "sideways"}]}]})", "u");
    EXPECT_FALSE(badView);
}

TEST(ReadingRules, AStudyWithoutSeriesStillHangsGenerically)
{
    const StudyForHanging empty{"1.2.3", "", {}, {}};
    const HangingResult result = hangStudies(ProtocolLibrary::shipped(), empty, {});
    EXPECT_EQ(result.protocol, kGenericProtocol);
    ASSERT_EQ(result.viewports.size(), 1u);
    EXPECT_TRUE(result.viewports[0].seriesUid.empty());
}

} // namespace
} // namespace lb::app
