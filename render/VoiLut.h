#pragma once
// Window/level: the VOI functions of DICOM PS3.3 C.11.2.1.2 and the VOI LUT of C.11.2.1.1, to
// 8-bit grey. LINEAR (the default, and what a user's window always is):
//   x <= c - 0.5 - (w-1)/2          -> 0
//   x >  c - 0.5 + (w-1)/2          -> 255
//   else ((x - (c - 0.5)) / (w-1) + 0.5) * 255, rounded to nearest
// LINEAR_EXACT: ((x - c) / w + 0.5) * 255 clamped; SIGMOID: 255 / (1 + exp(-4 (x - c) / w));
// a VOI LUT table: the entry of x (clamped to the table), scaled from its bits to 255.
// MONOCHROME1 data is shown inverted (255 - y). Presets are data: resources/presets.
#include "core/Result.h"
#include "core/VoiLutTable.h"

#include <cstdint>
#include <memory>
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

enum class VoiFunction { Linear, LinearExact, Sigmoid };
// VOILUTFunction as stored: "" and "LINEAR" are Linear; anything unknown is Linear too.
VoiFunction voiFunctionOf(const std::string& dicom);

class VoiLut {
public:
    VoiLut(Window window, bool invert, VoiFunction function = VoiFunction::Linear);
    VoiLut(std::shared_ptr<const core::VoiLutTable> table, bool invert);
    uint8_t operator()(double value) const
    {
        uint8_t grey;
        if (!m_linear) grey = other(value);
        else if (value <= m_low) grey = 0;
        else if (value > m_high) grey = 255;
        else grey = static_cast<uint8_t>((value - m_centerMinusHalf) * m_scale + 127.5 + 0.5);
        return m_invert ? static_cast<uint8_t>(255 - grey) : grey;
    }

private:
    uint8_t other(double value) const; // LINEAR_EXACT, SIGMOID, table
    bool m_linear = true;
    VoiFunction m_function = VoiFunction::Linear;
    Window m_window;
    std::shared_ptr<const core::VoiLutTable> m_table;
    double m_low = 0, m_high = 0, m_centerMinusHalf = 0, m_scale = 0;
    bool m_invert;
};

// The presets of resources/presets/window_presets.json (compiled in).
const std::vector<WindowPreset>& windowPresets();
core::Result<Window> presetNamed(const std::string& name);

// A window over the 0.5th..99.5th percentile of the values: for data without a stored window.
Window automaticWindow(const std::vector<double>& sampledValues);

} // namespace lb::render
