#pragma once
// Colour maps for 2D views, as data (resources/presets/colour_maps.json): control points across
// the window (0 = its bottom, 1 = its top) with red, green, blue in 0..1, linear between.
#include "core/Result.h"

#include <array>
#include <string>
#include <vector>

namespace lb::render {

struct ColourMap {
    std::string name;
    std::vector<std::array<double, 4>> points; // position, r, g, b
    // The colour at a position (0..1, clamped).
    std::array<double, 3> at(double position) const;
};

const std::vector<ColourMap>& colourMaps();
core::Result<ColourMap> colourMapNamed(const std::string& name);

} // namespace lb::render
