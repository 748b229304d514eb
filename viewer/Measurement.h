#pragma once
// Measurements drawn on a slice view: where they are (the view plane, the slice and the points
// in that view's native picture pixels: x right, y down, pixel centres on whole numbers) and what
// they measure in patient millimetres and modality values (HU for CT). Kept per series for the
// session in MeasurementStore, so a series opened again, or shown in two viewports, shows them.
#include "core/Volume.h"
#include "render/ViewGeometry.h"

#include <QPointF>
#include <QString>

#include <map>
#include <string>
#include <vector>

namespace lb::viewer {

enum class MeasureKind { Distance, Angle, Rectangle, Ellipse, Freehand };

struct Measurement {
    MeasureKind kind = MeasureKind::Distance;
    render::ViewPlane plane = render::ViewPlane::Axial;
    int slice = 0;
    int timePoint = 0;           // of a 4D series: the statistics' (the one shown)
    std::vector<QPointF> points; // distance 2, angle 3 (the vertex second), box corners 2, freehand >= 3
    QString text;                // what it measures, recomputed by measure()
};

// Points needed before a measurement is complete (freehand: any number, at least 3).
int pointsNeeded(MeasureKind kind);

// Fills m.text: "12.3 mm", "45.0°", or "mean 40.1 SD 3.2 HU / min -2 max 88 / 123.4 mm²".
void measure(const core::Volume& volume, Measurement& m);

class MeasurementStore {
public:
    static MeasurementStore& session(); // the GUI thread's, for the whole session
    std::vector<Measurement>& of(const std::string& seriesUid) { return m_bySeries[seriesUid]; }

private:
    std::map<std::string, std::vector<Measurement>> m_bySeries;
};

} // namespace lb::viewer
