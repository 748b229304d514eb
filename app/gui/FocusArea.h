#pragma once
// Where the keyboard focus really is, in the words of the `--state` contract (docs/cli.md):
// "viewer", "study-list", "search", "remote", "tags", "jobs" or "other".
#include <QString>

class QWidget;

namespace lb::app::gui {

class MainWindow;

// `focused`: QApplication::focusWidget() (null: no widget of the application has the focus).
QString focusArea(const QWidget* focused, const MainWindow& window);

} // namespace lb::app::gui
