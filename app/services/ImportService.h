#pragma once
// Import of files, folders and DICOMDIRs into the cache: as a job on the board (the
// workstation: progress in files, cancellable between files) or at once (the CLI). Every
// rejected file is named with its reason. Each import opens its own LocalCache (its own
// connection and writer identity), so it never shares a transaction with the transfer queue's
// importer.
#include "app/services/Jobs.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace lb::app {

struct ImportedFileNote {
    std::string file;
    std::string reason;
    std::string sopInstanceUid; // conflicts: the instance whose stored copy differs
};

// One series an import brought in or found already there.
struct ImportedSeries {
    std::string studyUid;
    std::string seriesUid;
    int64_t imported = 0;
    int64_t alreadyPresent = 0;
};

struct ImportOutcome {
    JobState state = JobState::Done;
    int64_t filesSeen = 0;
    int64_t imported = 0;
    int64_t alreadyPresent = 0;
    uint64_t bytesImported = 0;
    std::vector<ImportedFileNote> rejected;  // not imported, with why
    std::vector<ImportedFileNote> conflicts; // same UID, other content: kept in quarantine
    std::vector<ImportedFileNote> warnings;  // imported, with a problem worth showing
    std::vector<ImportedSeries> series;      // what came in, per series (in series UID order)
    std::string problem;                     // why it failed, or the first rejection
};

class ImportService {
public:
    ImportService(std::filesystem::path cacheRoot, JobBoard& jobs);
    // Returns the job's id; `onFinished` runs on the board's thread.
    QString importPaths(const std::vector<std::filesystem::path>& paths, std::function<void(const ImportOutcome&)> onFinished);

    // On this thread, now (the CLI). Fails when the cache cannot be opened or written.
    static core::Result<ImportOutcome> importNow(const std::filesystem::path& cacheRoot, const std::vector<std::filesystem::path>& paths,
                                                 const std::function<void(int64_t done, int64_t total)>& onProgress = {},
                                                 const core::CancelToken* cancel = nullptr);

private:
    std::filesystem::path m_root;
    JobBoard& m_jobs;
};

} // namespace lb::app
