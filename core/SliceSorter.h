#pragma once
// Orders the frames of one stack into slices (k) and time points (t) and derives the
// geometry. Each rule states its tolerance:
//   - frames belong to one slice position when their distances along the normal differ by
//     less than 0.01 mm; every position must hold the same number of frames (time points),
//     else the extra frames are left out with a warning;
//   - within a position, frames are ordered by temporal index, then instance number;
//   - slice spacing is the mean distance between consecutive positions (never SliceThickness,
//     which is only used for a single slice); a step that differs from the mean by more than
//     1% (and 0.01 mm) is reported as irregular spacing, a step of about twice the median as
//     missing slices, both with the positions;
//   - gantry tilt: when the step between positions leaves the normal by more than 0.01
//     degrees, the volume keeps the sheared geometry and says so.
#include "core/Result.h"
#include "core/StackSplitter.h"
#include "core/Volume.h"

#include <string>
#include <vector>

namespace lb::core {

struct SortedStack {
    std::vector<std::vector<const SeriesFrame*>> slices; // [k][t]
    VolumeGeometry geometry;
    int timePoints = 1;
    std::vector<std::string> warnings;
};

Result<SortedStack> sortStack(const FrameStack& stack);

} // namespace lb::core
