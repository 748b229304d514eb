#include "cache/IncomingSpool.h"

#include "cache/OwnerLock.h"

namespace lb::cache {

core::Result<std::filesystem::path> incomingFolder(LocalCache& cache)
{
    const auto folder = cache.layout().incomingDir() / cache.owner();
    if (auto ok = createPrivateDirectories(folder); !ok) return ok.error();
    return folder;
}

core::Result<ImportReport> importOrphanedIncoming(LocalCache& cache)
{
    ImportReport total;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(cache.layout().incomingDir(), ec)) {
        const std::string owner = entry.path().filename().string();
        if (owner == cache.owner() || OwnerLock::isAlive(cache.layout().locksDir(), owner)) continue;
        // A file still being written when its owner died is still named *.part: incomplete, and
        // the sender never got a success for it.
        std::error_code listError;
        for (const auto& file : std::filesystem::directory_iterator(entry.path(), listError)) {
            std::error_code removeError;
            if (file.path().extension() == ".part") std::filesystem::remove(file.path(), removeError);
        }
        ImportOptions options;
        options.adoptInputs = true; // the spool is ours, on the cache's file system
        auto report = importIntoCache(cache, {entry.path()}, options);
        if (!report) return report.error();
        total.filesSeen += report->filesSeen;
        total.imported += report->imported;
        total.alreadyPresent += report->alreadyPresent;
        total.rejected.insert(total.rejected.end(), report->rejected.begin(), report->rejected.end());
        std::error_code removeError;
        std::filesystem::remove_all(entry.path(), removeError);
    }
    return total;
}

} // namespace lb::cache
