#pragma once
// Splits the frames of a series into stacks that can each become one volume. Frames go to
// the same stack when they share the series, size, samples per pixel, echo, orientation
// (cosines equal within 1e-3, about 0.06 degrees) and localizer/mosaic kind. Localizers
// (ImageType LOCALIZER) and frames whose orientation differs from the others form stacks of
// their own. Biggest stack first, localizers last.
#include "core/SeriesFrame.h"

#include <vector>

namespace lb::core {

struct FrameStack {
    std::vector<SeriesFrame> frames;
};

std::vector<FrameStack> splitIntoStacks(std::vector<SeriesFrame> frames);

} // namespace lb::core
