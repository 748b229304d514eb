#include "app/cli/SeriesInput.h"

#include "app/cli/CliOutput.h"
#include "cache/InputCollector.h"
#include "cache/LocalCache.h"
#include "cache/StudyQuery.h"

namespace lb::app::cli {

// The files of a series in the cache, or of a file/folder/DICOMDIR on disk.
std::optional<std::vector<std::filesystem::path>> inputFiles(const CliOptions& options, int& exitCode)
{
    const std::string& target = options.arguments[0];
    std::error_code ec;
    if (std::filesystem::exists(target, ec)) return cache::collectImportInputs({target}).files;
    auto cache = cache::LocalCache::openForReading(options.cacheDir);
    if (!cache) {
        exitCode = fail(cache.error());
        return std::nullopt;
    }
    auto rows = cache::StudyQuery((*cache)->connection()).instances(target);
    if (!rows) {
        exitCode = fail(rows.error());
        return std::nullopt;
    }
    if (rows->empty()) {
        exitCode = fail(target + ": neither a file or folder nor a series in the cache", kExitNotFound);
        return std::nullopt;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& row : *rows) files.push_back((*cache)->store().absolutePath(row.filePath));
    return files;
}

std::shared_ptr<const core::Volume> chooseStack(const core::LoadedVolumes& loaded, std::optional<int> stack)
{
    if (stack) return *stack >= 0 && *stack < static_cast<int>(loaded.volumes.size()) ? loaded.volumes[*stack] : nullptr;
    return core::largestVolume(loaded);
}

std::shared_ptr<const core::Volume> loadStack(const CliOptions& options, std::optional<int> stack, int& exitCode)
{
    auto files = inputFiles(options, exitCode);
    if (!files) return nullptr;
    auto loaded = core::assembleVolumes(*files);
    if (!loaded) {
        exitCode = fail(loaded.error());
        return nullptr;
    }
    auto volume = chooseStack(*loaded, stack);
    if (!volume) exitCode = fail("no such stack (see `lightbox-cli volume`)", kExitNotFound);
    return volume;
}

} // namespace lb::app::cli
