#include "app/services/SeriesLoader.h"

#include "core/VolumeAssembler.h"
#include "render/RegularGrid.h"
#include "render/SliceRender.h"

#include <QMetaObject>
#include <QPointer>

namespace lb::app {
namespace {

Thumbnail makeThumbnail(const std::filesystem::path& file, int size)
{
    core::VolumeLoadOptions options;
    options.threads = 1;
    auto loaded = core::assembleVolumes({file}, options);
    if (!loaded) return {};
    auto volume = core::largestVolume(*loaded);
    if (!volume) return {};
    render::SliceRequest request;
    request.plane = render::acquisitionPlane(volume->geometry());
    request.size = std::make_pair(size, size);
    if (volume->storedWindow) request.window = render::Window{(*volume->storedWindow)[0], (*volume->storedWindow)[1]};
    auto slice = render::renderSlice(*volume, request);
    if (!slice) return {};
    Thumbnail thumbnail{slice->image.width, slice->image.height, slice->rgb.empty() ? 1 : 3, {}};
    thumbnail.pixels = slice->rgb.empty() ? slice->image.pixels : slice->rgb;
    if (slice->inverted && thumbnail.channels == 1)
        for (auto& value : thumbnail.pixels) value = static_cast<uint8_t>(255 - value);
    return thumbnail;
}

} // namespace

QString SeriesLoader::load(std::vector<std::filesystem::path> files, QString label, int target)
{
    cancel(target); // superseded: the viewport asked for another series
    QPointer<SeriesLoader> self(this);
    auto gate = std::make_shared<Gate>();
    m_gates[target] = gate;
    auto work = [self, files = std::move(files), label, target, gate](JobContext& context) -> JobOutcome {
        core::VolumeLoadOptions options;
        options.cancel = &context.cancel();
        options.firstSlice = core::VolumeLoadOptions::FirstSlice::Middle;
        options.onFirstSlice = [self, label, target, gate](std::shared_ptr<const core::Volume> slice) {
            QMetaObject::invokeMethod(self, [self, slice, label, target] {
                if (self) emit self->preview(slice, label, target);
            }, Qt::QueuedConnection);
            std::unique_lock lock(gate->mutex);
            gate->opened.wait_for(lock, std::chrono::milliseconds(kPreviewWaitMs), [&] { return gate->open; });
        };
        auto loaded = core::assembleVolumes(files, options);
        if (context.cancelled()) return JobOutcome::from(core::makeError(core::ErrorCode::Cancelled, label.toStdString(), "cancelled"));
        std::shared_ptr<const core::Volume> largest = loaded ? core::largestVolume(*loaded) : nullptr;
        if (!loaded) return JobOutcome::from(loaded.error());
        if (!largest) return JobOutcome::from(core::makeError(core::ErrorCode::NotFound, label.toStdString(), "no image in this series"));
        QMetaObject::invokeMethod(self, [self, largest, label, target] {
            if (self) emit self->loaded(largest, label, target);
        }, Qt::QueuedConnection);
        if (!largest->regularGrid) {
            auto grid = render::onRegularGrid(largest);
            if (grid && *grid != largest && !context.cancelled())
                QMetaObject::invokeMethod(self, [self, largest, grid = *grid, target] {
                    if (self) emit self->regularGrid(largest, grid, target);
                }, Qt::QueuedConnection);
        }
        return JobOutcome::done();
    };
    const QString id = m_jobs.start(JobKind::SeriesLoad, label, {}, std::move(work), [self, target, label](const JobOutcome& outcome) {
        if (!self) return;
        if (auto running = self->m_running.find(target); running != self->m_running.end() && self->m_jobs.job(running->second) &&
                                                          isFinal(self->m_jobs.job(running->second)->state))
            self->m_running.erase(running);
        if (outcome.state == JobState::Failed)
            emit self->failed(QString::fromStdString(outcome.error ? outcome.error->message() : "failed"), target);
    });
    m_running[target] = id;
    return id;
}

void SeriesLoader::cancel(int target)
{
    previewShown(target); // never leave a worker waiting at the gate
    if (auto running = m_running.find(target); running != m_running.end()) {
        const QString job = running->second;
        m_running.erase(running); // first: the board answers the cancel at once, into our callback
        m_jobs.cancel(job);
    }
}

void SeriesLoader::previewShown(int target)
{
    auto gate = m_gates.find(target);
    if (gate == m_gates.end()) return;
    {
        std::lock_guard lock(gate->second->mutex);
        gate->second->open = true;
    }
    gate->second->opened.notify_all();
    m_gates.erase(gate);
}

QString SeriesLoader::thumbnail(std::filesystem::path file, int size, std::function<void(const Thumbnail&)> onFinished)
{
    auto picture = std::make_shared<Thumbnail>();
    auto work = [file, size, picture](JobContext&) {
        *picture = makeThumbnail(file, size);
        return JobOutcome::done();
    };
    return m_jobs.start(JobKind::Thumbnail, QString::fromStdString(file.filename().string()), {}, std::move(work),
                        [picture, onFinished = std::move(onFinished)](const JobOutcome&) {
                            if (onFinished) onFinished(*picture);
                        });
}

} // namespace lb::app
