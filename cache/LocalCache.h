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

namespace lb::cache {

class LocalCache {
public:
    static core::Result<std::unique_ptr<LocalCache>> open(const std::filesystem::path& root);
    ~LocalCache();

    const CacheLayout& layout() const { return m_layout; }
    SqliteConnection& connection() { return m_connection; }
    FileStore& store() { return *m_store; }
    const std::string& owner() const { return m_lock.owner(); }
    const RecoveryReport& recoveryAtOpen() const { return m_recovery; }

    // A separate connection to the same index, for a worker thread.
    core::Result<SqliteConnection> openReader() const;

private:
    LocalCache(CacheLayout layout, OwnerLock lock, SqliteConnection connection);
    CacheLayout m_layout;
    OwnerLock m_lock;
    SqliteConnection m_connection;
    std::unique_ptr<FileStore> m_store;
    RecoveryReport m_recovery;
};

} // namespace lb::cache
