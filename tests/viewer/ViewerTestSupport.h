#pragma once
// What the widget tests share: mouse drags sent as events, screenshots into the test output
// folder, a cache with a real Orthanc configured as its node.
#include "app/gui/MainWindow.h"
#include "cache/LocalCache.h"
#include "cache/NodeSettings.h"
#include "tests/support/OrthancServer.h"

#include <QApplication>
#include <QDropEvent>
#include <QMimeData>
#include <QMouseEvent>
#include <QTest>
#include <QUrl>

#include <filesystem>
#include <string>
#include <vector>

namespace lb::test {

// Press at `from`, move to `to`, release: what a user's drag sends.
inline void dragMouse(QWidget* widget, QPointF from, QPointF to, Qt::MouseButton button = Qt::LeftButton,
                      Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QMouseEvent press(QEvent::MouseButtonPress, from, widget->mapToGlobal(from), button, button, modifiers);
    QApplication::sendEvent(widget, &press);
    QMouseEvent move(QEvent::MouseMove, to, widget->mapToGlobal(to), Qt::NoButton, button, modifiers);
    QApplication::sendEvent(widget, &move);
    QMouseEvent release(QEvent::MouseButtonRelease, to, widget->mapToGlobal(to), button, Qt::NoButton, modifiers);
    QApplication::sendEvent(widget, &release);
}

// Files or folders dropped on the middle of a widget, as a file manager's drag ends: the drag
// enters (returns whether it was accepted), then the drop.
inline bool dropPaths(QWidget& widget, const std::vector<std::filesystem::path>& paths)
{
    QMimeData data;
    QList<QUrl> urls;
    for (const auto& path : paths) urls << QUrl::fromLocalFile(QString::fromStdString(path.string()));
    data.setUrls(urls);
    const QPointF centre(widget.width() / 2.0, widget.height() / 2.0);
    QDragEnterEvent enter(centre.toPoint(), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&widget, &enter);
    QDropEvent drop(centre, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&widget, &drop);
    return enter.isAccepted();
}

// Shown and active, as a window the user just clicked: keys and shortcuts go to it.
inline bool showActive(QWidget& window)
{
    window.show();
    window.activateWindow();
    return QTest::qWaitForWindowActive(&window);
}

inline void saveScreenshot(app::gui::MainWindow& window, const std::string& name)
{
    QApplication::processEvents();
    std::filesystem::create_directories(LB_TEST_OUTPUT);
    window.screenshot().save(QString::fromStdString(std::string(LB_TEST_OUTPUT) + "/" + name + ".png"));
}

// The workstation's services over a cache a test has filled (the window's composition root).
inline std::unique_ptr<app::Workstation> workstationOver(std::unique_ptr<cache::LocalCache> cache)
{
    auto workstation = app::Workstation::adopt(std::move(cache));
    return workstation ? std::move(*workstation) : nullptr;
}

// A cache at `folder` whose node "pacs" is `orthanc`, retrieving with C-GET.
inline std::unique_ptr<cache::LocalCache> cacheWithOrthancNode(const std::filesystem::path& folder, const OrthancServer& orthanc)
{
    auto cache = cache::LocalCache::open(folder);
    if (!cache) return nullptr;
    cache::NodeRecord node;
    node.name = "pacs";
    node.aeTitle = OrthancServer::kAeTitle;
    node.host = "127.0.0.1";
    node.port = orthanc.dicomPort();
    node.retrieveMethod = "get";
    if (!cache::saveNode((*cache)->connection(), node)) return nullptr;
    return std::move(*cache);
}

} // namespace lb::test
