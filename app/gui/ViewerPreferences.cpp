#include "app/gui/ViewerPreferences.h"

#include <QSettings>

namespace lb::app::gui {
namespace {

constexpr viewer::DragAction kActions[] = {viewer::DragAction::WindowLevel, viewer::DragAction::Zoom,
                                           viewer::DragAction::Pan, viewer::DragAction::Scroll, viewer::DragAction::None};
const char* kButtonKeys[] = {"mouse/left", "mouse/middle", "mouse/right"};

} // namespace

QStringList dragActionNames()
{
    return {"window/level", "zoom", "pan", "scroll", "nothing"};
}

QString dragActionName(viewer::DragAction action)
{
    for (int i = 0; i < 5; ++i)
        if (kActions[i] == action) return dragActionNames()[i];
    return {};
}

ViewerPreferences ViewerPreferences::load()
{
    ViewerPreferences preferences;
    QSettings settings("Lightbox", "Lightbox");
    for (int b = 0; b < 3; ++b) {
        const int index = dragActionNames().indexOf(settings.value(kButtonKeys[b]).toString());
        if (index >= 0) preferences.buttons[b] = kActions[index];
    }
    const int count = settings.beginReadArray("presets");
    if (count > 0) {
        preferences.presets.clear();
        for (int i = 0; i < count; ++i) {
            settings.setArrayIndex(i);
            const double width = settings.value("width").toDouble();
            if (width < 1) continue; // a broken entry is left out, not shown as a 0-wide window
            preferences.presets.push_back({settings.value("name").toString().toStdString(),
                                           render::Window{settings.value("center").toDouble(), width}});
        }
    }
    settings.endArray();
    preferences.cacheLocation = settings.value("cache/location").toString();
    bool ok = false;
    const double sensitivity = settings.value("mouse/windowSensitivity", 1.0).toDouble(&ok);
    if (ok && sensitivity >= 0.1 && sensitivity <= 10) preferences.windowSensitivity = sensitivity;
    return preferences;
}

void ViewerPreferences::save() const
{
    QSettings settings("Lightbox", "Lightbox");
    for (int b = 0; b < 3; ++b) settings.setValue(kButtonKeys[b], dragActionName(buttons[b]));
    settings.remove("presets");
    settings.beginWriteArray("presets", static_cast<int>(presets.size()));
    for (int i = 0; i < static_cast<int>(presets.size()); ++i) {
        settings.setArrayIndex(i);
        settings.setValue("name", QString::fromStdString(presets[i].name));
        settings.setValue("center", presets[i].window.center);
        settings.setValue("width", presets[i].window.width);
    }
    settings.endArray();
    settings.setValue("cache/location", cacheLocation);
    settings.setValue("mouse/windowSensitivity", windowSensitivity);
}

} // namespace lb::app::gui
