#pragma once
// Loads a series from the cache (or a path) into volumes on a worker thread and hands the
// result to the GUI thread: the window stays responsive while a series loads, and the middle
// image (decoded first, on its own) is shown before the rest has arrived.
#include "core/Volume.h"

#include <QObject>

#include <filesystem>
#include <memory>
#include <vector>

namespace lb::app::gui {

class SeriesLoader : public QObject {
    Q_OBJECT
public:
    explicit SeriesLoader(QObject* parent = nullptr) : QObject(parent) {}
    // Emits loaded() or failed() on the GUI thread; `target` (a viewport) comes back with them.
    void load(std::vector<std::filesystem::path> files, QString label, int target = 0);

signals:
    void preview(std::shared_ptr<const lb::core::Volume> oneSlice, QString label, int target);
    void loaded(std::shared_ptr<const lb::core::Volume> volume, QString label, int target);
    void failed(QString message, int target);
};

} // namespace lb::app::gui
