#pragma once
// Modality values on a 2D grid, turned into an 8-bit picture: one pixel per sample, or fitted
// into WxH keeping the physical aspect (bilinear on the values, then the VOI; black around, and
// where the grid has no value: NaN marks samples outside the volume).
#include "render/SliceRender.h"

#include <array>
#include <vector>

namespace lb::render {

struct ValuePlane {
    int width = 0, height = 0;
    double pixelWidthMm = 1, pixelHeightMm = 1;
    std::vector<double> values; // row by row, top row first; NaN: no value
};

GreyImage toGrey(const ValuePlane& plane, const VoiLut& voi, uint8_t background);
GreyImage fitToSize(const ValuePlane& plane, int width, int height, const VoiLut& voi, uint8_t background);

// The last step of every 2D view: the window (given, else the one stored in the DICOM, else
// automatic over the plane's values),
// MONOCHROME1 inversion, and the picture at native or the requested size, into `result`.
core::Status paintPlane(const ValuePlane& plane, const core::Volume& volume, const std::optional<Window>& window,
                        const std::optional<std::pair<int, int>>& size, RenderedSlice& result);

// Colour: the three component planes as stored (8-bit, or 16-bit scaled to 8), into
// result.rgb, with their luminance as result.image and result.values.
core::Status paintColour(const std::array<ValuePlane, 3>& planes, const core::Volume& volume,
                         const std::optional<std::pair<int, int>>& size, RenderedSlice& result);

} // namespace lb::render
