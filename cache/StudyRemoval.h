#pragma once
// Deletes a study or a series: index rows and files together. The removed files' paths are
// journalled in pending_files in the same transaction that drops the rows, then unlinked, then
// the journal rows go; a crash in between leaves pending rows that recovery completes.
#include "cache/LocalCache.h"

#include <string>

namespace lb::cache {

struct RemovalReport {
    int64_t instances = 0;
    int64_t filesRemoved = 0;
};

core::Result<RemovalReport> removeStudy(LocalCache& cache, const std::string& studyUid);
core::Result<RemovalReport> removeSeries(LocalCache& cache, const std::string& seriesUid);

} // namespace lb::cache
