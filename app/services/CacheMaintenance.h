#pragma once
// Cache maintenance as the workstation offers it: delete a study, keep the cache under its size
// limit (the oldest studies go, never one on screen or one that arrived this session), and check
// that a series' stored files are still the bytes that were imported. Each writer opens its own
// LocalCache (its own connection and writer identity): the transfer queue's importer writes
// through the workstation's.
#include "core/CancelToken.h"
#include "core/Result.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace lb::app {

struct PruneOutcome {
    int studiesRemoved = 0;
    double megabytesFreed = 0;
    int64_t limitBytes = 0; // 0: no limit set, nothing done
};

// What a check of one series found, ready for the user: "1 file changed since import
// (instance 14); 2 files missing from the store (instances 3, 4)" and one line per file.
struct StoredFilesReport {
    std::string summary; // "" when every file is as imported
    std::vector<std::string> details;
};

// The kinds of damage a stored file can have, for `describeStoredFiles` (and its tests).
struct StoredFileProblemEntry {
    std::string kind; // "changed", "missing", "unreadable"
    std::string instance; // instance number, or SOP Instance UID when it has none
    std::string reason;
};
StoredFilesReport describeStoredFiles(const std::vector<StoredFileProblemEntry>& problems);

class CacheMaintenance {
public:
    explicit CacheMaintenance(std::filesystem::path cacheRoot);

    // The nodes this cache knows to hold the study (cache/TransferJobs.h: retrieved from, sent to,
    // listed by), among `configuredNodes` only: what the delete confirmation may promise.
    core::Result<std::vector<std::string>> knownHolders(const std::string& studyUid, const std::vector<std::string>& configuredNodes) const;
    // The number of instances removed.
    core::Result<int> deleteStudy(const std::string& studyUid) const;
    core::Result<PruneOutcome> pruneToLimit(const std::set<std::string>& keepStudies, const std::string& keepAddedSince) const;
    core::Result<StoredFilesReport> checkStoredFiles(const std::string& seriesUid, const core::CancelToken* cancel) const;

    std::optional<int64_t> limitBytes() const; // 0 or none: no limit
    std::optional<int64_t> usageBytes() const;
    core::Status setLimitMegabytes(int megabytes) const;

private:
    std::filesystem::path m_root;
};

} // namespace lb::app
