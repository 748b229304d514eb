#pragma once
// Loads a series from the cache (or a path) into volumes on a worker thread and hands the
// result to the GUI thread: the window stays responsive while a series loads, and the middle
// image (decoded first, on its own) is shown before the rest has arrived.
#include "core/Volume.h"

#include <QObject>

#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace lb::app::gui {

class SeriesLoader : public QObject {
    Q_OBJECT
public:
    explicit SeriesLoader(QObject* parent = nullptr) : QObject(parent) {}
    // Emits loaded() or failed() on the GUI thread; `target` (a viewport) comes back with them.
    void load(std::vector<std::filesystem::path> files, QString label, int target = 0);
    // The preview of `target` is on screen: the rest of the series may be decoded now. Until then
    // (at most kPreviewWaitMs) the loader holds back, since decoding on every core starves the GUI
    // thread of a 2-core laptop and the first image would wait for the whole series.
    void previewShown(int target);
    static constexpr int kPreviewWaitMs = 250;

signals:
    void preview(std::shared_ptr<const lb::core::Volume> oneSlice, QString label, int target);
    void loaded(std::shared_ptr<const lb::core::Volume> volume, QString label, int target);
    // After loaded(), for a tilted or unevenly spaced volume: the regular grid MPR and 3D use
    // (render/RegularGrid.h), made on the worker so the GUI thread never waits for it.
    void regularGrid(std::shared_ptr<const lb::core::Volume> volume, std::shared_ptr<const lb::core::Volume> grid, int target);
    void failed(QString message, int target);

private:
    struct Gate {
        std::mutex mutex;
        std::condition_variable opened;
        bool open = false;
    };
    std::map<int, std::shared_ptr<Gate>> m_gates; // GUI thread only
};

} // namespace lb::app::gui
