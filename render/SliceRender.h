#pragma once
// A 2D view of a volume as an 8-bit grey image: an orthogonal slice (or a thick slab: MIP,
// MinIP or average of the slices within the slab), windowed by the linear VOI function.
// At native size one pixel is one voxel, no interpolation: a pixel is exactly the VOI of the
// voxel's modality value. Colour volumes (RGB; YBR and palette converted when loaded) come out
// as stored, in `rgb`. At another size the slice is fitted into the image keeping its
// physical aspect (bilinear on modality values, then VOI; black around it).
#include "core/Result.h"
#include "render/ViewGeometry.h"
#include "render/VoiLut.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace lb::render {

enum class SlabMode { Mip, MinIp, Average };
bool parseSlabMode(const std::string& text, SlabMode& out); // "mip" | "minip" | "avg"

struct GreyImage {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> pixels; // row by row, top row first
};

struct SliceRequest {
    ViewPlane plane = ViewPlane::Axial;
    std::optional<int> slice;       // the volume's own index along the depth axis (k for axial
                                    // views of axial data: the k of `volume --probe`)
    std::optional<double> position; // or: mm along the view's depth direction (LPS . depth)
    // Neither: the middle slice.
    std::optional<Window> window;   // none: an automatic window from the slice's values
    double slabMm = 0;              // 0: one slice
    SlabMode slabMode = SlabMode::Mip;
    std::optional<std::pair<int, int>> size; // none: native
    int timePoint = 0;
};

struct RenderedSlice {
    GreyImage image;
    ViewGeometry view;
    // Where the native picture lies in the patient: pixel (x, y) (x right, y down, centres on
    // whole numbers) is at pictureOrigin + x * pictureRight + y * pictureDown (LPS mm). The same for
    // orthogonal and oblique pictures, so a viewer maps points without knowing which it shows.
    std::array<double, 3> pictureOrigin{}, pictureRight{}, pictureDown{};
    // An image without patient geometry (CR, DX, secondary capture): shown as stored, labels from
    // PatientOrientation (or none), no distance unless the file gives a pixel spacing.
    bool imageView = false;
    int sliceIndex = 0;      // volume index along the depth axis
    double positionMm = 0;   // of that slice, along the depth direction (its own IPP for acquired slices)
    int slabSlices = 1;
    Window window;           // the linear window shown (for a stored table: its input range)
    // How the grey came about: "linear" (a window), "linear-exact" or "sigmoid" (the stored
    // window with its VOILUTFunction), "table" (the stored VOI LUT), "colour" (RGB as stored:
    // no VOI applies to colour; `image` and `values` then hold the luminance).
    std::string voi = "linear";
    bool inverted = false;   // MONOCHROME1
    // The modality values behind the picture at native size (NaN: outside the volume), row by
    // row, top row first: a viewer re-windows them on the GPU without rendering again.
    std::vector<float> values;
    // Colour images: r, g, b per pixel, top row first, 8 bits (16-bit colour scaled); empty for grey.
    std::vector<uint8_t> rgb;
};

core::Result<RenderedSlice> renderSlice(const core::Volume& volume, const SliceRequest& request);

} // namespace lb::render
