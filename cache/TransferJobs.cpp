#include "cache/TransferJobs.h"

#include <ctime>

namespace lb::cache {
namespace {

constexpr const char* kColumns = "id, kind, node, study_uid, series_uid, method, priority, state, attempts, done, total, "
                                 "last_error, created_at, updated_at";

TransferJobRecord jobFrom(const SqliteStatement& row)
{
    TransferJobRecord job;
    job.id = row.integer(0);
    job.kind = row.text(1);
    job.node = row.text(2);
    job.studyUid = row.text(3);
    job.seriesUid = row.text(4);
    job.method = row.text(5);
    job.priority = static_cast<int>(row.integer(6));
    job.state = row.text(7);
    job.attempts = static_cast<int>(row.integer(8));
    job.done = static_cast<int>(row.integer(9));
    job.total = static_cast<int>(row.integer(10));
    job.lastError = row.text(11);
    job.createdAt = row.integer(12);
    job.updatedAt = row.integer(13);
    return job;
}

int64_t now()
{
    return static_cast<int64_t>(std::time(nullptr));
}

} // namespace

core::Result<int64_t> addTransferJob(SqliteConnection& connection, const TransferJobRecord& job)
{
    auto statement = connection.prepare(
        "INSERT INTO transfer_jobs (kind, node, study_uid, series_uid, method, priority, state, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?)");
    if (!statement) return statement.error();
    statement->bind(1, job.kind).bind(2, job.node).bind(3, job.studyUid).bind(4, job.seriesUid).bind(5, job.method);
    statement->bind(6, job.priority).bind(7, now()).bind(8, now());
    if (auto ok = statement->run(); !ok) return ok.error();
    return connection.lastInsertRowId();
}

core::Result<std::vector<TransferJobRecord>> listTransferJobs(SqliteConnection& connection)
{
    auto statement = connection.prepare(std::string("SELECT ") + kColumns +
                                        " FROM transfer_jobs ORDER BY state NOT IN ('queued', 'running'), "
                                        "priority DESC, id");
    if (!statement) return statement.error();
    std::vector<TransferJobRecord> jobs;
    if (auto ok = statement->forEachRow([&](const SqliteStatement& row) { jobs.push_back(jobFrom(row)); }); !ok)
        return ok.error();
    return jobs;
}

core::Result<std::optional<TransferJobRecord>> findTransferJob(SqliteConnection& connection, int64_t id)
{
    auto statement = connection.prepare(std::string("SELECT ") + kColumns + " FROM transfer_jobs WHERE id = ?");
    if (!statement) return statement.error();
    statement->bind(1, id);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return std::optional<TransferJobRecord>();
    return std::optional<TransferJobRecord>(jobFrom(statement.value()));
}

core::Status updateTransferJob(SqliteConnection& connection, const TransferJobRecord& job)
{
    auto statement = connection.prepare(
        "UPDATE transfer_jobs SET priority = ?, state = ?, attempts = ?, done = ?, total = ?, last_error = ?, "
        "updated_at = ? WHERE id = ?");
    if (!statement) return statement.error();
    statement->bind(1, job.priority).bind(2, job.state).bind(3, job.attempts).bind(4, job.done).bind(5, job.total);
    statement->bind(6, job.lastError).bind(7, now()).bind(8, job.id);
    return statement->run();
}

core::Status updateTransferJobProgress(SqliteConnection& connection, int64_t id, int64_t done, int64_t total)
{
    auto statement = connection.prepare("UPDATE transfer_jobs SET done = ?, total = ?, updated_at = ? WHERE id = ?");
    if (!statement) return statement.error();
    statement->bind(1, done).bind(2, total).bind(3, now()).bind(4, id);
    return statement->run();
}

namespace {

core::Result<TransferJobRecord> existingJob(SqliteConnection& connection, int64_t id)
{
    auto job = findTransferJob(connection, id);
    if (!job) return job.error();
    if (!*job) return core::makeError(core::ErrorCode::NotFound, "job " + std::to_string(id), "no such job");
    return **job;
}

} // namespace

core::Result<TransferJobRecord> cancelTransferJob(SqliteConnection& connection, int64_t id)
{
    auto job = existingJob(connection, id);
    if (!job) return job;
    if (job->state != "queued" && job->state != "running") return job;
    job->state = "cancelled";
    if (auto ok = updateTransferJob(connection, *job); !ok) return ok.error();
    return job;
}

core::Result<TransferJobRecord> retryTransferJob(SqliteConnection& connection, int64_t id)
{
    auto job = existingJob(connection, id);
    if (!job) return job;
    if (job->state != "failed" && job->state != "cancelled")
        return core::makeError(core::ErrorCode::InvalidArgument, "job " + std::to_string(id),
                               "only a failed or cancelled job can be retried (it is " + job->state + ")");
    job->state = "queued";
    job->lastError.clear();
    if (auto ok = updateTransferJob(connection, *job); !ok) return ok.error();
    return job;
}

core::Result<TransferJobRecord> setTransferJobPriority(SqliteConnection& connection, int64_t id, int priority)
{
    auto job = existingJob(connection, id);
    if (!job) return job;
    job->priority = priority;
    if (auto ok = updateTransferJob(connection, *job); !ok) return ok.error();
    return job;
}

core::Result<int> requeueInterruptedJobs(SqliteConnection& connection)
{
    if (auto ok = connection.execute("UPDATE transfer_jobs SET state = 'queued' WHERE state = 'running'"); !ok)
        return ok.error();
    return connection.changes();
}

core::Status recordExpectedInstances(SqliteConnection& connection, const std::string& seriesUid,
                                     const std::string& studyUid, const std::string& node, int instances)
{
    auto statement = connection.prepare(
        "INSERT OR REPLACE INTO series_expected (series_uid, study_uid, node, instances) VALUES (?, ?, ?, ?)");
    if (!statement) return statement.error();
    statement->bind(1, seriesUid).bind(2, studyUid).bind(3, node).bind(4, instances);
    return statement->run();
}

core::Result<std::vector<StudyHolderRecord>> studyHolders(SqliteConnection& connection, const std::string& studyUid)
{
    auto statement = connection.prepare(
        "SELECT node, CASE kind WHEN 'retrieve' THEN 'retrieved from' ELSE 'sent to' END, MIN(series_uid) = '', MAX(updated_at)"
        " FROM transfer_jobs WHERE study_uid = ?1 AND state = 'done' GROUP BY node, kind"
        " UNION ALL SELECT node, 'listed by', 0, 0 FROM series_expected WHERE study_uid = ?1 GROUP BY node");
    if (!statement) return statement.error();
    statement->bind(1, studyUid);
    std::vector<StudyHolderRecord> holders;
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        holders.push_back({statement->text(0), statement->text(1), statement->integer(2) != 0, statement->integer(3)});
    }
    return holders;
}

core::Result<int> expectedInstances(SqliteConnection& connection, const std::string& seriesUid)
{
    auto statement = connection.prepare("SELECT instances FROM series_expected WHERE series_uid = ?");
    if (!statement) return statement.error();
    statement->bind(1, seriesUid);
    auto row = statement->step();
    if (!row) return row.error();
    return *row ? static_cast<int>(statement->integer(0)) : -1;
}

} // namespace lb::cache
