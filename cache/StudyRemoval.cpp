#include "cache/StudyRemoval.h"

#include "cache/StudyIndex.h"

namespace lb::cache {

namespace {

template <typename DeleteRows>
core::Result<RemovalReport> removeWith(LocalCache& cache, DeleteRows deleteRows)
{
    StudyIndex index(cache.connection());
    std::vector<std::string> paths;
    {
        auto transaction = WriteTransaction::begin(cache.connection());
        if (!transaction) return transaction.error();
        auto removed = deleteRows(index);
        if (!removed) return removed.error();
        paths = std::move(*removed);
        for (const auto& path : paths)
            if (auto ok = index.addPending(path, cache.owner()); !ok) return ok.error();
        if (auto ok = transaction->commit(); !ok) return ok.error();
    }
    RemovalReport report;
    report.instances = static_cast<int64_t>(paths.size());
    for (const auto& path : paths) {
        std::error_code ec;
        if (std::filesystem::remove(cache.store().absolutePath(path), ec)) ++report.filesRemoved;
    }
    auto transaction = WriteTransaction::begin(cache.connection());
    if (!transaction) return transaction.error();
    for (const auto& path : paths)
        if (auto ok = index.removePending(path, cache.owner()); !ok) return ok.error();
    if (auto ok = transaction->commit(); !ok) return ok.error();
    return report;
}

} // namespace

core::Result<RemovalReport> removeStudy(LocalCache& cache, const std::string& studyUid)
{
    return removeWith(cache, [&](StudyIndex& index) { return index.deleteStudy(studyUid); });
}

core::Result<RemovalReport> removeSeries(LocalCache& cache, const std::string& seriesUid)
{
    return removeWith(cache, [&](StudyIndex& index) { return index.deleteSeries(seriesUid); });
}

} // namespace lb::cache
