#include "app/gui/SeriesLoader.h"
#include "app/gui/Background.h"

#include "core/VolumeAssembler.h"
#include "render/RegularGrid.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>


namespace lb::app::gui {

void SeriesLoader::load(std::vector<std::filesystem::path> files, QString label, int target)
{
    QPointer<SeriesLoader> self(this);
    auto gate = std::make_shared<Gate>();
    if (auto previous = m_gates.find(target); previous != m_gates.end()) previewShown(target); // never leave one waiting
    m_gates[target] = gate;
    runInBackground([self, files = std::move(files), label, target, gate] {
        core::VolumeLoadOptions options;
        options.firstSlice = core::VolumeLoadOptions::FirstSlice::Middle;
        options.onFirstSlice = [self, label, target, gate](std::shared_ptr<const core::Volume> slice) {
            QMetaObject::invokeMethod(qApp, [self, slice, label, target] {
                if (self) emit self->preview(slice, label, target);
            });
            std::unique_lock lock(gate->mutex);
            gate->opened.wait_for(lock, std::chrono::milliseconds(kPreviewWaitMs), [&] { return gate->open; });
        };
        auto loaded = core::assembleVolumes(files, options);
        std::shared_ptr<const core::Volume> largest = loaded ? core::largestVolume(*loaded) : nullptr;
        QString problem;
        if (!loaded) problem = QString::fromStdString(loaded.error().message());
        if (loaded && !largest) problem = label + ": no image in this series";
        QMetaObject::invokeMethod(qApp, [self, largest, label, problem, target] {
            if (!self) return;
            if (largest) emit self->loaded(largest, label, target);
            else emit self->failed(problem, target);
        });
        if (largest && !largest->regularGrid) {
            auto grid = render::onRegularGrid(largest);
            if (!grid || *grid == largest) return;
            QMetaObject::invokeMethod(qApp, [self, largest, grid = *grid, target] {
                if (self) emit self->regularGrid(largest, grid, target);
            });
        }
    });
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

} // namespace lb::app::gui
