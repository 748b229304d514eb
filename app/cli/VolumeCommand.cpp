// lightbox-cli volume SERIES_UID|PATH [--resampled] [--probe i,j,k[,t]]...
// Without --resampled: each stack as acquired (slice_positions as the files say); with it: the
// regular grid MPR and 3D use (render/RegularGrid.h).
#include "app/cli/CliOutput.h"
#include "app/cli/SeriesInput.h"
#include "app/cli/Commands.h"
#include "cache/InputCollector.h"
#include "cache/LocalCache.h"
#include "cache/StudyQuery.h"
#include "core/VolumeAssembler.h"
#include "render/RegularGrid.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace lb::app::cli {

namespace {

struct Probe {
    int i = 0, j = 0, k = 0, t = 0;
    bool hasTime = false;
};

std::optional<Probe> parseProbe(const std::string& text)
{
    Probe probe;
    char extra = 0;
    const int n = std::sscanf(text.c_str(), "%d,%d,%d,%d%c", &probe.i, &probe.j, &probe.k, &probe.t, &extra);
    if (n == 3) return probe;
    if (n == 4) {
        probe.hasTime = true;
        return probe;
    }
    return std::nullopt;
}

QJsonArray numbers(const double* values, size_t count)
{
    QJsonArray array;
    for (size_t i = 0; i < count; ++i) array.append(values[i]);
    return array;
}

// The value at each probe (null outside; [r, g, b] for colour).
QJsonArray probeValues(const core::Volume& volume, const std::vector<Probe>& probes)
{
    QJsonArray probeResults;
    for (const auto& p : probes) {
        QJsonArray ijk{p.i, p.j, p.k};
        if (p.hasTime) ijk.append(p.t);
        const bool inside = volume.contains(p.i, p.j, p.k, p.t);
        QJsonValue value;
        if (inside && volume.components() == 1) {
            value = volume.valueAt(p.i, p.j, p.k, p.t);
        } else if (inside) { // colour: [r, g, b]
            QJsonArray rgb;
            for (int c = 0; c < volume.components(); ++c) rgb.append(volume.valueAt(p.i, p.j, p.k, p.t, c));
            value = rgb;
        }
        probeResults.append(QJsonObject{{"ijk", ijk}, {"value", value}});
    }
    return probeResults;
}

// The human-readable form of `volume`'s report.
void printStacks(const QJsonArray& stacks)
{
    for (const auto& value : stacks) {
        const QJsonObject s = value.toObject();
        auto list = [](const QJsonArray& a) {
            QStringList parts;
            for (const auto& v : a) parts << QString::number(v.toDouble(), 'g', 8);
            return parts.join(" ").toStdString();
        };
        std::printf("series %s\n  dims %s x %d time points, %s\n  spacing %s mm\n  origin %s (LPS mm)\n  direction %s\n  values %s\n",
                    s["series_uid"].toString().toStdString().c_str(), list(s["dims"].toArray()).c_str(),
                    s["time_points"].toInt(), s["pixel_type"].toString().toStdString().c_str(),
                    list(s["spacing"].toArray()).c_str(), list(s["origin"].toArray()).c_str(),
                    list(s["direction"].toArray()).c_str(), list(s["value_range"].toArray()).c_str());
        for (const auto& w : s["warnings"].toArray()) std::printf("  warning: %s\n", w.toString().toStdString().c_str());
        for (const auto& p : s["probes"].toArray()) {
            const QJsonObject probe = p.toObject();
            const QJsonValue value = probe["value"];
            const std::string shown = value.isNull()    ? "outside"
                : value.isArray()                       ? list(value.toArray())
                                                        : QString::number(value.toDouble(), 'g', 10).toStdString();
            std::printf("  probe %s = %s\n", list(probe["ijk"].toArray()).c_str(), shown.c_str());
        }
    }
}

} // namespace

int runVolume(const CliOptions& options)
{
    if (options.arguments.size() != 1) return fail("volume needs one SERIES_UID or PATH", kExitUsage);
    std::vector<Probe> probes;
    for (const auto& text : options.all("probe")) {
        auto probe = parseProbe(text);
        if (!probe) return fail("--probe takes i,j,k or i,j,k,t (got '" + text + "')", kExitUsage);
        probes.push_back(*probe);
    }
    int exitCode = kExitOk;
    auto loaded = loadVolumes(options, exitCode);
    if (!loaded) return exitCode;
    for (const auto& skipped : loaded->skippedFiles) std::fprintf(stderr, "lightbox-cli: skipped %s\n", skipped.c_str());

    const bool resampled = options.has("resampled");
    QJsonArray stacks;
    for (const auto& acquired : loaded->volumes) {
        std::shared_ptr<const core::Volume> volume = acquired;
        if (resampled) {
            auto grid = render::onRegularGrid(acquired);
            if (!grid) return fail(grid.error());
            volume = *grid;
        }
        const auto& g = volume->geometry();
        const auto [low, high] = volume->valueRange();
        QJsonArray warnings;
        for (const auto& warning : volume->warnings) warnings.append(qs(warning));
        const QJsonArray probeResults = probeValues(*volume, probes);
        // LPS of voxel (0,0,k) for every k, as the files say; null for a slice whose pixels could
        // not be read (it keeps its place: the stack is never re-spaced around it).
        QJsonArray slicePositions;
        for (size_t k = 0; k < volume->slicePositions.size(); ++k) {
            const bool blank = std::find(volume->blankSlices.begin(), volume->blankSlices.end(), static_cast<int>(k)) != volume->blankSlices.end();
            slicePositions.append(blank ? QJsonValue() : QJsonValue(numbers(volume->slicePositions[k].data(), 3)));
        }
        const double dims[3] = {static_cast<double>(g.dims[0]), static_cast<double>(g.dims[1]), static_cast<double>(g.dims[2])};
        const double range[2] = {low, high};
        stacks.append(QJsonObject{{"series_uid", qs(volume->seriesUid)},
                                  {"dims", numbers(dims, 3)},
                                  {"time_points", volume->timePoints()},
                                  {"spacing", numbers(g.spacing.data(), 3)},
                                  {"origin", numbers(g.origin.data(), 3)},
                                  {"direction", numbers(g.direction.data(), 9)},
                                  {"value_range", numbers(range, 2)},
                                  {"pixel_type", core::pixelTypeName(volume->pixelType())},
                                  {"components", volume->components()},
                                  {"photometric_interpretation", qs(volume->photometricInterpretation)},
                                  {"slice_positions", volume->hasPatientGeometry ? QJsonValue(slicePositions) : QJsonValue()},
                                  {"regular_grid", volume->regularGrid},
                                  {"resampled", volume->resampled},
                                  {"pixel_spacing_source", volume->pixelSpacingSource.empty() ? QJsonValue() : qs(volume->pixelSpacingSource)},
                                  {"warnings", warnings},
                                  {"probes", probeResults}});
    }
    if (options.json) {
        printJson(stacks);
        return kExitOk;
    }
    printStacks(stacks);
    return kExitOk;
}

} // namespace lb::app::cli
