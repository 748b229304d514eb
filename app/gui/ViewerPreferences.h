#pragma once
// The user's own preferences, kept per user (QSettings "Lightbox"), not per cache: what each
// mouse button drags, how fast a window/level drag goes, the window/level presets on the number keys, and which cache folder the
// workstation opens when neither --cache nor $LIGHTBOX_CACHE says.
#include "render/VoiLut.h"
#include "viewer/SliceViewer.h"

#include <QString>
#include <QStringList>

#include <array>
#include <vector>

namespace lb::app::gui {

struct ViewerPreferences {
    std::array<viewer::DragAction, 3> buttons{viewer::DragAction::WindowLevel, viewer::DragAction::Pan,
                                              viewer::DragAction::Zoom}; // left, middle, right
    std::vector<render::WindowPreset> presets = render::windowPresets();
    QString cacheLocation; // empty: the default
    // How fast a window/level drag goes: 1 = a drag across the viewport covers the series' values
    // from their 1st to 99th percentile (SliceViewer::windowDragScale); 0.1 .. 10.
    double windowSensitivity = 1.0;

    static ViewerPreferences load();
    void save() const;
};

QStringList dragActionNames(); // in DragAction order: "window/level", "zoom", "pan", "scroll", "nothing"
QString dragActionName(viewer::DragAction action);

} // namespace lb::app::gui
