#include "render/Measurements.h"

#include <algorithm>
#include <cmath>

namespace lb::render {
namespace {

using Vec = std::array<double, 3>;

Vec minus(const Vec& a, const Vec& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }

// LPS position of a voxel centre.
Vec centreOf(const core::VolumeGeometry& g, const VoxelIndex& v)
{
    return patientPosition(g, {double(v[0]), double(v[1]), double(v[2])});
}
double norm(const Vec& a) { return std::sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]); }

bool insidePolygon(const std::vector<std::array<double, 2>>& polygon, double x, double y)
{
    bool inside = false; // even-odd rule
    for (size_t i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
        const auto& a = polygon[i];
        const auto& b = polygon[j];
        if ((a[1] > y) != (b[1] > y) && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]) inside = !inside;
    }
    return inside;
}

} // namespace

double distanceMm(const core::VolumeGeometry& geometry, const VoxelIndex& a, const VoxelIndex& b)
{
    return norm(minus(centreOf(geometry, a), centreOf(geometry, b)));
}

namespace {
double angleBetween(const Vec& u, const Vec& v)
{
    const double lengths = norm(u) * norm(v);
    if (lengths == 0) return 0;
    const double cosine = std::clamp((u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / lengths, -1.0, 1.0);
    return std::acos(cosine) * 180.0 / M_PI;
}
} // namespace

std::array<double, 3> voxelCentre(const core::Volume& volume, const VoxelIndex& voxel)
{
    const auto own = volume.ownSliceGeometry(voxel[2]);
    return own ? centreOf(*own, {voxel[0], voxel[1], 0}) : centreOf(volume.geometry(), voxel);
}

double distanceMm(const core::Volume& volume, const VoxelIndex& a, const VoxelIndex& b)
{
    return norm(minus(voxelCentre(volume, a), voxelCentre(volume, b)));
}

double angleDegrees(const core::Volume& volume, const VoxelIndex& a, const VoxelIndex& vertex, const VoxelIndex& b)
{
    const Vec centre = voxelCentre(volume, vertex);
    return angleBetween(minus(voxelCentre(volume, a), centre), minus(voxelCentre(volume, b), centre));
}

double angleDegrees(const core::VolumeGeometry& geometry, const VoxelIndex& a, const VoxelIndex& vertex,
                    const VoxelIndex& b)
{
    const Vec u = minus(centreOf(geometry, a), centreOf(geometry, vertex));
    const Vec v = minus(centreOf(geometry, b), centreOf(geometry, vertex));
    const double lengths = norm(u) * norm(v);
    if (lengths == 0) return 0;
    const double cosine = std::clamp((u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / lengths, -1.0, 1.0);
    return std::acos(cosine) * 180.0 / M_PI;
}

bool parseRoiShape(const std::string& text, RoiShape& out)
{
    if (text == "rect") out = RoiShape::Rectangle;
    else if (text == "ellipse") out = RoiShape::Ellipse;
    else if (text == "polygon") out = RoiShape::Polygon;
    else return false;
    return true;
}

core::Result<RoiStats> roiStats(const core::Volume& volume, ViewPlane plane, int slice, RoiShape shape,
                                const std::vector<std::array<double, 2>>& points, int timePoint)
{
    const ViewGeometry view = viewGeometry(volume.geometry(), plane);
    if (volume.components() != 1)
        return core::makeError(core::ErrorCode::Unsupported, volume.seriesUid, "regions on colour volumes are not measured");
    if (slice < 0 || slice >= view.depthCount || timePoint < 0 || timePoint >= volume.timePoints())
        return core::makeError(core::ErrorCode::InvalidArgument, volume.seriesUid, "slice or time point outside the volume");
    if ((shape == RoiShape::Polygon && points.size() < 3) || (shape != RoiShape::Polygon && points.size() != 2))
        return core::makeError(core::ErrorCode::InvalidArgument, volume.seriesUid,
                               "a rectangle or ellipse takes two corners, a polygon three or more vertices");
    const double left = std::min(points[0][0], points[1][0]), right = std::max(points[0][0], points[1][0]);
    const double top = std::min(points[0][1], points[1][1]), bottom = std::max(points[0][1], points[1][1]);
    auto inside = [&](double x, double y) {
        switch (shape) {
        case RoiShape::Rectangle: return x >= left && x <= right && y >= top && y <= bottom;
        case RoiShape::Ellipse: {
            const double rx = (right - left) / 2, ry = (bottom - top) / 2;
            if (rx <= 0 || ry <= 0) return false;
            const double dx = (x - (left + right) / 2) / rx, dy = (y - (top + bottom) / 2) / ry;
            return dx * dx + dy * dy <= 1;
        }
        case RoiShape::Polygon: return insidePolygon(points, x, y);
        }
        return false;
    };
    RoiStats stats;
    double sum = 0, sumSquares = 0;
    std::array<int, 3> index{};
    index[view.depth.volumeAxis] = slice;
    for (int y = 0; y < view.height; ++y) {
        index[view.screenY.volumeAxis] = view.screenY.reversed ? view.height - 1 - y : y;
        for (int x = 0; x < view.width; ++x) {
            if (!inside(x, y)) continue; // pixel centres sit at integer coordinates
            index[view.screenX.volumeAxis] = view.screenX.reversed ? view.width - 1 - x : x;
            const double value = volume.valueAt(index[0], index[1], index[2], timePoint);
            if (stats.pixels == 0) stats.min = stats.max = value;
            stats.min = std::min(stats.min, value);
            stats.max = std::max(stats.max, value);
            sum += value;
            sumSquares += value * value;
            ++stats.pixels;
        }
    }
    if (stats.pixels == 0) return core::makeError(core::ErrorCode::InvalidArgument, volume.seriesUid, "the region holds no pixel");
    stats.mean = sum / stats.pixels;
    stats.sd = stats.pixels > 1 ? std::sqrt(std::max(0.0, (sumSquares - sum * stats.mean) / (stats.pixels - 1))) : 0;
    stats.areaMm2 = stats.pixels * view.pixelWidthMm * view.pixelHeightMm;
    return stats;
}

} // namespace lb::render
