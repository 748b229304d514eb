// SliceViewer's measurement tools: draw distances, angles and regions with the left button,
// drag any handle to edit, Delete removes the selected one. Points live in the view's native
// picture pixels, so zoom, pan, rotation and flips never move a measurement off its anatomy.
#include "viewer/SliceViewer.h"

#include <cmath>

namespace lb::viewer {
namespace {

constexpr double kHandleRadius = 6; // logical pixels

MeasureKind kindOf(Tool tool)
{
    switch (tool) {
    case Tool::Angle: return MeasureKind::Angle;
    case Tool::Rectangle: return MeasureKind::Rectangle;
    case Tool::Ellipse: return MeasureKind::Ellipse;
    case Tool::Freehand: return MeasureKind::Freehand;
    default: return MeasureKind::Distance;
    }
}

double distance(QPointF a, QPointF b)
{
    return std::hypot(a.x() - b.x(), a.y() - b.y());
}

} // namespace

std::vector<Measurement>* SliceViewer::measurements()
{
    // A one-slice preview shares the series UID but not the geometry: no measurements on it.
    if (!m_volume || !m_rendered || m_volume->seriesUid.empty()) return nullptr;
    return &MeasurementStore::session().of(m_volume->seriesUid);
}

std::vector<const Measurement*> SliceViewer::visibleMeasurements() const
{
    std::vector<const Measurement*> out;
    if (!m_volume || m_volume->seriesUid.empty() || m_oblique) return out;
    for (const Measurement& m : MeasurementStore::session().of(m_volume->seriesUid))
        if (m.plane == m_plane && m.slice == m_slice) out.push_back(&m);
    return out;
}

std::optional<std::array<std::array<double, 3>, 2>> SliceViewer::distanceEnds() const
{
    if (!m_volume || m_volume->seriesUid.empty() || m_oblique || !m_rendered) return std::nullopt;
    const auto& list = MeasurementStore::session().of(m_volume->seriesUid);
    const Measurement* chosen = nullptr;
    if (m_selected >= 0 && m_selected < static_cast<int>(list.size()) && list[m_selected].kind == MeasureKind::Distance
        && list[m_selected].plane == m_plane && list[m_selected].slice == m_slice)
        chosen = &list[m_selected];
    for (auto it = list.rbegin(); !chosen && it != list.rend(); ++it)
        if (it->kind == MeasureKind::Distance && it->plane == m_plane && it->slice == m_slice && it->points.size() == 2) chosen = &*it;
    if (!chosen || chosen->points.size() != 2) return std::nullopt;
    return std::array<std::array<double, 3>, 2>{patientAt(chosen->points[0]), patientAt(chosen->points[1])};
}

std::optional<double> SliceViewer::distanceMm() const
{
    const auto ends = distanceEnds();
    if (!ends) return std::nullopt;
    double sum = 0;
    for (int c = 0; c < 3; ++c) sum += ((*ends)[1][c] - (*ends)[0][c]) * ((*ends)[1][c] - (*ends)[0][c]);
    return std::sqrt(sum);
}

void SliceViewer::placeDistance(const std::array<double, 3>& from, const std::array<double, 3>& to)
{
    if (!m_volume || m_oblique) return;
    showPosition({(from[0] + to[0]) / 2, (from[1] + to[1]) / 2, (from[2] + to[2]) / 2});
    auto* list = measurements();
    if (!list) return;
    Measurement m;
    m.kind = MeasureKind::Distance;
    m.plane = m_plane;
    m.slice = m_slice;
    m.timePoint = m_timePoint;
    m.points = {pictureOf(from), pictureOf(to)}; // on this slice: the ends projected onto it
    measure(*m_volume, m);
    list->push_back(m);
    m_selected = static_cast<int>(list->size()) - 1;
    update();
    emit measurementsChanged();
}

void SliceViewer::removeSelectedMeasurement()
{
    auto* list = measurements();
    if (!list || m_selected < 0 || m_selected >= static_cast<int>(list->size())) return;
    list->erase(list->begin() + m_selected);
    m_selected = -1;
    m_editPoint = -1;
    m_creating = false;
    update();
    emit measurementsChanged();
}

bool SliceViewer::pressMeasurement(QPointF widget)
{
    auto* list = measurements();
    if (!list || m_oblique) return false; // measurements live on orthogonal views
    const QPointF picture = pictureOfWidget(widget);
    // An angle being drawn takes its next point.
    if (m_creating && m_selected >= 0 && m_selected < static_cast<int>(list->size())) {
        Measurement& m = (*list)[m_selected];
        if (m.kind == MeasureKind::Angle && m.points.size() < 3) {
            m.points.push_back(picture);
            m_editPoint = static_cast<int>(m.points.size()) - 1;
            return true;
        }
    }
    m_creating = false;
    // A handle of a measurement on this slice: edit it.
    for (int i = 0; i < static_cast<int>(list->size()); ++i) {
        const Measurement& m = (*list)[i];
        if (m.plane != m_plane || m.slice != m_slice) continue;
        for (int p = 0; p < static_cast<int>(m.points.size()); ++p) {
            if (m.kind == MeasureKind::Freehand && p > 0) break; // a freehand outline moves by its first point only
            if (distance(widgetOfPicture(m.points[p]), widget) <= kHandleRadius) {
                m_selected = i;
                m_editPoint = p;
                return true;
            }
        }
    }
    m_selected = -1;
    if (m_tool == Tool::WindowLevel) return false;
    Measurement m;
    const MeasureKind kind = kindOf(m_tool);
    m.kind = kind;
    m.plane = m_plane;
    m.slice = m_slice;
    m.timePoint = m_timePoint;
    m.points = {picture};
    if (kind != MeasureKind::Freehand) m.points.push_back(picture); // the second follows the mouse
    list->push_back(std::move(m));
    m_selected = static_cast<int>(list->size()) - 1;
    m_editPoint = kind == MeasureKind::Freehand ? -1 : 1;
    m_creating = true;
    return true;
}

void SliceViewer::dragMeasurement(QPointF widget)
{
    auto* list = measurements();
    if (!list || m_selected < 0 || m_selected >= static_cast<int>(list->size())) return;
    Measurement& m = (*list)[m_selected];
    const QPointF picture = pictureOfWidget(widget);
    if (m.kind == MeasureKind::Freehand && m_creating) {
        if (distance(widgetOfPicture(m.points.back()), widget) >= 2) m.points.push_back(picture);
    } else if (m.kind == MeasureKind::Freehand && m_editPoint == 0) {
        const QPointF shift = picture - m.points[0]; // the whole outline moves
        for (QPointF& p : m.points) p += shift;
    } else if (m_editPoint >= 0 && m_editPoint < static_cast<int>(m.points.size())) {
        m.points[m_editPoint] = picture;
    }
    measure(*m_volume, m);
    update();
}

void SliceViewer::finishMeasurementDrag()
{
    auto* list = measurements();
    m_editPoint = -1;
    if (!list || m_selected < 0 || m_selected >= static_cast<int>(list->size())) {
        m_creating = false;
        return;
    }
    Measurement& m = (*list)[m_selected];
    if (m_creating && m.kind == MeasureKind::Angle && m.points.size() < 3) return; // waits for its third point
    if (m_creating) {
        // A click without a drag makes nothing.
        const bool degenerate = m.kind == MeasureKind::Freehand
                                    ? m.points.size() < 3
                                    : distance(widgetOfPicture(m.points.front()), widgetOfPicture(m.points.back())) < 2;
        m_creating = false;
        if (degenerate) {
            list->erase(list->begin() + m_selected);
            m_selected = -1;
            update();
            return;
        }
    }
    measure(*m_volume, m);
    update();
    emit measurementsChanged();
}

} // namespace lb::viewer
