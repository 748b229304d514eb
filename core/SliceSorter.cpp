#include "core/SliceSorter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lb::core {

namespace {

constexpr double kSamePositionMm = 0.01;
constexpr double kIrregularFraction = 0.01;
constexpr double kTiltDegrees = 0.01;
constexpr double kPi = 3.14159265358979323846;

using Vec3 = std::array<double, 3>;

Vec3 cross(const Vec3& a, const Vec3& b)
{
    return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}
double dot(const Vec3& a, const Vec3& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
double norm(const Vec3& a) { return std::sqrt(dot(a, a)); }

std::string oneDecimal(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", value);
    return buffer;
}

bool sameStep(double a, double b) { return std::abs(a - b) <= std::max(kSamePositionMm, kIrregularFraction * std::max(a, b)); }

// Steps that all match the usual (median) one: regular. Otherwise one warning: missing slices
// when every odd step is a whole multiple of the usual step, else the runs of a variable
// increment, in order ("13 × 4.0 mm, 1 × 1.1 mm, 13 × 7.0 mm").
void describeIncrements(const std::vector<double>& steps, const std::vector<double>& distances, SortedStack& sorted)
{
    std::vector<double> ordered = steps;
    std::nth_element(ordered.begin(), ordered.begin() + ordered.size() / 2, ordered.end());
    const double usual = ordered[ordered.size() / 2];
    std::vector<size_t> odd;
    for (size_t k = 0; k < steps.size(); ++k)
        if (!sameStep(steps[k], usual)) odd.push_back(k);
    if (odd.empty()) return;
    sorted.regular = false;
    // A gap is an isolated step of a whole multiple of the usual one; a run of longer steps (13
    // x 5 mm after 13 x 2.5 mm) is a change of increment even when the multiple is whole.
    const bool gapsOnly = usual > kSamePositionMm && std::all_of(odd.begin(), odd.end(), [&](size_t k) {
        const double multiple = steps[k] / usual;
        const bool isolated = (k == 0 || sameStep(steps[k - 1], usual)) && (k + 1 == steps.size() || sameStep(steps[k + 1], usual));
        return isolated && std::lround(multiple) >= 2 && sameStep(steps[k], std::lround(multiple) * usual);
    });
    if (gapsOnly) {
        long missing = 0;
        std::string where;
        for (size_t k : odd) {
            sorted.gapAfter.push_back(static_cast<int>(k));
            missing += std::lround(steps[k] / usual) - 1;
            if (!where.empty()) where += ", ";
            where += oneDecimal(distances[k]) + " to " + oneDecimal(distances[k + 1]) + " mm";
        }
        sorted.warnings.push_back("missing slices: " + std::to_string(missing) + " at the usual step of " + oneDecimal(usual)
                                  + " mm (gaps " + where + "), resampled for MPR and 3D; the gaps stay empty");
        return;
    }
    std::vector<std::pair<int, double>> runs; // count, step
    for (double step : steps) {
        if (!runs.empty() && sameStep(runs.back().second, step)) ++runs.back().first;
        else runs.push_back({1, step});
    }
    std::string text;
    for (const auto& [count, step] : runs) {
        if (!text.empty()) text += ", ";
        text += std::to_string(count) + " × " + oneDecimal(step) + " mm";
    }
    sorted.warnings.push_back("variable increment: " + text + ", resampled for MPR and 3D");
}

bool temporalOrder(const SeriesFrame* a, const SeriesFrame* b)
{
    auto key = [](const SeriesFrame* f) {
        return std::tuple(f->temporalIndex.value_or(0), f->instanceNumber.value_or(0), f->file.string(), f->frameIndex);
    };
    return key(a) < key(b);
}

} // namespace

Result<SortedStack> sortStack(const FrameStack& stack)
{
    if (stack.frames.empty()) return makeError(ErrorCode::InvalidArgument, "", "empty stack");
    const SeriesFrame& first = stack.frames.front();
    SortedStack sorted;
    VolumeGeometry& g = sorted.geometry;
    g.dims = {first.columns, first.rows, 0};
    g.spacing = {first.pixelSpacing[1], first.pixelSpacing[0], first.sliceThickness > 0 ? first.sliceThickness : 1.0};

    const bool hasGeometry = std::all_of(stack.frames.begin(), stack.frames.end(),
                                         [](const SeriesFrame& f) { return f.position && f.orientation; });
    if (!hasGeometry) {
        // No patient geometry (e.g. secondary capture): frames in temporal/instance order.
        std::vector<const SeriesFrame*> ordered;
        for (const auto& f : stack.frames) ordered.push_back(&f);
        std::sort(ordered.begin(), ordered.end(), temporalOrder);
        for (const auto* f : ordered) sorted.slices.push_back({f});
        g.dims[2] = static_cast<int>(sorted.slices.size());
        sorted.hasPatientGeometry = false;
        sorted.warnings.push_back(sorted.slices.size() == 1
                                      ? "no patient geometry (no ImageOrientationPatient/ImagePositionPatient): shown as an image"
                                      : "no patient geometry (no ImageOrientationPatient/ImagePositionPatient): frames shown in "
                                        "instance order as images, not as a volume");
        return sorted;
    }

    const auto& iop = *first.orientation;
    const Vec3 row{iop[0], iop[1], iop[2]}, column{iop[3], iop[4], iop[5]};
    Vec3 normal = cross(row, column);
    const double normalLength = norm(normal);
    if (normalLength < 1e-6) return makeError(ErrorCode::Malformed, first.file.string(), "ImageOrientationPatient is degenerate");
    for (auto& v : normal) v /= normalLength;
    g.direction = {row[0], row[1], row[2], column[0], column[1], column[2], normal[0], normal[1], normal[2]};

    // Group by distance along the normal.
    std::vector<std::pair<double, const SeriesFrame*>> byDistance;
    for (const auto& f : stack.frames) byDistance.emplace_back(dot(*f.position, normal), &f);
    std::sort(byDistance.begin(), byDistance.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::vector<const SeriesFrame*>> positions;
    std::vector<double> distances;
    for (const auto& [distance, frame] : byDistance) {
        if (positions.empty() || distance - distances.back() > kSamePositionMm) {
            positions.push_back({});
            distances.push_back(distance);
        }
        positions.back().push_back(frame);
    }
    size_t timePoints = positions.front().size();
    for (const auto& p : positions) timePoints = std::min(timePoints, p.size());
    const bool uneven = std::any_of(positions.begin(), positions.end(), [&](const auto& p) { return p.size() != timePoints; });
    if (uneven)
        sorted.warnings.push_back("positions hold different numbers of frames; kept " + std::to_string(timePoints)
                                  + " time point(s) per position, left out the rest");
    for (auto& p : positions) {
        std::sort(p.begin(), p.end(), temporalOrder);
        p.resize(timePoints);
    }
    sorted.slices = positions;
    sorted.timePoints = static_cast<int>(timePoints);
    g.dims[2] = static_cast<int>(positions.size());
    g.origin = *positions.front().front()->position;

    for (const auto& p : positions) sorted.slicePositions.push_back(*p.front()->position);
    if (positions.size() > 1) {
        g.spacing[2] = (distances.back() - distances.front()) / static_cast<double>(positions.size() - 1);
        std::vector<double> steps;
        for (size_t k = 1; k < distances.size(); ++k) steps.push_back(distances[k] - distances[k - 1]);
        describeIncrements(steps, distances, sorted);
        // Gantry tilt: the line through the slice origins leaves the normal.
        const Vec3& firstPosition = sorted.slicePositions.front();
        const Vec3& lastPosition = sorted.slicePositions.back();
        const Vec3 line{lastPosition[0] - firstPosition[0], lastPosition[1] - firstPosition[1], lastPosition[2] - firstPosition[2]};
        const double lineLength = norm(line);
        if (lineLength > 0) {
            const double angle = std::acos(std::min(1.0, std::abs(dot(line, normal)) / lineLength)) * 180 / kPi;
            if (angle > kTiltDegrees) {
                sorted.regular = false;
                sorted.tiltDegrees = angle;
                sorted.warnings.push_back("gantry tilt " + oneDecimal(angle) + "°, resampled for MPR and 3D");
            }
        }
    }
    return sorted;
}

} // namespace lb::core
