#pragma once
// The grid MPR, 3D, reference lines and measurements work on. A stack whose slices lie on an
// orthogonal, equidistant grid is used as acquired. A tilted (gantry tilt) or unevenly spaced
// stack (variable increment, missing slices) is resampled with ITK (linear) onto an orthogonal,
// equidistant grid covering the acquired extent:
//   - direction: the row cosines, the column cosines made orthogonal to them, normal = row x column;
//   - spacing: the acquired in-plane spacing; along the normal the finest acquired increment
//     (never finer than 1/2000 of the extent);
//   - voxels between two acquired slices are interpolated between them; voxels in a gap
//     (missing slices, a slice whose pixels could not be read) and outside the acquired slices
//     hold the lowest value of the stack: a gap stays a gap.
// The 2D view of the acquired slices keeps using the acquired volume (true positions).
#include "core/CancelToken.h"
#include "core/Result.h"
#include "core/Volume.h"

#include <memory>

namespace lb::render {

// The grid a stack would be resampled onto (for a regular stack: its own geometry).
core::VolumeGeometry regularGridFor(const core::Volume& acquired);

// `acquired` itself when it is regular (or has no patient geometry, or is colour); otherwise
// a new volume on regularGridFor(acquired), with `resampled` set and the same warnings.
core::Result<std::shared_ptr<const core::Volume>> onRegularGrid(std::shared_ptr<const core::Volume> acquired,
                                                               const core::CancelToken* cancel = nullptr);

} // namespace lb::render
