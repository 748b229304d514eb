#pragma once
// Series -> volumes: reads the frames of the given files (in parallel), splits them into
// stacks, sorts each stack (see SliceSorter), picks the voxel type, allocates one buffer per
// volume and decodes the files into it in parallel. Problems that do not stop a volume
// (irregular spacing, tilt, files that could not be read) travel with it as warnings.
//
// Voxel type: float32 when a rescale slope or intercept is not an integer; otherwise the
// smallest of int16, uint16, int32 that holds every modality value the stored bits allow.
#include "core/CancelToken.h"
#include "core/Result.h"
#include "core/Volume.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

namespace lb::core {

struct VolumeLoadOptions {
    int threads = 0; // 0: one per core
    const CancelToken* cancel = nullptr;
    std::function<void(int done, int total)> onProgress; // files decoded

    // A first image to show while the rest loads: the first or the middle file of the list
    // (file order; slice positions are known only once every header is read), decoded on its
    // own before anything else and handed over as a one-slice volume.
    enum class FirstSlice { None, First, Middle };
    FirstSlice firstSlice = FirstSlice::None;
    std::function<void(std::shared_ptr<const Volume>)> onFirstSlice;
};

struct LoadedVolumes {
    std::vector<std::shared_ptr<const Volume>> volumes;
    std::vector<std::string> skippedFiles; // "file: reason" for files that give no image frames
};

// The stack a viewer opens when a series holds several: the one with the most voxels (the
// axial series rather than its localizer). Null when there is none.
std::shared_ptr<const Volume> largestVolume(const LoadedVolumes& loaded);

Result<LoadedVolumes> assembleVolumes(const std::vector<std::filesystem::path>& files, const VolumeLoadOptions& options = {});

} // namespace lb::core
