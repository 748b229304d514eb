#include "cache/LocalCache.h"

#include "cache/Schema.h"

#include <sys/stat.h>

namespace lb::cache {

LocalCache::LocalCache(CacheLayout layout, OwnerLock lock, SqliteConnection connection)
    : m_layout(std::move(layout)), m_lock(std::move(lock)), m_connection(std::move(connection))
{
    m_store = std::make_unique<FileStore>(m_layout.storeDir(), m_layout.tmpDir() / m_lock.owner());
}

core::Result<std::unique_ptr<LocalCache>> LocalCache::open(const std::filesystem::path& root)
{
    // Every file the cache creates (index, journal, DICOM copies) is private to the user.
    ::umask(077);
    CacheLayout layout(root);
    if (auto ok = layout.create(); !ok) return ok.error();
    auto lock = OwnerLock::acquire(layout.locksDir());
    if (!lock) return lock.error();
    if (auto ok = createPrivateDirectories(layout.tmpDir() / lock->owner()); !ok) return ok.error();

    auto connection = SqliteConnection::open(layout.indexFile(), SqliteConnection::Mode::ReadWrite);
    if (!connection) return connection.error();
    if (auto ok = connection->execute("PRAGMA journal_mode=WAL"); !ok) return ok.error();
    if (auto ok = migrateSchema(*connection); !ok) return ok.error();

    std::unique_ptr<LocalCache> cache(new LocalCache(std::move(layout), std::move(*lock), std::move(*connection)));
    auto recovered = recoverDeadWriters(cache->m_connection, cache->m_layout, cache->owner());
    if (!recovered) return recovered.error();
    cache->m_recovery = *recovered;
    return cache;
}

LocalCache::~LocalCache()
{
    std::error_code ec;
    std::filesystem::remove_all(m_layout.tmpDir() / m_lock.owner(), ec);
}

core::Result<SqliteConnection> LocalCache::openReader() const
{
    return SqliteConnection::open(m_layout.indexFile(), SqliteConnection::Mode::ReadOnly);
}

} // namespace lb::cache
