#include "render/VoiLut.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace lb::render {

extern const char* const kWindowPresetsJson; // generated from resources/presets/window_presets.json

VoiFunction voiFunctionOf(const std::string& dicom)
{
    if (dicom == "SIGMOID") return VoiFunction::Sigmoid;
    if (dicom == "LINEAR_EXACT") return VoiFunction::LinearExact;
    return VoiFunction::Linear;
}

VoiLut::VoiLut(std::shared_ptr<const core::VoiLutTable> table, bool invert)
    : m_linear(false), m_table(std::move(table)), m_invert(invert)
{
}

uint8_t VoiLut::other(double value) const
{
    if (m_table) {
        const auto& entries = m_table->entries;
        if (entries.empty()) return 0;
        const double index = std::floor(value) - m_table->firstMapped;
        const size_t at = index <= 0 ? 0 : std::min(entries.size() - 1, static_cast<size_t>(index));
        const double top = static_cast<double>((1u << m_table->bits) - 1);
        return static_cast<uint8_t>(std::clamp(entries[at] * 255.0 / top + 0.5, 0.0, 255.0));
    }
    const double w = std::max(1.0, m_window.width);
    double y = 0; // 0..1
    if (m_function == VoiFunction::Sigmoid) y = 1.0 / (1.0 + std::exp(-4.0 * (value - m_window.center) / w));
    else y = std::clamp((value - m_window.center) / w + 0.5, 0.0, 1.0); // LINEAR_EXACT
    return static_cast<uint8_t>(y * 255.0 + 0.5);
}

VoiLut::VoiLut(Window window, bool invert, VoiFunction function)
    : m_linear(function == VoiFunction::Linear), m_function(function), m_window(window), m_invert(invert)
{
    const double w = std::max(1.0, window.width);
    m_centerMinusHalf = window.center - 0.5;
    m_low = m_centerMinusHalf - (w - 1) / 2;
    m_high = m_centerMinusHalf + (w - 1) / 2;
    // ((x - (c - 0.5)) / (w - 1) + 0.5) * 255 = (x - (c - 0.5)) * 255 / (w - 1) + 127.5
    m_scale = w > 1 ? 255.0 / (w - 1) : 0;
}

const std::vector<WindowPreset>& windowPresets()
{
    static const std::vector<WindowPreset> presets = [] {
        std::vector<WindowPreset> list;
        const auto document = nlohmann::json::parse(kWindowPresetsJson);
        for (const auto& preset : document.at("presets"))
            list.push_back({preset.at("name").get<std::string>(),
                            {preset.at("center").get<double>(), preset.at("width").get<double>()}});
        return list;
    }();
    return presets;
}

core::Result<Window> presetNamed(const std::string& name)
{
    std::string known;
    for (const auto& preset : windowPresets()) {
        if (preset.name == name) return preset.window;
        known += (known.empty() ? "" : ", ") + preset.name;
    }
    return core::makeError(core::ErrorCode::NotFound, name, "no such preset (known: " + known + ")");
}

Window automaticWindow(const std::vector<double>& sampledValues)
{
    if (sampledValues.empty()) return {};
    std::vector<double> values = sampledValues;
    const auto at = [&](double fraction) {
        const size_t index = std::min(values.size() - 1, static_cast<size_t>(fraction * (values.size() - 1)));
        std::nth_element(values.begin(), values.begin() + static_cast<long>(index), values.end());
        return values[index];
    };
    const double low = at(0.005);
    const double high = at(0.995);
    return {(low + high) / 2, std::max(1.0, high - low)};
}

} // namespace lb::render
