#pragma once
// Imports files, folders and DICOMDIRs into a LocalCache.
//
// Worker threads (one per core) read headers and stage copies; one writer (the calling
// thread) makes each batch durable and indexes it:
//   1. commit pending_files rows for the batch (the intent),
//   2. link each staged file to its final path (never replacing), syncfs,
//   3. commit the instance rows and drop the pending rows, in one transaction.
// A crash anywhere leaves either nothing, or pending rows that recovery turns back into
// nothing; re-running the import then completes it. The same SOP Instance UID with identical
// bytes is "already present"; with different bytes it is a conflict: the first copy stays.
#include "cache/LocalCache.h"
#include "core/CancelToken.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace lb::cache {

struct ImportIssue {
    std::string file;
    std::string reason;
    core::ErrorCode code = core::ErrorCode::Malformed; // why, for callers that answer a peer
};

struct ImportConflict {
    std::string file;
    std::string sopInstanceUid;
    std::string reason;
};

// What an import brought per series: the report names studies and series, not only files.
struct ImportedSeriesTally {
    std::string studyUid;
    int64_t imported = 0;       // new instances
    int64_t alreadyPresent = 0; // identical copies that were there
};

struct ImportReport {
    int64_t filesSeen = 0;
    int64_t imported = 0;
    int64_t alreadyPresent = 0;
    uint64_t bytesImported = 0;
    std::vector<ImportIssue> rejected;
    std::vector<ImportConflict> conflicts;
    std::vector<ImportIssue> warnings; // imported, but with a problem worth showing
    std::map<std::string, ImportedSeriesTally> series; // by series instance UID
    bool cancelled = false;
};

struct ImportProgress {
    int64_t done = 0;
    int64_t total = 0;
};

struct ImportOptions {
    int workerThreads = 0; // 0: one per core
    int batchSize = 500;
    std::function<void(const ImportProgress&)> onProgress; // called at most ~10 times a second
    const core::CancelToken* cancel = nullptr;
    // The inputs are files the cache may take (the network spool, on the cache's file system):
    // they are moved into the store instead of copied. Inputs already present stay where they are.
    bool adoptInputs = false;
    // Up to batchSize inputs are read and indexed on the calling thread, without workers: for
    // callers that import a few files at a time and wait for each (the storage SCP).
    bool onCallingThread = false;
    // What each input must be (a received C-STORE: the request's SOP class and instance): an
    // input whose data set says otherwise is rejected with ErrorCode::DataSetMismatch.
    struct Identity {
        std::string sopClassUid;
        std::string sopInstanceUid;
    };
    std::map<std::filesystem::path, Identity> expected;
};

// Fails only when the cache itself cannot be written (database or store); problems with
// individual input files are in the report.
core::Result<ImportReport> importIntoCache(LocalCache& cache, const std::vector<std::filesystem::path>& inputs,
                                           const ImportOptions& options = {});

} // namespace lb::cache
