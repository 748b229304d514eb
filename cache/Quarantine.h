#pragma once
// Quarantine: files the cache refused to file but must not lose — an instance that conflicts
// with what is cached (another patient's study, another study's series, the same SOP Instance
// UID with other bytes) and what a receiver that died left in its spool. Each is kept, durably,
// as <cache>/quarantine/<name>.dcm with a row saying why, until the user restores it (the
// import is tried again: a conflict stays one until the other study is deleted) or purges it.
// Nothing is taken out of quarantine automatically.
#include "cache/Importer.h"
#include "cache/LocalCache.h"

#include <optional>
#include <string>
#include <vector>

namespace lb::cache {

struct QuarantineFacts {
    std::string reason;
    std::string patientId; // as the file says (shown to the user deciding; never logged)
    std::string studyUid;
    std::string sopUid;
    std::string contentHash;
    std::string source; // the path it was imported from, or who sent it
};

struct QuarantineEntry {
    int64_t id = 0;
    std::string fileName; // inside quarantine/
    QuarantineFacts facts;
    std::string receivedAt; // UTC, ISO 8601
};

// Moves `file` (on the cache's file system, durable already) into quarantine/ and records it,
// inside the caller's write transaction when there is one. The same SOP Instance UID with the
// same bytes is kept once: a second copy is deleted and the first entry's id returned.
core::Result<int64_t> quarantineFile(LocalCache& cache, const std::filesystem::path& file, const QuarantineFacts& facts);

core::Result<std::vector<QuarantineEntry>> listQuarantine(LocalCache& cache);
core::Result<int64_t> quarantineCount(LocalCache& cache);
core::Result<int64_t> quarantineCount(SqliteConnection& reader); // from any connection to the index

struct RestoreOutcome {
    bool restored = false;  // in the cache now (imported, or an identical copy was there)
    std::string problem;    // why not (the conflict, or the file's fault)
};
// Imports entry `id` again; on success the entry and its file are gone.
core::Result<RestoreOutcome> restoreQuarantined(LocalCache& cache, int64_t id);

// Deletes entry `id` (or all when empty) and its file. NotFound for an unknown id.
core::Result<int64_t> purgeQuarantine(LocalCache& cache, std::optional<int64_t> id);

// What dead receivers left in incoming/<owner>/ (never acknowledged to their senders) goes to
// quarantine; unfinished *.part files are deleted. Returns how many files were quarantined.
core::Result<int64_t> quarantineOrphanedIncoming(LocalCache& cache);

} // namespace lb::cache
