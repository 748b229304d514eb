#pragma once
// One opened cache: its folders, its index (SQLite, WAL) and its file store, held by one
// writer identity (OwnerLock). Opening creates a missing cache, migrates the schema and
// rolls back what dead writers left behind.
#include "cache/CacheLayout.h"
#include "cache/FileStore.h"
#include "cache/OwnerLock.h"
#include "cache/PendingRecovery.h"
#include "cache/SqliteConnection.h"

#include <memory>
#include <optional>

namespace lb::cache {

class LocalCache {
public:
    static core::Result<std::unique_ptr<LocalCache>> open(const std::filesystem::path& root);
    // For browsing and viewing: open() when the cache can be written, else (a shared or
    // archived profile on a read-only folder or medium) the same cache read-only: no lock, no
    // recovery, nothing created; writes then fail with the database's "read-only" error.
    static core::Result<std::unique_ptr<LocalCache>> openForReading(const std::filesystem::path& root);
    bool readOnly() const { return !m_lock.has_value(); }
    ~LocalCache();

    const CacheLayout& layout() const { return m_layout; }
    SqliteConnection& connection() { return m_connection; }
    FileStore& store() { return *m_store; }
    const std::string& owner() const; // "read-only" for a read-only cache
    const RecoveryReport& recoveryAtOpen() const { return m_recovery; }

    // A separate connection to the same index, for a worker thread.
    core::Result<SqliteConnection> openReader() const;

private:
    LocalCache(CacheLayout layout, std::optional<OwnerLock> lock, SqliteConnection connection);
    CacheLayout m_layout;
    std::optional<OwnerLock> m_lock; // none: opened read-only
    SqliteConnection m_connection;
    std::unique_ptr<FileStore> m_store;
    RecoveryReport m_recovery;
};

} // namespace lb::cache
