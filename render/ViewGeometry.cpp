#include "render/ViewGeometry.h"
#include "render/Vec3.h"

#include <algorithm>
#include <cmath>

namespace lb::render {
namespace {

using Vec = std::array<double, 3>;

Vec axisDirection(const core::VolumeGeometry& geometry, int axis)
{
    return {geometry.direction[axis * 3], geometry.direction[axis * 3 + 1], geometry.direction[axis * 3 + 2]};
}

} // namespace

std::array<Vec, 3> patientAxes(ViewPlane plane)
{
    switch (plane) {
    case ViewPlane::Axial: return {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};     // L, P, S
    case ViewPlane::Coronal: return {{{1, 0, 0}, {0, 0, -1}, {0, 1, 0}}};  // L, I, P
    case ViewPlane::Sagittal: return {{{0, 1, 0}, {0, 0, -1}, {1, 0, 0}}}; // P, I, L
    }
    return {};
}

const char* viewPlaneName(ViewPlane plane)
{
    switch (plane) {
    case ViewPlane::Axial: return "axial";
    case ViewPlane::Coronal: return "coronal";
    case ViewPlane::Sagittal: return "sagittal";
    }
    return "axial";
}

bool parseViewPlane(const std::string& text, ViewPlane& out)
{
    for (ViewPlane plane : {ViewPlane::Axial, ViewPlane::Coronal, ViewPlane::Sagittal}) {
        if (text == viewPlaneName(plane)) {
            out = plane;
            return true;
        }
    }
    return false;
}

std::string orientationLabel(const Vec& lps)
{
    const char positive[3] = {'L', 'P', 'S'};
    const char negative[3] = {'R', 'A', 'I'};
    std::array<int, 3> order = {0, 1, 2};
    std::sort(order.begin(), order.end(), [&](int a, int b) { return std::abs(lps[a]) > std::abs(lps[b]); });
    std::string label;
    for (int axis : order)
        if (std::abs(lps[axis]) > 0.25) label += lps[axis] > 0 ? positive[axis] : negative[axis];
    return label;
}

ViewGeometry viewGeometry(const core::VolumeGeometry& geometry, ViewPlane plane)
{
    const auto wanted = patientAxes(plane);
    std::array<AxisMapping, 3> mapping;
    std::array<bool, 3> used = {false, false, false};
    ViewGeometry view;
    // Each screen axis takes the unused volume axis best aligned with it (depth last).
    for (int screen = 0; screen < 3; ++screen) {
        int best = -1;
        double bestDot = -1;
        for (int axis = 0; axis < 3; ++axis) {
            if (used[axis]) continue;
            const double d = std::abs(dot(axisDirection(geometry, axis), wanted[screen]));
            if (d > bestDot) {
                bestDot = d;
                best = axis;
            }
        }
        used[best] = true;
        mapping[screen] = {best, dot(axisDirection(geometry, best), wanted[screen]) < 0};
        if (bestDot < 0.9999) view.obliqueToPatient = true;
    }
    view.screenX = mapping[0];
    view.screenY = mapping[1];
    view.depth = mapping[2];
    view.width = geometry.dims[view.screenX.volumeAxis];
    view.height = geometry.dims[view.screenY.volumeAxis];
    view.depthCount = geometry.dims[view.depth.volumeAxis];
    view.pixelWidthMm = geometry.spacing[view.screenX.volumeAxis];
    view.pixelHeightMm = geometry.spacing[view.screenY.volumeAxis];
    view.depthSpacingMm = geometry.spacing[view.depth.volumeAxis];
    auto onScreen = [&](const AxisMapping& m) {
        return scale(axisDirection(geometry, m.volumeAxis), m.reversed ? -1.0 : 1.0);
    };
    view.rightLps = onScreen(view.screenX);
    view.downLps = onScreen(view.screenY);
    view.depthLps = onScreen(view.depth);
    view.rightLabel = orientationLabel(view.rightLps);
    view.leftLabel = orientationLabel(scale(view.rightLps, -1));
    view.bottomLabel = orientationLabel(view.downLps);
    view.topLabel = orientationLabel(scale(view.downLps, -1));
    return view;
}

std::array<double, 3> patientPosition(const core::VolumeGeometry& geometry, const std::array<double, 3>& index)
{
    Vec p = geometry.origin;
    for (int a = 0; a < 3; ++a)
        for (int c = 0; c < 3; ++c) p[c] += geometry.direction[a * 3 + c] * geometry.spacing[a] * index[a];
    return p;
}

std::array<double, 3> picturePosition(const core::VolumeGeometry& geometry, const ViewGeometry& view, int slice, double x,
                                      double y)
{
    std::array<double, 3> index{};
    index[view.screenX.volumeAxis] = view.screenX.reversed ? view.width - 1 - x : x;
    index[view.screenY.volumeAxis] = view.screenY.reversed ? view.height - 1 - y : y;
    index[view.depth.volumeAxis] = slice;
    return patientPosition(geometry, index);
}

ViewPlane acquisitionPlane(const core::VolumeGeometry& geometry)
{
    const Vec normal = axisDirection(geometry, 2);
    ViewPlane best = ViewPlane::Axial;
    double bestAlignment = -1;
    for (ViewPlane plane : {ViewPlane::Axial, ViewPlane::Coronal, ViewPlane::Sagittal}) {
        const double alignment = std::abs(dot(patientAxes(plane)[2], normal));
        if (alignment > bestAlignment + 1e-6) {
            best = plane;
            bestAlignment = alignment;
        }
    }
    return best;
}

std::array<double, 3> voxelIndexOf(const core::VolumeGeometry& geometry, const std::array<double, 3>& lps)
{
    // Columns of m: the LPS step of one voxel along i, j, k. Solved by Cramer's rule (the axes
    // need not be orthogonal: gantry tilt).
    std::array<Vec, 3> m{};
    for (int a = 0; a < 3; ++a)
        for (int c = 0; c < 3; ++c) m[a][c] = geometry.direction[a * 3 + c] * geometry.spacing[a];
    const Vec d = {lps[0] - geometry.origin[0], lps[1] - geometry.origin[1], lps[2] - geometry.origin[2]};
    auto det = [](const Vec& a, const Vec& b, const Vec& c) { return dot(a, cross(b, c)); };
    const double whole = det(m[0], m[1], m[2]);
    if (whole == 0) return {0, 0, 0};
    return {det(d, m[1], m[2]) / whole, det(m[0], d, m[2]) / whole, det(m[0], m[1], d) / whole};
}

double depthPosition(const core::VolumeGeometry& geometry, const ViewGeometry& view, int depthIndex)
{
    std::array<double, 3> index{0, 0, 0};
    index[view.depth.volumeAxis] = view.depth.reversed ? view.depthCount - 1 - depthIndex : depthIndex;
    return dot(patientPosition(geometry, index), view.depthLps);
}

std::string oppositeDirection(const std::string& letters)
{
    std::string opposite;
    for (char c : letters) {
        switch (c) {
        case 'R': opposite += 'L'; break;
        case 'L': opposite += 'R'; break;
        case 'A': opposite += 'P'; break;
        case 'P': opposite += 'A'; break;
        case 'H': opposite += 'F'; break;
        case 'F': opposite += 'H'; break;
        default: return ""; // not a direction letter: say nothing rather than guess
        }
    }
    return opposite;
}

ViewGeometry imageViewGeometry(const core::VolumeGeometry& geometry, const std::array<std::string, 2>& patientOrientation)
{
    core::VolumeGeometry asStored = geometry;
    asStored.direction = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    ViewGeometry view = viewGeometry(asStored, ViewPlane::Axial);
    view.obliqueToPatient = false;
    const std::string right = patientOrientation[0], down = patientOrientation[1];
    const std::string left = oppositeDirection(right), up = oppositeDirection(down);
    const bool known = !left.empty() && !up.empty();
    view.rightLabel = known ? right : "";
    view.leftLabel = known ? left : "";
    view.bottomLabel = known ? down : "";
    view.topLabel = known ? up : "";
    return view;
}

} // namespace lb::render
