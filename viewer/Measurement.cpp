#include "viewer/Measurement.h"

#include "render/Measurements.h"

#include <cmath>

namespace lb::viewer {

int pointsNeeded(MeasureKind kind)
{
    switch (kind) {
    case MeasureKind::Angle: return 3;
    case MeasureKind::Freehand: return 3;
    default: return 2;
    }
}

namespace {

double length(const std::array<double, 3>& a, const std::array<double, 3>& b)
{
    return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

QString unitOf(const core::Volume& volume)
{
    return volume.modality == "CT" ? " HU" : "";
}

} // namespace

void measure(const core::Volume& volume, Measurement& m)
{
    const auto& geometry = volume.geometry();
    const render::ViewGeometry view = render::viewGeometry(geometry, m.plane);
    std::vector<std::array<double, 3>> lps;
    for (const QPointF& p : m.points) lps.push_back(render::picturePosition(geometry, view, m.slice, p.x(), p.y()));
    m.text.clear();
    if (static_cast<int>(m.points.size()) < pointsNeeded(m.kind)) return;
    switch (m.kind) {
    case MeasureKind::Distance:
        // Without a pixel spacing in the file the picture is laid out at a placeholder 1 mm: say
        // pixels, never millimetres the data does not give.
        if (volume.pixelSpacingSource.empty()) m.text = QString("%1 px (no pixel spacing)").arg(length(lps[0], lps[1]), 0, 'f', 1);
        else m.text = QString("%1 mm%2").arg(length(lps[0], lps[1]), 0, 'f', 1).arg(volume.pixelSpacingSource == "detector" ? " at detector" : "");
        return;
    case MeasureKind::Angle: {
        std::array<double, 3> u{}, v{};
        for (int c = 0; c < 3; ++c) {
            u[c] = lps[0][c] - lps[1][c];
            v[c] = lps[2][c] - lps[1][c];
        }
        const double lu = length(u, {0, 0, 0}), lv = length(v, {0, 0, 0});
        if (lu == 0 || lv == 0) return;
        const double cosine = std::clamp((u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (lu * lv), -1.0, 1.0);
        m.text = QString::fromUtf8("%1°").arg(std::acos(cosine) * 180 / M_PI, 0, 'f', 1);
        return;
    }
    default: break;
    }
    const render::RoiShape shape = m.kind == MeasureKind::Rectangle ? render::RoiShape::Rectangle
                                   : m.kind == MeasureKind::Ellipse ? render::RoiShape::Ellipse
                                                                    : render::RoiShape::Polygon;
    std::vector<std::array<double, 2>> points;
    for (const QPointF& p : m.points) points.push_back({p.x(), p.y()});
    auto stats = render::roiStats(volume, m.plane, m.slice, shape, points, m.timePoint);
    if (!stats || stats->pixels == 0) {
        m.text = "no pixels inside";
        return;
    }
    const QString unit = unitOf(volume);
    const QString areaUnit = volume.pixelSpacingSource.empty() ? QString::fromUtf8("px² (no pixel spacing)")
                             : volume.pixelSpacingSource == "detector" ? QString::fromUtf8("mm² at detector")
                                                                      : QString::fromUtf8("mm²");
    m.text = QString::fromUtf8("mean %1 SD %2%3\nmin %4 max %5\n%6 %7")
                 .arg(stats->mean, 0, 'f', 1)
                 .arg(stats->sd, 0, 'f', 1)
                 .arg(unit)
                 .arg(stats->min, 0, 'g', 6)
                 .arg(stats->max, 0, 'g', 6)
                 .arg(stats->areaMm2, 0, 'f', 1)
                 .arg(areaUnit);
}

MeasurementStore& MeasurementStore::session()
{
    static MeasurementStore store;
    return store;
}

} // namespace lb::viewer
