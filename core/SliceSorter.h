#pragma once
// Orders the frames of one stack into slices (k) and time points (t) and derives the
// geometry. Each rule states its tolerance:
//   - frames belong to one slice position when their distances along the normal differ by
//     less than 0.01 mm; every position must hold the same number of frames (time points),
//     else the extra frames are left out with a warning;
//   - within a position, frames are ordered by temporal index, then instance number;
//   - every slice keeps the position its files give (slicePositions): nothing is re-spaced.
//     The nominal slice spacing is the mean distance between consecutive positions (never
//     SliceThickness, which is only used for a single slice);
//   - steps that differ from the usual (median) step by more than 1% (and 0.01 mm) make the
//     stack irregular: when each odd step is a whole multiple (2, 3, ...) of the usual one, slices
//     are missing (one warning with the gaps); otherwise the increment varies (one warning
//     with the runs: "13 × 4.0 mm, 1 × 1.1 mm, 13 × 7.0 mm");
//   - gantry tilt: when the line through the slice origins leaves the normal by more than 0.01
//     degrees the stack is sheared (one warning with the angle).
// An irregular or sheared stack is shown slice by slice as acquired; MPR, 3D and measurements
// use it resampled onto a regular grid (render/RegularGrid.h).
#include "core/Result.h"
#include "core/StackSplitter.h"
#include "core/Volume.h"

#include <array>
#include <string>
#include <vector>

namespace lb::core {

struct SortedStack {
    std::vector<std::vector<const SeriesFrame*>> slices; // [k][t]
    VolumeGeometry geometry;
    int timePoints = 1;
    std::vector<std::array<double, 3>> slicePositions; // IPP of voxel (0,0,k), as the files say
    bool hasPatientGeometry = true; // false: images without IOP/IPP (CR, DX, secondary capture)
    bool regular = true;      // positions on origin + k * spacing * normal (no tilt, even steps)
    std::vector<int> gapAfter; // k where slices are missing between k and k + 1
    double tiltDegrees = 0;   // angle between the line of slice origins and the normal
    std::vector<std::string> warnings;
};

Result<SortedStack> sortStack(const FrameStack& stack);

} // namespace lb::core
