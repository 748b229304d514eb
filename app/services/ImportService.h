#pragma once
// Import of files, folders and DICOMDIRs into the cache, as a job on the board: progress in
// files, cancellable between files, every rejected file named with its reason. Each import
// opens its own LocalCache (its own connection and writer identity), so it never shares a
// transaction with the transfer queue's importer.
#include "app/services/Jobs.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace lb::app {

struct ImportOutcome {
    JobState state = JobState::Done;
    int imported = 0;
    int alreadyPresent = 0;
    std::vector<std::string> rejected; // "file: reason"
    std::string problem;               // why it failed, or the first rejection
};

class ImportService {
public:
    ImportService(std::filesystem::path cacheRoot, JobBoard& jobs);
    // Returns the job's id; `onFinished` runs on the board's thread.
    QString importPaths(const std::vector<std::filesystem::path>& paths, std::function<void(const ImportOutcome&)> onFinished);

private:
    std::filesystem::path m_root;
    JobBoard& m_jobs;
};

} // namespace lb::app
