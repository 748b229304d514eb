#pragma once
// Are the stored files of a series still the bytes that were imported? Every instance row keeps
// the size and the 64-bit ContentHash of the file as it was staged (FileStore::stage); a disk
// error, a tool that rewrote a file or a copy cut short since then would otherwise be displayed
// (changed pixels) or dropped (a file that no longer reads) without a word.
//
// Per file, cheapest first:
//   1. stat: no file                          -> Missing    "missing from the store"
//            stat fails otherwise, not a file -> Unreadable "cannot be read: <system reason>"
//   2. size differs from the import           -> Changed    "truncated: 1234 of 5678 bytes" /
//                                                           "5700 bytes, 5678 at import"
//   3. read and hash (skipped with verifyContent = false):
//            read fails                       -> Unreadable "cannot be read: <system reason>"
//            hash differs                     -> Changed    "changed on disk since import (content differs)"
// A file that is as imported gives no finding.
//
// Cost (bench/stored_file_check_bench, 2 cores): the hash runs at ~5 GB/s per core, so right
// after a load, with the bytes in the page cache, the check of the 28-file CT of tests/data
// (15 MB) takes 2-4 ms beside a 19-31 ms load (12-14 %), of the 130-file MP-RAGE (19 MB) 4-8 ms
// beside 73-180 ms (5-6 %). On cold files it reads them from disk itself: run it after the
// load, not before. Sizes only (no read): under 1 ms for either. Files are checked on up to
// hardware_concurrency threads; the CancelToken is polled between reads (1 MiB).
#include "cache/FileStore.h"
#include "cache/StudyQuery.h"
#include "core/CancelToken.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lb::cache {

enum class StoredFileProblem {
    Changed,    // size or content differs from the import
    Missing,    // no file at its store path
    Unreadable, // there, but the system refuses to read it (I/O error, permissions)
};
const char* storedFileProblemName(StoredFileProblem problem); // "changed", "missing", "unreadable"

struct StoredFileFinding {
    std::string sopInstanceUid;
    std::optional<int> instanceNumber;
    std::string filePath; // relative to the store
    StoredFileProblem kind = StoredFileProblem::Changed;
    std::string reason;   // plain English, e.g. "truncated: 1234 of 5678 bytes"
};

struct StoredFileCheckOptions {
    int threads = 0; // 0: one per core
    const core::CancelToken* cancel = nullptr;
    bool verifyContent = true; // false: existence and size only (one stat per file, no read)
};

// Findings in the order of `rows`. Fails only when cancelled.
core::Result<std::vector<StoredFileFinding>> checkStoredFiles(const std::filesystem::path& storeDir,
                                                             const std::vector<InstanceRow>& rows,
                                                             const StoredFileCheckOptions& options = {});
inline core::Result<std::vector<StoredFileFinding>> checkStoredFiles(const FileStore& store, const std::vector<InstanceRow>& rows,
                                                                    const StoredFileCheckOptions& options = {})
{
    return checkStoredFiles(store.storeDir(), rows, options);
}

// How an instance of the cache is named to the user: "instance 14 (1.2.840...)", or its SOP
// Instance UID alone when it has no instance number.
std::string describeStoredInstance(std::optional<int> instanceNumber, const std::string& sopInstanceUid);

} // namespace lb::cache
