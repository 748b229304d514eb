#pragma once
// Loads a series (files from the cache or a path) into volumes as a job on the board and hands
// the result to the board's (GUI) thread: the window stays responsive while a series loads, and
// the middle image (decoded first, on its own) is shown before the rest has arrived. A new load
// for the same target (viewport) cancels the one it supersedes. Also makes series thumbnails.
#include "app/services/Jobs.h"
#include "core/Volume.h"

#include <QObject>

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace lb::app {

// A small picture of a series' middle image, as displayed (window, inversion applied).
struct Thumbnail {
    int width = 0;
    int height = 0;
    int channels = 1; // 1 grey, 3 RGB
    std::vector<uint8_t> pixels;
};

class SeriesLoader : public QObject {
    Q_OBJECT
public:
    explicit SeriesLoader(JobBoard& jobs, QObject* parent = nullptr) : QObject(parent), m_jobs(jobs) {}
    // Emits loaded() or failed() on the board's thread; `target` (a viewport) comes back with
    // them. Returns the job's id; a load still running for `target` is cancelled.
    QString load(std::vector<std::filesystem::path> files, QString label, int target = 0);
    // Stops the load of `target` (the viewport shows something else now).
    void cancel(int target);
    // The preview of `target` is on screen: the rest of the series may be decoded now. Until then
    // (at most kPreviewWaitMs) the loader holds back, since decoding on every core starves the GUI
    // thread of a 2-core laptop and the first image would wait for the whole series.
    void previewShown(int target);
    static constexpr int kPreviewWaitMs = 250;

    // The middle image of a series at `size` pixels (a job of its own); an empty thumbnail when
    // the file cannot be shown.
    QString thumbnail(std::filesystem::path file, int size, std::function<void(const Thumbnail&)> onFinished);

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
    JobBoard& m_jobs;
    std::map<int, std::shared_ptr<Gate>> m_gates; // board thread only
    std::map<int, QString> m_running;             // target -> its load's job
};

} // namespace lb::app
