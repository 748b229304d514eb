#include "app/gui/ViewerKeys.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTextEdit>

namespace lb::app::gui {

bool isWithin(const QWidget* widget, const QWidget* area)
{
    for (const QWidget* at = widget; at; at = at->parentWidget())
        if (at == area) return true;
    return false;
}

bool isTypingField(const QWidget* widget)
{
    if (qobject_cast<const QLineEdit*>(widget) || qobject_cast<const QAbstractSpinBox*>(widget)) return true;
    if (auto* box = qobject_cast<const QComboBox*>(widget)) return box->isEditable();
    if (auto* text = qobject_cast<const QPlainTextEdit*>(widget)) return !text->isReadOnly();
    if (auto* text = qobject_cast<const QTextEdit*>(widget)) return !text->isReadOnly();
    return false;
}

bool isViewerKey(const QKeyEvent& event)
{
    if (event.modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier)) return false;
    const int key = event.key();
    if ((key >= Qt::Key_A && key <= Qt::Key_Z) || (key >= Qt::Key_0 && key <= Qt::Key_9)) return true;
    switch (key) {
    case Qt::Key_BracketLeft: case Qt::Key_BracketRight: case Qt::Key_Plus: case Qt::Key_Minus:
    case Qt::Key_Comma: case Qt::Key_Period: case Qt::Key_Escape: return true;
    default: return false;
    }
}

ViewerKeyRouter::ViewerKeyRouter(QWidget* window, QWidget* viewerArea, std::function<QWidget*()> activeView)
    : QObject(window), m_window(window), m_viewerArea(viewerArea), m_activeView(std::move(activeView))
{
    qApp->installEventFilter(this);
}

bool ViewerKeyRouter::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() != QEvent::KeyPress || !watched->isWidgetType()) return false;
    auto* widget = static_cast<QWidget*>(watched);
    // Only the main window's own widgets and its docks (floating or not): never a dialog's, nor
    // an open menu's (its letters choose its entries).
    const QWidget* top = widget->window();
    if (!isWithin(widget, m_window) || (top != m_window && !qobject_cast<const QDockWidget*>(top))) return false;
    if (isWithin(widget, m_viewerArea) || isTypingField(widget)) return false;
    const auto& key = static_cast<const QKeyEvent&>(*event);
    if (!isViewerKey(key)) return false;
    QWidget* view = m_activeView();
    if (!view || !view->isVisible()) return false;
    QKeyEvent copy(key.type(), key.key(), key.modifiers(), key.text(), key.isAutoRepeat(), key.count());
    QApplication::sendEvent(view, &copy);
    return true; // the list's own answer to a letter (jump to a row) would surprise the reader
}

} // namespace lb::app::gui
