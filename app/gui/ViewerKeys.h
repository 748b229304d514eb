#pragma once
// The reader's single keys (presets 1-8, tools D A B E F, cine C, N/P steps, K link ...) act on
// the active view wherever the keyboard focus is in the main window (the study list, the job
// panel, a toolbar button), except in a field where the user types (search fields, spin boxes,
// date edits, editable combo boxes): there a key is text. Without this, pressing 8 for the bone
// preset after a click in the study list typed into the list or the search field instead.
#include <QObject>

#include <functional>

class QKeyEvent;
class QWidget;

namespace lb::app::gui {

// True for a widget where keys are text (QLineEdit, QAbstractSpinBox, editable QComboBox,
// QTextEdit/QPlainTextEdit that are not read-only).
bool isTypingField(const QWidget* widget);
// A key the viewers answer without Ctrl/Alt/Meta: letters, digits, [ ] + - , . and Esc.
// Navigation keys (arrows, page keys, Enter, Tab, Delete) stay with the list that has focus.
bool isViewerKey(const QKeyEvent& event);

class ViewerKeyRouter : public QObject {
public:
    // `window`: the main window whose widgets are watched; `viewerArea`: where the views live
    // (their own keys reach them directly); `activeView`: the view the keys go to (null: none).
    ViewerKeyRouter(QWidget* window, QWidget* viewerArea, std::function<QWidget*()> activeView);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* m_window;
    QWidget* m_viewerArea;
    std::function<QWidget*()> m_activeView;
};

// `widget` is `area` or inside it (across window boundaries: a floating dock's widgets too).
bool isWithin(const QWidget* widget, const QWidget* area);

} // namespace lb::app::gui
