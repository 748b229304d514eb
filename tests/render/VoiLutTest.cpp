// The linear VOI of PS3.3 C.11.2.1.2.1 at its edges, and the presets as data.
#include "render/VoiLut.h"

#include <cmath>
#include <memory>

#include <gtest/gtest.h>

namespace lb::render {
namespace {

TEST(VoiLut, FollowsTheDicomLinearFunctionAtItsEdges)
{
    const VoiLut voi(Window{40, 400}, false); // c - 0.5 - (w-1)/2 = -160; c - 0.5 + (w-1)/2 = 239
    EXPECT_EQ(voi(-1000), 0);
    EXPECT_EQ(voi(-160), 0);      // at the lower edge: 0
    EXPECT_EQ(voi(-159.9), 0);    // (0.1 / 399) * 255 = 0.06 -> 0
    EXPECT_EQ(voi(239), 255);     // top of the linear part
    EXPECT_EQ(voi(239.5), 255);
    EXPECT_EQ(voi(39.5), 128);    // the centre maps to 127.5, rounded up
    EXPECT_EQ(voi(0), 102);       // ((0 - 39.5) / 399 + 0.5) * 255 = 102.26
    const VoiLut inverted(Window{40, 400}, true);
    EXPECT_EQ(inverted(-1000), 255);
    EXPECT_EQ(inverted(0), 153);
    const VoiLut narrow(Window{0, 1}, false); // width 1: a threshold at c - 0.5
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

TEST(VoiLut, SigmoidLinearExactAndTables)
{
    // SIGMOID (PS3.3 C.11.2.1.3.1): half way at the centre, 255/(1+e^-2) one half-width above.
    const VoiLut sigmoid(Window{40, 400}, false, VoiFunction::Sigmoid);
    EXPECT_EQ(sigmoid(40), 128);
    EXPECT_EQ(sigmoid(240), static_cast<int>(255 / (1 + std::exp(-2.0)) + 0.5));
    EXPECT_EQ(sigmoid(-1e6), 0);
    EXPECT_EQ(sigmoid(1e6), 255);
    // LINEAR_EXACT: (x - c)/w + 0.5, no half-pixel shifts.
    const VoiLut exact(Window{0, 100}, false, VoiFunction::LinearExact);
    EXPECT_EQ(exact(-50), 0);
    EXPECT_EQ(exact(0), 128);
    EXPECT_EQ(exact(50), 255);
    EXPECT_EQ(voiFunctionOf("SIGMOID"), VoiFunction::Sigmoid);
    EXPECT_EQ(voiFunctionOf(""), VoiFunction::Linear);
    EXPECT_EQ(voiFunctionOf("SOMETHING"), VoiFunction::Linear);

    // A 10-bit table from -10: clamped at both ends, scaled from 1023 to 255, inverted on demand.
    auto table = std::make_shared<core::VoiLutTable>();
    table->firstMapped = -10;
    table->bits = 10;
    table->entries = {0, 100, 1023};
    const VoiLut lut(table, false), inverted(table, true);
    EXPECT_EQ(lut(-100), 0);
    EXPECT_EQ(lut(-10), 0);
    EXPECT_EQ(lut(-9), 25); // 100 * 255 / 1023 = 24.9
    EXPECT_EQ(lut(-8), 255);
    EXPECT_EQ(lut(5000), 255);
    EXPECT_EQ(inverted(-9), 230);
}

} // namespace
} // namespace lb::render
