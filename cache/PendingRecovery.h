#pragma once
// Finishes what dead writers left half done. For every pending_files row of an owner whose
// OwnerLock is gone, the file is removed from the store unless an instance row (or a live
// writer's pending row) refers to it; then the rows, the owner's staging folder and its lock
// file go. Runs when a cache is opened for writing and before a consistency check.
#include "cache/CacheLayout.h"
#include "cache/SqliteConnection.h"

namespace lb::cache {

struct RecoveryReport {
    int deadOwners = 0;
    int removedFiles = 0;    // files that were in the store but never indexed
    int removedStaging = 0;  // staging folders of dead writers
};

core::Result<RecoveryReport> recoverDeadWriters(SqliteConnection& connection, const CacheLayout& layout,
                                                const std::string& selfOwner);

} // namespace lb::cache
