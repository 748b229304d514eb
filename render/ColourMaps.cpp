#include "render/ColourMaps.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace lb::render {

extern const char* const kColourMapsJson; // generated from resources/presets/colour_maps.json

std::array<double, 3> ColourMap::at(double position) const
{
    if (points.empty()) return {position, position, position};
    position = std::clamp(position, 0.0, 1.0);
    if (position <= points.front()[0]) return {points.front()[1], points.front()[2], points.front()[3]};
    for (size_t i = 1; i < points.size(); ++i) {
        const auto& a = points[i - 1];
        const auto& b = points[i];
        if (position <= b[0]) {
            const double t = b[0] > a[0] ? (position - a[0]) / (b[0] - a[0]) : 1.0;
            return {a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t, a[3] + (b[3] - a[3]) * t};
        }
    }
    return {points.back()[1], points.back()[2], points.back()[3]};
}

const std::vector<ColourMap>& colourMaps()
{
    static const std::vector<ColourMap> maps = [] {
        std::vector<ColourMap> list;
        const auto document = nlohmann::json::parse(kColourMapsJson);
        for (const auto& map : document.at("maps")) {
            ColourMap colourMap{map.at("name").get<std::string>(), {}};
            for (const auto& point : map.at("points"))
                colourMap.points.push_back({point.at(0).get<double>(), point.at(1).get<double>(), point.at(2).get<double>(),
                                            point.at(3).get<double>()});
            list.push_back(std::move(colourMap));
        }
        return list;
    }();
    return maps;
}

core::Result<ColourMap> colourMapNamed(const std::string& name)
{
    std::string known;
    for (const auto& map : colourMaps()) {
        if (map.name == name) return map;
        known += (known.empty() ? "" : ", ") + map.name;
    }
    return core::makeError(core::ErrorCode::NotFound, name, "no such colour map (known: " + known + ")");
}

} // namespace lb::render
