#include "app/gui/WindowPlacement.h"

#include <QGuiApplication>
#include <QScreen>
#include <QWidget>

#include <algorithm>

namespace lb::app::gui {

QRect clampToScreen(const QRect& window, const QRect& available)
{
    if (available.isEmpty()) return window;
    const int width = std::min(window.width(), available.width());
    const int height = std::min(window.height(), available.height());
    const int x = std::clamp(window.x(), available.left(), available.right() + 1 - width);
    const int y = std::clamp(window.y(), available.top(), available.bottom() + 1 - height);
    return {x, y, width, height};
}

void keepOnScreen(QWidget& window)
{
    const QRect frame = window.frameGeometry();
    QScreen* screen = QGuiApplication::screenAt(frame.center());
    if (!screen) screen = QGuiApplication::primaryScreen();
    if (!screen) return;
    const QRect placed = clampToScreen(frame, screen->availableGeometry());
    if (placed == frame) return;
    // The frame's decorations (title bar, borders) stay outside the client area's size.
    const QSize decorations = frame.size() - window.geometry().size();
    window.resize(placed.size() - decorations);
    window.move(placed.topLeft());
}

} // namespace lb::app::gui
