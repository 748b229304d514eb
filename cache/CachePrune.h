#pragma once
// Keeps the cache under a size limit: whole studies go, the least recently added first (the
// archive holds the originals; the cache is a copy), never a study the caller is showing or
// one added since a time it names (the workstation: since it started, so nothing a user just
// imported or retrieved disappears under them).
// Each removal is StudyRemoval's (journalled, crash safe). The limit is the cache setting
// `cache-limit-mb` (0 or absent: no limit).
#include "cache/LocalCache.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace lb::cache {

inline constexpr const char* kCacheLimitSetting = "cache-limit-mb";

// Bytes of every stored instance file, as the index records them.
core::Result<uint64_t> cacheUsageBytes(SqliteConnection& connection);
// The `cache-limit-mb` setting in bytes; 0 when not set.
core::Result<uint64_t> cacheLimitBytes(SqliteConnection& connection);

struct PruneReport {
    std::vector<std::string> removedStudies;
    uint64_t bytesFreed = 0;
    uint64_t usageBytes = 0; // after
};

struct PruneOptions {
    std::set<std::string> keepStudies;  // on screen
    std::string keepAddedSince;         // "YYYY-MM-DDTHH:MM:SSZ" (UTC): studies added since stay too
};

core::Result<PruneReport> pruneToLimit(LocalCache& cache, uint64_t limitBytes, const PruneOptions& options = {});

} // namespace lb::cache
