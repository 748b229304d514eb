#pragma once
// Measurements in patient millimetres: distances and angles between voxels, and region
// statistics (mean, SD, min, max of modality values, area) over a rectangle, ellipse or polygon
// drawn on a native orthogonal view (pixel coordinates of that view: x right, y down).
#include "core/Result.h"
#include "core/Volume.h"
#include "render/ViewGeometry.h"

#include <array>
#include <vector>

namespace lb::render {

using VoxelIndex = std::array<int, 3>;

double distanceMm(const core::VolumeGeometry& geometry, const VoxelIndex& a, const VoxelIndex& b);
// The same between voxels of a volume as acquired: each slice at its own position (a tilted or
// unevenly spaced stack is not on its nominal grid).
double distanceMm(const core::Volume& volume, const VoxelIndex& a, const VoxelIndex& b);
double angleDegrees(const core::Volume& volume, const VoxelIndex& a, const VoxelIndex& vertex, const VoxelIndex& b);
// The LPS centre of a voxel of a volume as acquired (slice k at slicePositions[k]).
std::array<double, 3> voxelCentre(const core::Volume& volume, const VoxelIndex& voxel);
// The angle at `vertex` between the directions to `a` and `b`, in degrees (0..180).
double angleDegrees(const core::VolumeGeometry& geometry, const VoxelIndex& a, const VoxelIndex& vertex,
                    const VoxelIndex& b);

enum class RoiShape { Rectangle, Ellipse, Polygon };
bool parseRoiShape(const std::string& text, RoiShape& out); // "rect" | "ellipse" | "polygon"

struct RoiStats {
    int pixels = 0;
    double mean = 0, sd = 0, min = 0, max = 0;
    double areaMm2 = 0; // pixels x pixel area
};

// Rectangle/ellipse: two corners of the bounding box; polygon: three or more vertices. A pixel
// belongs to the region when its centre lies inside. SD is the sample standard deviation.
core::Result<RoiStats> roiStats(const core::Volume& volume, ViewPlane plane, int slice, RoiShape shape,
                                const std::vector<std::array<double, 2>>& points, int timePoint = 0);

} // namespace lb::render
