#include "cache/Quarantine.h"

#include "cache/OwnerLock.h"
#include "core/DicomHeaderReader.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lb::cache {
namespace {

core::Error ioError(const std::filesystem::path& path, const std::string& what)
{
    return core::makeError(core::ErrorCode::Io, path.string(), what + ": " + std::strerror(errno));
}

// A new directory entry is durable once its folder is synced.
core::Status syncFolder(const std::filesystem::path& folder)
{
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return ioError(folder, "cannot open folder");
    const int synced = ::fsync(fd);
    ::close(fd);
    if (synced != 0) return ioError(folder, "fsync failed");
    return {};
}

std::string uniqueName(const std::string& owner)
{
    static std::atomic<uint64_t> counter{0};
    return owner + "-" + std::to_string(::time(nullptr)) + "-" + std::to_string(counter.fetch_add(1)) + ".dcm";
}

core::Result<std::optional<int64_t>> existingEntry(LocalCache& cache, const QuarantineFacts& facts)
{
    if (facts.sopUid.empty() || facts.contentHash.empty()) return std::optional<int64_t>();
    auto select = cache.connection().prepare("SELECT id FROM quarantine WHERE sop_uid=?1 AND content_hash=?2");
    if (!select) return select.error();
    select->bind(1, facts.sopUid).bind(2, facts.contentHash);
    auto row = select->step();
    if (!row) return row.error();
    if (!*row) return std::optional<int64_t>();
    return std::optional<int64_t>(select->integer(0));
}

QuarantineEntry entryFrom(const SqliteStatement& row)
{
    QuarantineEntry entry;
    entry.id = row.integer(0);
    entry.fileName = row.text(1);
    entry.facts.reason = row.text(2);
    entry.receivedAt = row.text(3);
    entry.facts.patientId = row.text(4);
    entry.facts.studyUid = row.text(5);
    entry.facts.sopUid = row.text(6);
    entry.facts.contentHash = row.text(7);
    entry.facts.source = row.text(8);
    return entry;
}

constexpr const char* kSelectEntries = "SELECT id, file_name, reason, received_at, patient_id, study_uid, sop_uid,"
                                       " content_hash, source FROM quarantine";

} // namespace

core::Result<int64_t> quarantineFile(LocalCache& cache, const std::filesystem::path& file, const QuarantineFacts& facts)
{
    auto existing = existingEntry(cache, facts);
    if (!existing) return existing.error();
    if (*existing) {
        ::unlink(file.c_str());
        return **existing;
    }
    const std::filesystem::path folder = cache.layout().quarantineDir();
    if (auto ok = createPrivateDirectories(folder); !ok) return ok.error();
    const std::string name = uniqueName(cache.owner());
    if (::rename(file.c_str(), (folder / name).c_str()) != 0) return ioError(file, "cannot move into quarantine");
    ::chmod((folder / name).c_str(), 0600);
    if (auto ok = syncFolder(folder); !ok) return ok.error();
    auto insert = cache.connection().prepare("INSERT INTO quarantine(file_name, reason, patient_id, study_uid, sop_uid,"
                                             " content_hash, source) VALUES(?1,?2,?3,?4,?5,?6,?7)");
    if (!insert) return insert.error();
    insert->bind(1, name).bind(2, facts.reason).bind(3, facts.patientId).bind(4, facts.studyUid).bind(5, facts.sopUid)
        .bind(6, facts.contentHash).bind(7, facts.source);
    if (auto ok = insert->run(); !ok) return ok.error();
    return cache.connection().lastInsertRowId();
}

core::Result<std::vector<QuarantineEntry>> listQuarantine(LocalCache& cache)
{
    auto select = cache.connection().prepare(std::string(kSelectEntries) + " ORDER BY id");
    if (!select) return select.error();
    std::vector<QuarantineEntry> entries;
    if (auto ok = select->forEachRow([&](const SqliteStatement& row) { entries.push_back(entryFrom(row)); }); !ok)
        return ok.error();
    return entries;
}

core::Result<int64_t> quarantineCount(LocalCache& cache)
{
    return quarantineCount(cache.connection());
}

core::Result<int64_t> quarantineCount(SqliteConnection& reader)
{
    auto select = reader.prepare("SELECT count(*) FROM quarantine");
    if (!select) return select.error();
    auto row = select->step();
    if (!row) return row.error();
    return select->integer(0);
}

namespace {

core::Result<QuarantineEntry> findEntry(LocalCache& cache, int64_t id)
{
    auto select = cache.connection().prepare(std::string(kSelectEntries) + " WHERE id=?1");
    if (!select) return select.error();
    select->bind(1, id);
    auto row = select->step();
    if (!row) return row.error();
    if (!*row) return core::makeError(core::ErrorCode::NotFound, "quarantine " + std::to_string(id), "no such entry");
    return entryFrom(*select);
}

core::Status removeEntry(LocalCache& cache, const QuarantineEntry& entry)
{
    auto remove = cache.connection().prepare("DELETE FROM quarantine WHERE id=?1");
    if (!remove) return remove.error();
    remove->bind(1, entry.id);
    if (auto ok = remove->run(); !ok) return ok;
    std::error_code ec;
    std::filesystem::remove(cache.layout().quarantineDir() / entry.fileName, ec);
    return {};
}

} // namespace

core::Result<RestoreOutcome> restoreQuarantined(LocalCache& cache, int64_t id)
{
    auto entry = findEntry(cache, id);
    if (!entry) return entry.error();
    const std::filesystem::path file = cache.layout().quarantineDir() / entry->fileName;
    ImportOptions options;
    options.workerThreads = 1;
    auto report = importIntoCache(cache, {file}, options); // a copy: the entry keeps its file until it is in
    if (!report) return report.error();
    RestoreOutcome outcome;
    if (report->imported + report->alreadyPresent == 1) {
        outcome.restored = true;
        if (auto ok = removeEntry(cache, *entry); !ok) return ok.error();
        return outcome;
    }
    if (!report->conflicts.empty()) outcome.problem = report->conflicts.front().reason;
    else if (!report->rejected.empty()) outcome.problem = report->rejected.front().reason;
    else outcome.problem = "not imported";
    return outcome;
}

core::Result<int64_t> purgeQuarantine(LocalCache& cache, std::optional<int64_t> id)
{
    std::vector<QuarantineEntry> entries;
    if (id) {
        auto entry = findEntry(cache, *id);
        if (!entry) return entry.error();
        entries.push_back(std::move(*entry));
    } else {
        auto all = listQuarantine(cache);
        if (!all) return all.error();
        entries = std::move(*all);
    }
    for (const auto& entry : entries)
        if (auto ok = removeEntry(cache, entry); !ok) return ok.error();
    return static_cast<int64_t>(entries.size());
}

core::Result<int64_t> quarantineOrphanedIncoming(LocalCache& cache)
{
    int64_t moved = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(cache.layout().incomingDir(), ec)) {
        const std::string owner = entry.path().filename().string();
        if (owner == cache.owner() || OwnerLock::isAlive(cache.layout().locksDir(), owner)) continue;
        std::error_code listError;
        for (const auto& file : std::filesystem::directory_iterator(entry.path(), listError)) {
            std::error_code removeError;
            // Still being written when its receiver died: incomplete, and never answered.
            if (file.path().extension() == ".part") {
                std::filesystem::remove(file.path(), removeError);
                continue;
            }
            QuarantineFacts facts;
            facts.reason = "received by a process that stopped before it was stored (the sender was not told it was"
                           " stored)";
            facts.source = "incoming/" + owner;
            if (auto header = core::readDicomHeader(file.path())) {
                facts.patientId = header->patient.id;
                facts.studyUid = header->study.instanceUid;
                facts.sopUid = header->instance.sopInstanceUid;
            } else {
                facts.reason += "; " + header.error().reason;
            }
            if (auto fingerprint = fingerprintFile(file.path())) facts.contentHash = fingerprint->contentHash;
            auto id = quarantineFile(cache, file.path(), facts);
            if (!id) return id.error();
            ++moved;
        }
        std::error_code removeError;
        std::filesystem::remove_all(entry.path(), removeError);
    }
    return moved;
}

} // namespace lb::cache
