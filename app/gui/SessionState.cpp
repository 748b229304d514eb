#include "app/gui/SessionState.h"

#include <QJsonArray>

namespace lb::app::gui {

namespace {

// The session's warnings of what the viewport shows (the volume's, skipped or damaged files).
QJsonArray warningsOf(const core::Volume* volume, const ViewingSession::Viewport& shown)
{
    QJsonArray warnings;
    if (volume)
        for (const auto& warning : shown.warnings) warnings.append(warning);
    return warnings;
}

QString viewOf(const viewer::SliceViewer& view)
{
    if (view.current() && view.current()->imageView) return "image";
    if (view.obliquePlane()) return "oblique";
    return render::viewPlaneName(view.plane());
}

QJsonObject sliceViewport(int index, const viewer::SliceViewer& view, const core::Volume* volume, const ViewingSession::Viewport& shown)
{
    const QString& study = shown.studyUid;
    const bool shows = volume && view.current();
    return QJsonObject{{"index", index},
                       {"study_uid", study.isEmpty() ? QJsonValue() : QJsonValue(study)},
                       {"series_uid", volume ? QJsonValue(QString::fromStdString(volume->seriesUid)) : QJsonValue()},
                       {"view", shows ? QJsonValue(viewOf(view)) : QJsonValue()},
                       {"slice", shows ? QJsonValue(view.slice()) : QJsonValue()},
                       {"window", shows ? QJsonValue(QJsonArray{view.window().width, view.window().center}) : QJsonValue()},
                       {"warnings", warningsOf(volume, shown)},
                       {"link", QJsonValue()},
                       {"time_point", shows ? view.timePoint() : 0},
                       {"time_points", shows ? view.timePoints() : 1},
                       {"active_tool", viewer::toolName(view.tool())}};
}

// The 3D view renders the first time point; its left drag turns the volume whatever the tool,
// which is still the grid's (the toolbar's) for the slice views.
QJsonObject threeDViewport(int index, const core::Volume* volume, const ViewingSession::Viewport& shown, viewer::Tool tool)
{
    const QString& study = shown.studyUid;
    return QJsonObject{{"index", index},
                       {"study_uid", study.isEmpty() ? QJsonValue() : QJsonValue(study)},
                       {"series_uid", volume ? QJsonValue(QString::fromStdString(volume->seriesUid)) : QJsonValue()},
                       {"view", "3d"},
                       {"slice", QJsonValue()},
                       {"window", QJsonValue()},
                       {"warnings", warningsOf(volume, shown)},
                       {"time_point", 0},
                       {"time_points", 1},
                       {"active_tool", viewer::toolName(tool)}};
}

} // namespace

static QJsonValue linkOf(const viewer::ViewerGrid& grid, int index)
{
    const char* name = viewer::linkKindName(grid.link(index).kind);
    return *name ? QJsonValue(name) : QJsonValue();
}

QJsonObject sessionState(const viewer::ViewerGrid& grid, const ViewingSession& session, const HangingController* hanging)
{
    QJsonArray viewports;
    const int active = grid.activeIndex();
    const auto activeVolume = grid.volumeOf(active);
    const auto& activeShown = session.viewport(active);
    switch (grid.layout()) {
    case viewer::Layout::Mpr: {
        // The MPR's three planes show the active viewport's series (on its regular grid), then 3D.
        int index = 0;
        if (grid.mpr() && grid.mpr()->isVisible()) {
            for (auto plane : {render::ViewPlane::Axial, render::ViewPlane::Coronal, render::ViewPlane::Sagittal})
                viewports.append(sliceViewport(index++, *grid.mpr()->plane(plane), activeVolume.get(), activeShown));
            viewports.append(threeDViewport(index, activeVolume.get(), activeShown, grid.tool()));
        }
        break;
    }
    case viewer::Layout::ThreeD:
        if (grid.volumeView() && grid.volumeView()->isVisible()) viewports.append(threeDViewport(0, activeVolume.get(), activeShown, grid.tool()));
        break;
    default:
        for (int i = 0; i < grid.viewportCount(); ++i) {
            QJsonObject viewport = sliceViewport(i, *grid.viewport(i), grid.volumeOf(i).get(), session.viewport(i));
            viewport["link"] = linkOf(grid, i);
            viewports.append(viewport);
        }
    }
    const bool hung = hanging && hanging->active();
    return QJsonObject{{"layout", viewer::layoutName(grid.layout())},
                       {"viewports", viewports},
                       {"hanging_protocol", hung ? QJsonValue(QString::fromStdString(hanging->result()->protocol)) : QJsonValue()},
                       {"step", hung ? QJsonValue(hanging->result()->step) : QJsonValue()}};
}

} // namespace lb::app::gui
