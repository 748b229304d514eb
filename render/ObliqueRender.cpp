#include "render/ObliqueRender.h"

#include "render/ImageFit.h"
#include "render/Vec3.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

namespace lb::render {
namespace {

using Vec = std::array<double, 3>;


// Trilinear sampling of modality values in continuous voxel indices.
template <typename T>
class Sampler {
public:
    Sampler(const core::Volume& volume, int timePoint, bool nearest)
        : m_nearest(nearest), m_dims(volume.geometry().dims),
          m_values(reinterpret_cast<const T*>(volume.data()) +
                   static_cast<size_t>(timePoint) * m_dims[0] * m_dims[1] * m_dims[2])
    {
    }

    // NaN outside the volume.
    double operator()(double x, double y, double z) const
    {
        if (m_nearest) x = std::round(x), y = std::round(y), z = std::round(z);
        else x = snap(x), y = snap(y), z = snap(z);
        if (x < 0 || y < 0 || z < 0 || x > m_dims[0] - 1 || y > m_dims[1] - 1 || z > m_dims[2] - 1)
            return std::numeric_limits<double>::quiet_NaN();
        const int x0 = std::min(static_cast<int>(x), m_dims[0] - 1), y0 = std::min(static_cast<int>(y), m_dims[1] - 1),
                  z0 = std::min(static_cast<int>(z), m_dims[2] - 1);
        const double fx = x - x0, fy = y - y0, fz = z - z0;
        const int x1 = fx > 0 ? x0 + 1 : x0, y1 = fy > 0 ? y0 + 1 : y0, z1 = fz > 0 ? z0 + 1 : z0;
        auto at = [&](int i, int j, int k) {
            return static_cast<double>(m_values[(static_cast<size_t>(k) * m_dims[1] + j) * m_dims[0] + i]);
        };
        const double c00 = at(x0, y0, z0) * (1 - fx) + at(x1, y0, z0) * fx;
        const double c10 = at(x0, y1, z0) * (1 - fx) + at(x1, y1, z0) * fx;
        const double c01 = at(x0, y0, z1) * (1 - fx) + at(x1, y0, z1) * fx;
        const double c11 = at(x0, y1, z1) * (1 - fx) + at(x1, y1, z1) * fx;
        return (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
    }

private:
    // Indices within 1e-6 of a voxel centre are that voxel: no blending from rounding noise.
    static double snap(double v)
    {
        const double nearest = std::round(v);
        return std::abs(v - nearest) < 1e-6 ? nearest : v;
    }
    bool m_nearest;
    std::array<int, 3> m_dims;
    const T* m_values;
};

struct Grid {
    Vec center, right, down, normal;
    double step = 1;           // mm per pixel and per depth sample
    int width = 0, height = 0; // pixels
    int firstDepth = 0, lastDepth = 0; // depth samples, relative to the plane
};

template <typename T>
std::vector<double> sampleGrid(const core::Volume& volume, const Grid& grid, SlabMode mode, int timePoint, bool nearest)
{
    const auto& g = volume.geometry();
    const Sampler<T> sample(volume, timePoint, nearest);
    std::vector<double> values(static_cast<size_t>(grid.width) * grid.height, std::numeric_limits<double>::quiet_NaN());
    // Patient mm -> continuous index: project on each axis (direction is orthonormal).
    const std::array<Vec, 3> axes = {Vec{g.direction[0], g.direction[1], g.direction[2]},
                                     Vec{g.direction[3], g.direction[4], g.direction[5]},
                                     Vec{g.direction[6], g.direction[7], g.direction[8]}};
    auto toIndex = [&](const Vec& p, int a) { return dot(add(p, scale(g.origin, -1)), axes[a]) / g.spacing[a]; };
    auto rows = [&](int firstRow, int endRow) {
        for (int y = firstRow; y < endRow; ++y) {
            for (int x = 0; x < grid.width; ++x) {
                const Vec onPlane = add(grid.center, add(scale(grid.right, (x - (grid.width - 1) / 2.0) * grid.step),
                                                         scale(grid.down, (y - (grid.height - 1) / 2.0) * grid.step)));
                double combined = std::numeric_limits<double>::quiet_NaN();
                int count = 0;
                for (int d = grid.firstDepth; d <= grid.lastDepth; ++d) {
                    const Vec p = add(onPlane, scale(grid.normal, d * grid.step));
                    const double v = sample(toIndex(p, 0), toIndex(p, 1), toIndex(p, 2));
                    if (std::isnan(v)) continue;
                    if (count++ == 0) combined = v;
                    else if (mode == SlabMode::Mip) combined = std::max(combined, v);
                    else if (mode == SlabMode::MinIp) combined = std::min(combined, v);
                    else combined += v;
                }
                if (mode == SlabMode::Average && count > 0) combined /= count;
                values[static_cast<size_t>(y) * grid.width + x] = combined;
            }
        }
    };
    const int threads = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back(rows, grid.height * t / threads, grid.height * (t + 1) / threads);
    for (auto& worker : workers) worker.join();
    return values;
}

} // namespace

std::array<double, 3> rotated(const std::array<double, 3>& v, const Rotation& rotation)
{
    const double radians = rotation.degrees * M_PI / 180.0;
    const double c = std::cos(radians), s = std::sin(radians);
    const int a = rotation.axis == 'x' ? 0 : rotation.axis == 'y' ? 1 : 2;
    const int b = (a + 1) % 3, d = (a + 2) % 3;
    std::array<double, 3> out = v;
    out[b] = c * v[b] - s * v[d];
    out[d] = s * v[b] + c * v[d];
    // Exact quarter turns stay exact (no 6e-17 residue moving samples off voxel centres).
    for (double& x : out)
        if (std::abs(x) < 1e-12) x = 0;
    return out;
}

bool parseRotation(const std::string& text, Rotation& out)
{
    if (text.size() < 3 || text[1] != ':' || (text[0] != 'x' && text[0] != 'y' && text[0] != 'z')) return false;
    try {
        size_t used = 0;
        out.degrees = std::stod(text.substr(2), &used);
        out.axis = text[0];
        return used == text.size() - 2;
    } catch (const std::exception&) {
        return false;
    }
}

core::Result<RenderedSlice> renderOblique(const core::Volume& volume, const ObliqueRequest& request)
{
    const auto& g = volume.geometry();
    if (volume.components() != 1)
        return core::makeError(core::ErrorCode::Unsupported, volume.seriesUid, "colour volumes are not rendered yet");
    if (request.timePoint < 0 || request.timePoint >= volume.timePoints())
        return core::makeError(core::ErrorCode::InvalidArgument, volume.seriesUid, "time point outside the volume");

    Grid grid;
    auto axes = patientAxes(request.base);
    for (const Rotation& rotation : request.rotations)
        for (Vec& axis : axes) axis = rotated(axis, rotation);
    grid.right = axes[0];
    grid.down = axes[1];
    grid.normal = axes[2];
    if (request.axes) {
        grid.right = (*request.axes)[0];
        grid.down = (*request.axes)[1];
        grid.normal = cross(grid.right, grid.down);
    }
    grid.step = std::min({g.spacing[0], g.spacing[1], g.spacing[2]});

    // The volume's corners (voxel centres) span the grid; the plane goes through its centre.
    const Vec center = patientPosition(g, {(g.dims[0] - 1) / 2.0, (g.dims[1] - 1) / 2.0, (g.dims[2] - 1) / 2.0});
    std::array<Vec, 8> corners;
    for (int corner = 0; corner < 8; ++corner) {
        Vec index{0, 0, 0};
        for (int a = 0; a < 3; ++a)
            if ((corner >> a) & 1) index[a] = g.dims[a] - 1;
        corners[corner] = patientPosition(g, index);
    }
    auto halfExtent = [&](const Vec& direction) {
        double half = 0;
        for (const Vec& corner : corners) half = std::max(half, std::abs(dot(add(corner, scale(center, -1)), direction)));
        return half;
    };
    const double offsetMm = request.positionMm ? *request.positionMm - dot(center, grid.normal) : 0.0;
    if (std::abs(offsetMm) > halfExtent(grid.normal) + grid.step)
        return core::makeError(core::ErrorCode::InvalidArgument, volume.seriesUid,
                               "position " + std::to_string(*request.positionMm) + " mm is outside the volume");
    grid.center = add(center, scale(grid.normal, offsetMm));
    grid.width = static_cast<int>(std::floor(2 * halfExtent(grid.right) / grid.step + 1e-6)) + 1;
    grid.height = static_cast<int>(std::floor(2 * halfExtent(grid.down) / grid.step + 1e-6)) + 1;
    if (request.throughWholeVolume) {
        const int half = static_cast<int>(std::ceil(halfExtent(grid.normal) / grid.step));
        grid.firstDepth = -half - static_cast<int>(std::ceil(std::abs(offsetMm) / grid.step));
        grid.lastDepth = -grid.firstDepth;
    } else {
        const int samples = std::max(1, static_cast<int>(std::lround(request.slabMm / grid.step)));
        grid.firstDepth = -(samples - 1) / 2;
        grid.lastDepth = grid.firstDepth + samples - 1;
    }

    std::vector<double> values;
    switch (volume.pixelType()) {
    case core::PixelType::UInt8: values = sampleGrid<uint8_t>(volume, grid, request.slabMode, request.timePoint, request.nearest); break;
    case core::PixelType::Int16: values = sampleGrid<int16_t>(volume, grid, request.slabMode, request.timePoint, request.nearest); break;
    case core::PixelType::UInt16: values = sampleGrid<uint16_t>(volume, grid, request.slabMode, request.timePoint, request.nearest); break;
    case core::PixelType::Int32: values = sampleGrid<int32_t>(volume, grid, request.slabMode, request.timePoint, request.nearest); break;
    case core::PixelType::UInt32: values = sampleGrid<uint32_t>(volume, grid, request.slabMode, request.timePoint, request.nearest); break;
    case core::PixelType::Float32: values = sampleGrid<float>(volume, grid, request.slabMode, request.timePoint, request.nearest); break;
    }

    RenderedSlice result;
    result.view.width = grid.width;
    result.view.height = grid.height;
    result.view.pixelWidthMm = result.view.pixelHeightMm = result.view.depthSpacingMm = grid.step;
    result.view.rightLps = grid.right;
    result.view.downLps = grid.down;
    result.view.depthLps = grid.normal;
    result.view.rightLabel = orientationLabel(grid.right);
    result.view.leftLabel = orientationLabel(scale(grid.right, -1));
    result.view.bottomLabel = orientationLabel(grid.down);
    result.view.topLabel = orientationLabel(scale(grid.down, -1));
    result.positionMm = dot(grid.center, grid.normal);
    result.slabSlices = grid.lastDepth - grid.firstDepth + 1;
    result.pictureOrigin = add(grid.center, add(scale(grid.right, -(grid.width - 1) / 2.0 * grid.step),
                                                scale(grid.down, -(grid.height - 1) / 2.0 * grid.step)));
    result.pictureRight = scale(grid.right, grid.step);
    result.pictureDown = scale(grid.down, grid.step);
    const ValuePlane plane{grid.width, grid.height, grid.step, grid.step, std::move(values)};
    if (auto painted = paintPlane(plane, volume, request.window, request.size, result); !painted) return painted.error();
    return result;
}

} // namespace lb::render
