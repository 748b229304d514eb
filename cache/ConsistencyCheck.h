#pragma once
// Compares the index with the file store: SQLite's integrity_check, instances whose file is
// missing, files nobody indexed (orphans), size and content-hash mismatches, and stale
// study/series counters. Files a live writer is about to index (pending) are not orphans.
#include "cache/LocalCache.h"

#include <string>
#include <vector>

namespace lb::cache {

struct CheckFinding {
    std::string path; // relative to the store
    std::string detail;
};

struct CheckReport {
    std::string integrity; // "ok" or SQLite's first complaint
    int64_t instances = 0;
    int64_t filesInStore = 0;
    std::vector<CheckFinding> missingFiles;
    std::vector<CheckFinding> orphanFiles;
    std::vector<CheckFinding> sizeMismatches;
    std::vector<CheckFinding> hashMismatches;
    std::vector<CheckFinding> counterMismatches;
    bool hashesVerified = false;

    bool consistent() const
    {
        return integrity == "ok" && missingFiles.empty() && orphanFiles.empty() && sizeMismatches.empty()
            && hashMismatches.empty() && counterMismatches.empty();
    }
};

struct CheckOptions {
    bool verifyHashes = true; // re-read every file (slow on big caches; size is always checked)
};

core::Result<CheckReport> checkCache(LocalCache& cache, const CheckOptions& options = {});

} // namespace lb::cache
