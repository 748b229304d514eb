#pragma once
// Window/level: the linear VOI function of DICOM PS3.3 C.11.2.1.2.1, to 8-bit grey.
//   x <= c - 0.5 - (w-1)/2          -> 0
//   x >  c - 0.5 + (w-1)/2          -> 255
//   else ((x - (c - 0.5)) / (w-1) + 0.5) * 255, rounded to nearest
// MONOCHROME1 data is shown inverted (255 - y). Presets are data: resources/presets.
#include "core/Result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lb::render {

struct Window {
    double center = 40;
    double width = 400; // >= 1
};

struct WindowPreset {
    std::string name;
    Window window;
};

class VoiLut {
public:
    VoiLut(Window window, bool invert);
    uint8_t operator()(double value) const
    {
        uint8_t grey;
        if (value <= m_low) grey = 0;
        else if (value > m_high) grey = 255;
        else grey = static_cast<uint8_t>((value - m_centerMinusHalf) * m_scale + 127.5 + 0.5);
        return m_invert ? static_cast<uint8_t>(255 - grey) : grey;
    }

private:
    double m_low, m_high, m_centerMinusHalf, m_scale;
    bool m_invert;
};

// The presets of resources/presets/window_presets.json (compiled in).
const std::vector<WindowPreset>& windowPresets();
core::Result<Window> presetNamed(const std::string& name);

// A window over the 0.5th..99.5th percentile of the values: for data without a stored window.
Window automaticWindow(const std::vector<double>& sampledValues);

} // namespace lb::render
