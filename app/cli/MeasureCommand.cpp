// lightbox-cli measure SERIES_UID|PATH --distance I,J,K:I,J,K | --angle A:VERTEX:B |
//     --roi VIEW:SLICE:rect|ellipse|polygon:X,Y,X,Y[,X,Y...]
#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"
#include "app/cli/SeriesInput.h"
#include "core/VolumeAssembler.h"
#include "render/Measurements.h"

#include <sstream>

namespace lb::app::cli {
namespace {

std::vector<std::string> split(const std::string& text, char separator)
{
    std::vector<std::string> parts;
    std::stringstream stream(text);
    for (std::string part; std::getline(stream, part, separator);) parts.push_back(part);
    return parts;
}

std::optional<render::VoxelIndex> parseVoxel(const std::string& text)
{
    const auto parts = split(text, ',');
    if (parts.size() != 3) return std::nullopt;
    render::VoxelIndex voxel;
    for (int a = 0; a < 3; ++a) {
        auto value = parseInteger(parts[a]);
        if (!value) return std::nullopt;
        voxel[a] = *value;
    }
    return voxel;
}

bool insideVolume(const core::Volume& volume, const render::VoxelIndex& v)
{
    return volume.contains(v[0], v[1], v[2], 0);
}

QJsonArray voxelJson(const render::VoxelIndex& v)
{
    return QJsonArray{v[0], v[1], v[2]};
}

} // namespace

int runMeasure(const CliOptions& options)
{
    if (options.arguments.size() != 1 ||
        (options.all("distance").empty() && options.all("angle").empty() && options.all("roi").empty()))
        return fail("usage: measure SERIES_UID|PATH [--distance I,J,K:I,J,K]... [--angle A:VERTEX:B]... "
                    "[--roi VIEW:SLICE:rect|ellipse|polygon:X,Y,X,Y[,X,Y...]]...",
                    kExitUsage);
    std::optional<int> stack;
    if (auto text = options.value("stack")) stack = parseInteger(*text);
    int exitCode = kExitOk;
    auto volume = loadStack(options, stack, exitCode);
    if (!volume) return exitCode;
    // Distances need a pixel spacing the file gives (an image without one has none to show).
    const bool hasSpacing = !volume->pixelSpacingSource.empty();
    if (!hasSpacing && (!options.all("distance").empty() || !options.all("roi").empty()))
        return fail("no pixel spacing in this series (no PixelSpacing or ImagerPixelSpacing): no distance or area can be measured",
                    kExitUsage);

    QJsonArray results;
    for (const auto& text : options.all("distance")) {
        const auto ends = split(text, ':');
        std::optional<render::VoxelIndex> a, b;
        if (ends.size() == 2) a = parseVoxel(ends[0]), b = parseVoxel(ends[1]);
        if (!a || !b) return fail("--distance takes I,J,K:I,J,K (got '" + text + "')", kExitUsage);
        if (!insideVolume(*volume, *a) || !insideVolume(*volume, *b)) return fail(text + ": outside the volume", kExitUsage);
        results.append(QJsonObject{{"kind", "distance"}, {"from", voxelJson(*a)}, {"to", voxelJson(*b)},
                                   {"mm", render::distanceMm(*volume, *a, *b)}});
    }
    for (const auto& text : options.all("angle")) {
        const auto corners = split(text, ':');
        std::optional<render::VoxelIndex> a, vertex, b;
        if (corners.size() == 3) a = parseVoxel(corners[0]), vertex = parseVoxel(corners[1]), b = parseVoxel(corners[2]);
        if (!a || !vertex || !b) return fail("--angle takes I,J,K:I,J,K:I,J,K (got '" + text + "')", kExitUsage);
        results.append(QJsonObject{{"kind", "angle"}, {"degrees", render::angleDegrees(*volume, *a, *vertex, *b)}});
    }
    for (const auto& text : options.all("roi")) {
        const auto parts = split(text, ':');
        render::ViewPlane plane;
        render::RoiShape shape;
        std::optional<int> slice = parts.size() == 4 ? parseInteger(parts[1]) : std::nullopt;
        if (parts.size() != 4 || !render::parseViewPlane(parts[0], plane) || !slice || !render::parseRoiShape(parts[2], shape))
            return fail("--roi takes VIEW:SLICE:rect|ellipse|polygon:X,Y,X,Y[,...] (got '" + text + "')", kExitUsage);
        const auto numbers = split(parts[3], ',');
        std::vector<std::array<double, 2>> points;
        for (size_t i = 0; i + 1 < numbers.size(); i += 2) {
            try {
                points.push_back({std::stod(numbers[i]), std::stod(numbers[i + 1])});
            } catch (const std::exception&) {
                return fail("--roi: '" + parts[3] + "' are not coordinates", kExitUsage);
            }
        }
        auto stats = render::roiStats(*volume, plane, *slice, shape, points);
        if (!stats) return fail(stats.error().message(), kExitUsage);
        results.append(QJsonObject{{"kind", "roi"}, {"view", render::viewPlaneName(plane)}, {"slice", *slice},
                                   {"shape", qs(parts[2])}, {"pixels", stats->pixels}, {"mean", stats->mean},
                                   {"sd", stats->sd}, {"min", stats->min}, {"max", stats->max},
                                   {"area_mm2", stats->areaMm2}});
    }
    if (options.json) {
        printJson(results);
    } else {
        for (const auto& value : results) {
            const QJsonObject r = value.toObject();
            if (r["kind"] == "distance") std::printf("distance %.3f mm\n", r["mm"].toDouble());
            else if (r["kind"] == "angle") std::printf("angle %.2f degrees\n", r["degrees"].toDouble());
            else
                std::printf("roi %s slice %d %s: %d px, mean %.2f, sd %.2f, min %.1f, max %.1f, area %.1f mm2\n",
                            r["view"].toString().toUtf8().constData(), r["slice"].toInt(),
                            r["shape"].toString().toUtf8().constData(), r["pixels"].toInt(), r["mean"].toDouble(),
                            r["sd"].toDouble(), r["min"].toDouble(), r["max"].toDouble(), r["area_mm2"].toDouble());
        }
    }
    return kExitOk;
}

} // namespace lb::app::cli
