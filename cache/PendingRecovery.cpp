#include "cache/PendingRecovery.h"

#include "cache/OwnerLock.h"

#include <cerrno>
#include <set>
#include <unistd.h>
#include <vector>

namespace lb::cache {

namespace {

core::Result<std::set<std::string>> ownersWithPendingRows(SqliteConnection& connection)
{
    auto query = connection.prepare("SELECT DISTINCT owner FROM pending_files");
    if (!query) return query.error();
    std::set<std::string> owners;
    if (auto ok = query->forEachRow([&](const SqliteStatement& row) { owners.insert(row.text(0)); }); !ok) return ok.error();
    return owners;
}

core::Result<int> rollBackOwner(SqliteConnection& connection, const CacheLayout& layout, const std::string& owner)
{
    auto transaction = WriteTransaction::begin(connection);
    if (!transaction) return transaction.error();
    // Files of this owner that nobody indexed and no live writer is about to index.
    auto orphans = connection.prepare(
        "SELECT p.file_path FROM pending_files p WHERE p.owner = ?1"
        " AND NOT EXISTS (SELECT 1 FROM instances i WHERE i.file_path = p.file_path)"
        " AND NOT EXISTS (SELECT 1 FROM pending_files q WHERE q.file_path = p.file_path AND q.owner <> ?1)");
    if (!orphans) return orphans.error();
    orphans->bind(1, owner);
    std::vector<std::string> paths;
    if (auto ok = orphans->forEachRow([&](const SqliteStatement& row) { paths.push_back(row.text(0)); }); !ok)
        return ok.error();
    int removed = 0;
    for (const std::string& path : paths) {
        if (::unlink((layout.storeDir() / path).c_str()) == 0) ++removed;
    }
    auto drop = connection.prepare("DELETE FROM pending_files WHERE owner = ?1");
    if (!drop) return drop.error();
    drop->bind(1, owner);
    if (auto ok = drop->run(); !ok) return ok.error();
    if (auto ok = transaction->commit(); !ok) return ok.error();
    return removed;
}

} // namespace

core::Result<RecoveryReport> recoverDeadWriters(SqliteConnection& connection, const CacheLayout& layout,
                                                const std::string& selfOwner)
{
    RecoveryReport report;
    auto owners = ownersWithPendingRows(connection);
    if (!owners) return owners.error();
    for (const std::string& owner : *owners) {
        if (owner == selfOwner || OwnerLock::isAlive(layout.locksDir(), owner)) continue;
        auto removed = rollBackOwner(connection, layout, owner);
        if (!removed) return removed.error();
        ++report.deadOwners;
        report.removedFiles += *removed;
    }
    // Staging folders of writers that died (with or without pending rows).
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(layout.tmpDir(), ec)) {
        const std::string owner = entry.path().filename().string();
        if (owner == selfOwner || OwnerLock::isAlive(layout.locksDir(), owner)) continue;
        std::error_code removeError;
        std::filesystem::remove_all(entry.path(), removeError);
        OwnerLock::removeStale(layout.locksDir(), owner);
        ++report.removedStaging;
    }
    // Lock files of processes killed before they made a staging folder (or while creating the
    // lock itself): only the lock file is left, and nobody holds it.
    OwnerLock::removeUnlockedFiles(layout.locksDir(), selfOwner);
    return report;
}

} // namespace lb::cache
