#pragma once
// The persisted transfer queue and the expected instance counts of series being retrieved
// (migrations/003_transfer_jobs.sql). Plain records; the queue's behaviour is in the app.
#include "cache/SqliteConnection.h"

#include <optional>
#include <string>
#include <vector>

namespace lb::cache {

struct TransferJobRecord {
    int64_t id = 0;
    std::string kind; // "retrieve" | "send"
    std::string node;
    std::string studyUid;
    std::string seriesUid;
    std::string method; // "" (the node's), "move", "get"
    int priority = 0;
    std::string state = "queued"; // queued | running | done | failed | cancelled
    int attempts = 0;
    int done = 0;
    int total = -1;
    std::string lastError;
    int64_t createdAt = 0;
    int64_t updatedAt = 0;
};

// Returns the new job's id.
core::Result<int64_t> addTransferJob(SqliteConnection& connection, const TransferJobRecord& job);
// Every job, queued and running first (by priority, then age), then the finished ones.
core::Result<std::vector<TransferJobRecord>> listTransferJobs(SqliteConnection& connection);
core::Result<std::optional<TransferJobRecord>> findTransferJob(SqliteConnection& connection, int64_t id);
core::Status updateTransferJob(SqliteConnection& connection, const TransferJobRecord& job);
// Progress only (done, total): never the state, which another process may have just set (a
// cancel from `queue cancel` was overwritten back to "running" by the runner's next progress
// write and never seen).
core::Status updateTransferJobProgress(SqliteConnection& connection, int64_t id, int64_t done, int64_t total);
// The user's verbs, valid from any process (a running queue polls for cancels):
// queued/running -> cancelled (other states unchanged); failed/cancelled -> queued (an
// InvalidArgument error otherwise); a new priority. NotFound for an unknown id.
core::Result<TransferJobRecord> cancelTransferJob(SqliteConnection& connection, int64_t id);
core::Result<TransferJobRecord> retryTransferJob(SqliteConnection& connection, int64_t id);
core::Result<TransferJobRecord> setTransferJobPriority(SqliteConnection& connection, int64_t id, int priority);
// Jobs a dead process left 'running' go back to 'queued'. Returns how many.
core::Result<int> requeueInterruptedJobs(SqliteConnection& connection);

// What this cache knows of a study's copies on other nodes: a finished retrieve from a node or
// send to it, or a node whose C-FIND listed its series (series_expected). A record, not a
// check: the node may have lost it since. `wholeStudy` false: only some of its series.
struct StudyHolderRecord {
    std::string node;
    std::string how; // "retrieved from", "sent to", "listed by"
    bool wholeStudy = true;
    int64_t when = 0; // unix seconds of the transfer (0 for "listed by")
};
core::Result<std::vector<StudyHolderRecord>> studyHolders(SqliteConnection& connection, const std::string& studyUid);

core::Status recordExpectedInstances(SqliteConnection& connection, const std::string& seriesUid,
                                     const std::string& studyUid, const std::string& node, int instances);
// -1 when no node ever said.
core::Result<int> expectedInstances(SqliteConnection& connection, const std::string& seriesUid);

} // namespace lb::cache
