#pragma once
// Series -> volumes: reads the frames of the given files (in parallel), splits them into
// stacks, sorts each stack (see SliceSorter), picks the voxel type, allocates one buffer per
// volume and decodes the files into it in parallel. Problems that do not stop a volume
// (variable increment, missing slices, tilt, files that could not be read) travel with it as
// warnings, one line per kind; slices keep the positions their files give (Volume.h).
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
    bool markFirstSliceOnly = false; // set on the preview's own load: its volume says so

    // How a file that could not be read is named in the volume's warning ("I140 (instance 14)"):
    // a cache knows the instance number of a file whose header no longer reads. Default: the
    // file name, with the instance number when the header gave one.
    std::function<std::string(const std::filesystem::path&)> describeFile;

    // Called once per volume after the whole series is assembled, before the volumes are
    // shared (still the assembler's to change): the caller adds what it knows, e.g. the cache's
    // check of its stored files against their import fingerprints. `skippedFiles` as in
    // LoadedVolumes.
    std::function<void(Volume& volume, const std::vector<std::string>& skippedFiles)> finishVolume;
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
