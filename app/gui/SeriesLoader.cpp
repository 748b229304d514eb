#include "app/gui/SeriesLoader.h"

#include "core/VolumeAssembler.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>

#include <thread>

namespace lb::app::gui {

void SeriesLoader::load(std::vector<std::filesystem::path> files, QString label)
{
    QPointer<SeriesLoader> self(this);
    std::thread([self, files = std::move(files), label] {
        core::VolumeLoadOptions options;
        options.firstSlice = core::VolumeLoadOptions::FirstSlice::Middle;
        options.onFirstSlice = [self, label](std::shared_ptr<const core::Volume> slice) {
            QMetaObject::invokeMethod(qApp, [self, slice, label] {
                if (self) emit self->preview(slice, label);
            });
        };
        auto loaded = core::assembleVolumes(files, options);
        std::shared_ptr<const core::Volume> largest;
        QString problem;
        if (!loaded) problem = QString::fromStdString(loaded.error().message());
        else
            for (const auto& volume : loaded->volumes)
                if (!largest || volume->voxelCount() > largest->voxelCount()) largest = volume;
        if (loaded && !largest) problem = label + ": no image in this series";
        QMetaObject::invokeMethod(qApp, [self, largest, label, problem] {
            if (!self) return;
            if (largest) emit self->loaded(largest, label);
            else emit self->failed(problem);
        });
    }).detach();
}

} // namespace lb::app::gui
