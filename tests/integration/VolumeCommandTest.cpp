// lightbox-cli volume, from the cache (SERIES_UID) and from a folder (PATH), against the
// oracle.json of the shared series.
#include "tests/integration/CliTestSupport.h"

#include <gtest/gtest.h>

namespace lb::test {
namespace {

TEST(VolumeCommand, CachedSeriesMatchesTheOracleWithProbes)
{
    TempDir dir;
    const auto folder = testData() / "mr_philips_achieva_epi_rescaled";
    cliJson(dir / "cache", "import " + shellQuote(folder.string()));
    const auto oracle = readJson(folder / "oracle.json")["series"][0];
    std::string probes;
    for (const auto& probe : oracle["pixel_stats"]["probes_volume0"])
        probes += " --probe " + std::to_string(probe["ijk"][0].get<int>()) + "," + std::to_string(probe["ijk"][1].get<int>()) + ","
            + std::to_string(probe["ijk"][2].get<int>());
    const auto stacks = cliJson(dir / "cache", "volume " + oracle["SeriesInstanceUID"].get<std::string>() + probes + " --probe 999,0,0");
    ASSERT_EQ(stacks.size(), 1u);
    const auto& s = stacks[0];
    for (const char* key : {"series_uid", "dims", "time_points", "spacing", "origin", "direction", "value_range", "pixel_type",
                            "warnings", "probes"})
        EXPECT_TRUE(s.contains(key)) << key;
    EXPECT_EQ(s["dims"], nlohmann::json::array({64, 64, 9}));
    EXPECT_EQ(s["time_points"], 3);
    EXPECT_EQ(s["pixel_type"], "float32");
    EXPECT_NEAR(s["spacing"][2].get<double>(), 8.0, 1e-3);
    EXPECT_NEAR(s["value_range"][1].get<double>(), oracle["pixel_stats"]["max"].get<double>(), 1e-3);
    const auto& expectedProbes = oracle["pixel_stats"]["probes_volume0"];
    ASSERT_EQ(s["probes"].size(), expectedProbes.size() + 1);
    for (size_t i = 0; i < expectedProbes.size(); ++i)
        EXPECT_NEAR(s["probes"][i]["value"].get<double>(), expectedProbes[i]["value"].get<double>(), 1e-3);
    EXPECT_TRUE(s["probes"].back()["value"].is_null());
}

TEST(VolumeCommand, AFolderWithTwoSeriesReportsEachStack)
{
    TempDir dir;
    const auto stacks = cliJson(dir / "cache", "volume " + shellQuote((testData() / "ct_philips_ingenuity_phantom").string())
                                                   + " --probe 256,256,14");
    ASSERT_EQ(stacks.size(), 2u);
    EXPECT_EQ(stacks[0]["dims"], nlohmann::json::array({512, 512, 28}));
    EXPECT_EQ(stacks[0]["probes"][0]["value"], 93.0); // oracle: HU at the centre voxel
    EXPECT_EQ(stacks[1]["dims"], nlohmann::json::array({512, 256, 1}));
    EXPECT_EQ(cli(dir / "cache", "volume 1.2.3.4.5").exitCode, 5);
    EXPECT_EQ(cli(dir / "cache", "volume . --probe 1,2").exitCode, 2);
}

} // namespace
} // namespace lb::test
