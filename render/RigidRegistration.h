#pragma once
// Rigid registration of two series of the same patient (a prior onto the current study): the
// rotation and translation that carry the moving series' patient space onto the fixed one's,
// found by ITK (versor rigid 3D transform, Mattes mutual information, so CT-CT, MR-MR and
// CT-MR all work). Only this header is seen outside render/; ITK stays in the .cpp.
//
// How (each step with its number, the why in RigidRegistration.cpp):
//   1. A tilted or unevenly spaced stack is first put on its regular grid (onRegularGrid);
//      colour volumes, volumes without patient geometry and stacks of fewer than
//      kMinimumSlices slices are refused (InvalidArgument). Only the first time point is used.
//   2. A pyramid of three levels made by block averaging (a box filter, then one sample per
//      block): about 4 mm, 2 mm and 1 mm voxels (never finer than the acquired grid). Values are
//      clamped to each series' 0.5th..99.5th percentile, the range the Mattes histogram spans.
//   3. The start: of three candidates (identity in patient space, centres of mass of the
//      foreground (Otsu) matched, the same but keeping the identity along the fixed slice
//      normal, where fields of view usually differ), the one with the best metric at 4 mm.
//   4. At each level a fixed number of sample points on a regular grid of the fixed volume,
//      jittered with a fixed seed: the result is the same from run to run.
//   5. Regular step gradient descent with parameter scales from the physical shift of each
//      parameter; steps from about one voxel of the level down to 1/200 of it. Each level ends
//      at the best position it measured (tracked here: ITK 5.2's own "return best" is one step
//      off, see IterationObserver in the .cpp).
// Tolerance, measured (docs/benchmarks.md): on an MR T1 moved by 8, -5, 6 degrees and 20, -15,
// 10 mm with a different voxel grid, under 1.5 mm at the corners of the fixed volume and
// under 1 mm at its centre (0.02-0.07 mm measured); a series onto itself gives the identity; a
// 128x128 CT of 12 slices 5 mm apart onto a copy shifted by (8, -6, 30) mm, 0.03 mm.
#include "core/CancelToken.h"
#include "core/Result.h"
#include "core/Volume.h"

#include <array>

namespace lb::render {

struct RigidRegistrationResult {
    // Row-major 4x4: maps a point in the MOVING series' patient coordinates (LPS mm) to the
    // FIXED series' patient coordinates. The last row is 0 0 0 1.
    std::array<double, 16> movingToFixed{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    double metric = 0;  // Mattes mutual information at the end of the finest level (lower is better; negative)
    int iterations = 0; // optimiser iterations over all levels
    double seconds = 0; // wall time of the whole registration, pyramid included
};

constexpr int kMinimumSlices = 4;

// Registers `moving` onto `fixed`. Errors: InvalidArgument (a volume that cannot be registered,
// named in the subject by its series UID), Cancelled (the token was triggered: checked between
// steps and at every optimiser iteration), Io (ITK failed, e.g. no overlap between the volumes).
core::Result<RigidRegistrationResult> registerRigid(const core::Volume& fixed, const core::Volume& moving,
                                                    const core::CancelToken* cancel = nullptr);

} // namespace lb::render
