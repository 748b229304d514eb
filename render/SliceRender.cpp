#include "render/SliceRender.h"

#include "render/ImageFit.h"
#include "render/Vec3.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lb::render {
namespace {

int volumeIndex(const AxisMapping& mapping, int screenIndex, int count)
{
    return mapping.reversed ? count - 1 - screenIndex : screenIndex;
}

// The longest step between two acquired slices along the normal: how far a --position may lie
// from the nearest slice and still be inside the stack.
double largestStep(const core::Volume& volume)
{
    double largest = 0;
    for (size_t k = 1; k < volume.slicePositions.size(); ++k)
        largest = std::max(largest, volume.slicePositionAlongNormal(static_cast<int>(k)) - volume.slicePositionAlongNormal(static_cast<int>(k) - 1));
    return largest;
}

ValuePlane slabValues(const core::Volume& volume, const ViewGeometry& view, int firstSlice, int lastSlice, SlabMode mode,
                      int timePoint, int component = 0)
{
    ValuePlane plane;
    plane.width = view.width;
    plane.height = view.height;
    plane.pixelWidthMm = view.pixelWidthMm;
    plane.pixelHeightMm = view.pixelHeightMm;
    plane.values.resize(static_cast<size_t>(plane.width) * plane.height);
    const int slices = lastSlice - firstSlice + 1;
    std::array<int, 3> index{};
    for (int y = 0; y < view.height; ++y) {
        index[view.screenY.volumeAxis] = volumeIndex(view.screenY, y, view.height);
        for (int x = 0; x < view.width; ++x) {
            index[view.screenX.volumeAxis] = volumeIndex(view.screenX, x, view.width);
            double combined = mode == SlabMode::Mip ? -std::numeric_limits<double>::infinity()
                              : mode == SlabMode::MinIp ? std::numeric_limits<double>::infinity()
                                                        : 0.0;
            for (int s = firstSlice; s <= lastSlice; ++s) {
                index[view.depth.volumeAxis] = s;
                const double value = volume.valueAt(index[0], index[1], index[2], timePoint, component);
                if (mode == SlabMode::Mip) combined = std::max(combined, value);
                else if (mode == SlabMode::MinIp) combined = std::min(combined, value);
                else combined += value;
            }
            if (mode == SlabMode::Average) combined /= slices;
            plane.values[static_cast<size_t>(y) * plane.width + x] = combined;
        }
    }
    return plane;
}

} // namespace

bool parseSlabMode(const std::string& text, SlabMode& out)
{
    if (text == "mip") out = SlabMode::Mip;
    else if (text == "minip") out = SlabMode::MinIp;
    else if (text == "avg") out = SlabMode::Average;
    else return false;
    return true;
}

core::Result<RenderedSlice> renderSlice(const core::Volume& volume, const SliceRequest& request)
{
    const auto& geometry = volume.geometry();
    if (volume.components() != 1 && volume.components() != 3)
        return core::makeError(core::ErrorCode::Unsupported, volume.seriesUid,
                               std::to_string(volume.components()) + " components per pixel");
    if (request.timePoint < 0 || request.timePoint >= volume.timePoints())
        return core::makeError(core::ErrorCode::InvalidArgument, volume.seriesUid,
                               "time point " + std::to_string(request.timePoint) + " outside 0.." +
                                   std::to_string(volume.timePoints() - 1));
    RenderedSlice result;
    result.imageView = !volume.hasPatientGeometry;
    result.view = result.imageView ? imageViewGeometry(geometry, volume.patientOrientation) : viewGeometry(geometry, request.plane);
    const ViewGeometry& view = result.view;
    // Slices of the acquisition plane sit where their files say (a tilted or unevenly spaced
    // stack is shown slice by slice as acquired, never on the nominal grid).
    const bool acquiredSlices = !result.imageView && view.depth.volumeAxis == 2
        && volume.slicePositions.size() == static_cast<size_t>(geometry.dims[2]);
    auto sliceGeometry = [&](int k) { return acquiredSlices ? *volume.ownSliceGeometry(k) : geometry; };
    auto positionOfSlice = [&](int k) { // along the view's depth direction
        if (acquiredSlices) return dot(volume.slicePositions[static_cast<size_t>(k)], view.depthLps);
        return depthPosition(geometry, view, view.depth.reversed ? view.depthCount - 1 - k : k);
    };

    // Which slice: a volume index, a position in mm, or the middle.
    int slice = view.depthCount / 2;
    if (request.slice) {
        slice = *request.slice;
    } else if (request.position) {
        double bestDistance = std::numeric_limits<double>::infinity();
        for (int d = 0; d < view.depthCount; ++d) {
            const double distance = std::abs(positionOfSlice(volumeIndex(view.depth, d, view.depthCount)) - *request.position);
            if (distance < bestDistance) {
                bestDistance = distance;
                slice = volumeIndex(view.depth, d, view.depthCount);
            }
        }
        if (bestDistance > std::max(view.depthSpacingMm, acquiredSlices ? largestStep(volume) : 0.0))
            return core::makeError(core::ErrorCode::InvalidArgument, volume.seriesUid,
                                   "position " + std::to_string(*request.position) + " mm is outside the volume");
    }
    if (slice < 0 || slice >= view.depthCount)
        return core::makeError(core::ErrorCode::InvalidArgument, volume.seriesUid,
                               "slice " + std::to_string(slice) + " outside 0.." + std::to_string(view.depthCount - 1));
    result.sliceIndex = slice;
    result.positionMm = positionOfSlice(slice);
    const core::VolumeGeometry own = sliceGeometry(slice);
    const int indexInOwn = acquiredSlices ? 0 : slice;
    result.pictureOrigin = picturePosition(own, view, indexInOwn, 0, 0);
    const auto oneRight = picturePosition(own, view, indexInOwn, 1, 0), oneDown = picturePosition(own, view, indexInOwn, 0, 1);
    for (int c = 0; c < 3; ++c) {
        result.pictureRight[c] = oneRight[c] - result.pictureOrigin[c];
        result.pictureDown[c] = oneDown[c] - result.pictureOrigin[c];
    }

    const int slabSlices = std::max(1, static_cast<int>(std::lround(request.slabMm / view.depthSpacingMm)));
    const int first = std::max(0, slice - (slabSlices - 1) / 2);
    const int last = std::min(view.depthCount - 1, first + slabSlices - 1);
    result.slabSlices = last - first + 1;
    if (volume.components() == 3) {
        std::array<ValuePlane, 3> planes;
        for (int c = 0; c < 3; ++c) planes[c] = slabValues(volume, view, first, last, request.slabMode, request.timePoint, c);
        if (auto painted = paintColour(planes, volume, request.size, result); !painted) return painted.error();
        return result;
    }
    const ValuePlane plane = slabValues(volume, view, first, last, request.slabMode, request.timePoint);

    if (auto painted = paintPlane(plane, volume, request.window, request.size, result); !painted) return painted.error();
    return result;
}

} // namespace lb::render
