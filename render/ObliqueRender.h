#pragma once
// Oblique MPR and MIP: a plane through the volume centre, oriented like an axial, coronal or
// sagittal view and then rotated about patient axes; sampled in patient millimetres with
// trilinear interpolation (a square pixel of the smallest voxel spacing), optionally as a thick
// slab, or as a projection through the whole volume (MIP/MinIP/average). With no rotation the
// samples fall on voxel centres, so the picture equals the orthogonal view's.
#include "render/SliceRender.h"

#include <vector>

namespace lb::render {

struct Rotation {
    char axis = 'z';    // 'x' (patient right->left), 'y' (anterior->posterior), 'z' (inferior->superior)
    double degrees = 0; // right-handed about that axis
};

// "x:30", "y:-15", "z:90".
bool parseRotation(const std::string& text, Rotation& out);

// `v` (LPS) turned by `rotation`; exact quarter turns stay exact.
std::array<double, 3> rotated(const std::array<double, 3>& v, const Rotation& rotation);

struct ObliqueRequest {
    ViewPlane base = ViewPlane::Axial;
    std::vector<Rotation> rotations; // applied in order
    // Or the plane's own unit axes (LPS: screen right, screen down; the normal is their cross
    // product), e.g. an MPR plane turned about another plane's normal; base and rotations unused.
    std::optional<std::array<std::array<double, 3>, 2>> axes;
    std::optional<double> positionMm; // patient coordinate along the plane normal; none: the centre
    double slabMm = 0;
    SlabMode slabMode = SlabMode::Mip;
    bool throughWholeVolume = false; // a projection (MIP by default) instead of a slab
    std::optional<Window> window;
    std::optional<std::pair<int, int>> size; // none: the sampling grid itself
    int timePoint = 0;
    bool nearest = false; // nearest-neighbour instead of trilinear sampling
};

core::Result<RenderedSlice> renderOblique(const core::Volume& volume, const ObliqueRequest& request);

} // namespace lb::render
