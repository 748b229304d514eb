#pragma once
// Rebuilds the index from the file store alone: every file under store/ is read again and
// indexed in one write transaction (the old index stays intact if anything fails). Conflicts
// recorded earlier are kept (they describe files that were never stored).
#include "cache/LocalCache.h"

#include <string>
#include <vector>

namespace lb::cache {

struct RebuildReport {
    int64_t files = 0;
    int64_t indexed = 0;
    std::vector<std::pair<std::string, std::string>> unreadable; // (store path, reason)
    std::vector<std::pair<std::string, std::string>> duplicates; // (store path, SOP Instance UID)
};

core::Result<RebuildReport> rebuildIndex(LocalCache& cache);

} // namespace lb::cache
