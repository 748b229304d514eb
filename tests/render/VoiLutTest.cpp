// The linear VOI of PS3.3 C.11.2.1.2.1 at its edges, and the presets as data.
#include "render/VoiLut.h"

#include <gtest/gtest.h>

namespace lb::render {
namespace {

TEST(VoiLut, FollowsTheDicomLinearFunctionAtItsEdges)
{
    const VoiLut voi({40, 400}, false); // c - 0.5 - (w-1)/2 = -160; c - 0.5 + (w-1)/2 = 239
    EXPECT_EQ(voi(-1000), 0);
    EXPECT_EQ(voi(-160), 0);      // at the lower edge: 0
    EXPECT_EQ(voi(-159.9), 0);    // (0.1 / 399) * 255 = 0.06 -> 0
    EXPECT_EQ(voi(239), 255);     // top of the linear part
    EXPECT_EQ(voi(239.5), 255);
    EXPECT_EQ(voi(39.5), 128);    // the centre maps to 127.5, rounded up
    EXPECT_EQ(voi(0), 102);       // ((0 - 39.5) / 399 + 0.5) * 255 = 102.26
    const VoiLut inverted({40, 400}, true);
    EXPECT_EQ(inverted(-1000), 255);
    EXPECT_EQ(inverted(0), 153);
    const VoiLut narrow({0, 1}, false); // width 1: a threshold at c - 0.5
    EXPECT_EQ(narrow(-0.5), 0);
    EXPECT_EQ(narrow(-0.49), 255);
}

TEST(VoiLut, PresetsComeFromTheResourceFile)
{
    ASSERT_EQ(windowPresets().size(), 8u);
    auto lung = presetNamed("lung");
    ASSERT_TRUE(lung.ok());
    EXPECT_EQ(lung->center, -600);
    EXPECT_EQ(lung->width, 1500);
    EXPECT_FALSE(presetNamed("nosuch").ok());
}

TEST(VoiLut, AutomaticWindowSpansThePercentiles)
{
    std::vector<double> values;
    for (int i = 0; i <= 1000; ++i) values.push_back(i);
    const Window window = automaticWindow(values);
    EXPECT_NEAR(window.center, 500, 1);
    EXPECT_NEAR(window.width, 990, 2);
    EXPECT_GE(automaticWindow({}).width, 1);
    EXPECT_GE(automaticWindow({5, 5, 5}).width, 1);
}

} // namespace
} // namespace lb::render
