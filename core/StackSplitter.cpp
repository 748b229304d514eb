#include "core/StackSplitter.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace lb::core {

namespace {

constexpr double kOrientationTolerance = 1e-3;

using StackKey = std::tuple<std::string, int, int, int, bool, bool, int, std::array<long, 6>>;

StackKey keyOf(const SeriesFrame& frame)
{
    std::array<long, 6> orientation{};
    if (frame.orientation)
        for (size_t i = 0; i < 6; ++i) orientation[i] = std::lround((*frame.orientation)[i] / kOrientationTolerance);
    return {frame.seriesUid, frame.rows,  frame.columns,  frame.samplesPerPixel, frame.localizer,
            frame.mosaic,    frame.echoNumber.value_or(0), orientation};
}

} // namespace

std::vector<FrameStack> splitIntoStacks(std::vector<SeriesFrame> frames)
{
    std::map<StackKey, FrameStack> byKey;
    for (auto& frame : frames) byKey[keyOf(frame)].frames.push_back(std::move(frame));
    std::vector<FrameStack> stacks;
    for (auto& [key, stack] : byKey) stacks.push_back(std::move(stack));
    std::stable_sort(stacks.begin(), stacks.end(), [](const FrameStack& a, const FrameStack& b) {
        const bool aLocalizer = a.frames.front().localizer, bLocalizer = b.frames.front().localizer;
        if (aLocalizer != bLocalizer) return !aLocalizer;
        return a.frames.size() > b.frames.size();
    });
    return stacks;
}

} // namespace lb::core
