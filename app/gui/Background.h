#pragma once
// Work off the GUI thread (imports, loads, C-FIND, echo, pruning): on Qt's global thread pool,
// which the application waits for when it ends, so no worker outlives QApplication and posts
// to a destroyed one. The pool is sized for waiting work (network, disk), not just cores:
// a long import must not hold back the series the user opens meanwhile.
#include <QThreadPool>

#include <algorithm>
#include <functional>

namespace lb::app::gui {

inline void runInBackground(std::function<void()> work)
{
    static const bool sized = [] {
        QThreadPool::globalInstance()->setMaxThreadCount(std::max(16, QThreadPool::globalInstance()->maxThreadCount()));
        return true;
    }();
    (void)sized;
    QThreadPool::globalInstance()->start(std::move(work));
}

} // namespace lb::app::gui
