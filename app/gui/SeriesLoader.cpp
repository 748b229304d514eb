#include "app/gui/SeriesLoader.h"

#include "core/VolumeAssembler.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>

#include <thread>

namespace lb::app::gui {

void SeriesLoader::load(std::vector<std::filesystem::path> files, QString label, int target)
{
    QPointer<SeriesLoader> self(this);
    std::thread([self, files = std::move(files), label, target] {
        core::VolumeLoadOptions options;
        options.firstSlice = core::VolumeLoadOptions::FirstSlice::Middle;
        options.onFirstSlice = [self, label, target](std::shared_ptr<const core::Volume> slice) {
            QMetaObject::invokeMethod(qApp, [self, slice, label, target] {
                if (self) emit self->preview(slice, label, target);
            });
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
    }).detach();
}

} // namespace lb::app::gui
