#pragma once
// A remembered window placed on the screen it opens on: a 1600x1000 window remembered from a
// desk monitor reopens on a 1366x768 laptop inside the screen, shrunk to fit, never off it.
#include <QRect>

class QWidget;

namespace lb::app::gui {

// `window` (the frame, in screen coordinates) moved and shrunk to lie inside `available`.
QRect clampToScreen(const QRect& window, const QRect& available);
// The widget's frame kept inside the available area of the screen under its centre (or the
// primary screen when none is).
void keepOnScreen(QWidget& window);

} // namespace lb::app::gui
