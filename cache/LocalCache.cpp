#include "cache/LocalCache.h"

#include "cache/Schema.h"

#include <chrono>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <thread>

namespace lb::cache {

namespace {

// WAL is a property of the database file: set once, by whichever process gets there first.
// Switching needs an exclusive lock and SQLite does not wait for it (no busy handler), so
// two processes opening a new cache together retry here for a while.
core::Status enableWriteAheadLog(SqliteConnection& connection)
{
    core::Status last;
    for (int attempt = 0; attempt < 200; ++attempt) {
        {
            auto mode = connection.prepare("PRAGMA journal_mode"); // finalized before the switch below
            if (mode && mode->step().ok() && mode->text(0) == "wal") return {};
        }
        last = connection.execute("PRAGMA journal_mode=WAL");
        if (last) return {};
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return last;
}

} // namespace

LocalCache::LocalCache(CacheLayout layout, std::optional<OwnerLock> lock, SqliteConnection connection)
    : m_layout(std::move(layout)), m_lock(std::move(lock)), m_connection(std::move(connection))
{
    m_store = std::make_unique<FileStore>(m_layout.storeDir(), m_layout.tmpDir() / owner());
}

const std::string& LocalCache::owner() const
{
    static const std::string readOnlyOwner = "read-only";
    return m_lock ? m_lock->owner() : readOnlyOwner;
}

core::Result<std::unique_ptr<LocalCache>> LocalCache::openForReading(const std::filesystem::path& root)
{
    CacheLayout layout(root);
    std::error_code ec;
    const bool exists = std::filesystem::is_regular_file(layout.indexFile(), ec);
    if (!exists || ::access(root.c_str(), W_OK) == 0) return open(root);
    // A read-only folder: SQLite cannot make its -shm file there, so the index is opened as
    // immutable (nobody writes it while we read: nobody can).
    const std::string uri = "file:" + layout.indexFile().string() + "?immutable=1";
    auto connection = SqliteConnection::open(uri, SqliteConnection::Mode::ReadOnlyImmutable);
    if (!connection) return connection.error();
    const int current = schemaVersion(*connection);
    const int newest = schemaMigrations().empty() ? 0 : schemaMigrations().back().version;
    if (current != newest)
        return core::makeError(core::ErrorCode::Unsupported, root.string(),
                               "read-only cache of schema version " + std::to_string(current) + " (this Lightbox reads "
                                   + std::to_string(newest) + "): open it once where it can be written to upgrade it");
    return std::unique_ptr<LocalCache>(new LocalCache(std::move(layout), std::nullopt, std::move(*connection)));
}

core::Result<std::unique_ptr<LocalCache>> LocalCache::open(const std::filesystem::path& root)
{
    // Every file the cache creates (index, journal, DICOM copies) is private to the user: made
    // with mode 0600 in 0700 folders, without touching the process umask (the application's).
    CacheLayout layout(root);
    if (auto ok = layout.create(); !ok) return ok.error();
    // SQLite gives its -wal and -shm files the mode of the database file: create that one 0600.
    if (const int fd = ::open(layout.indexFile().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
    auto lock = OwnerLock::acquire(layout.locksDir());
    if (!lock) return lock.error();
    if (auto ok = createPrivateDirectories(layout.tmpDir() / lock->owner()); !ok) return ok.error();

    auto connection = SqliteConnection::open(layout.indexFile(), SqliteConnection::Mode::ReadWrite);
    if (!connection) return connection.error();
    if (auto ok = enableWriteAheadLog(*connection); !ok) return ok.error();
    if (auto ok = migrateSchema(*connection); !ok) return ok.error();

    std::unique_ptr<LocalCache> cache(new LocalCache(std::move(layout), std::move(*lock), std::move(*connection)));
    auto recovered = recoverDeadWriters(cache->m_connection, cache->m_layout, cache->owner());
    if (!recovered) return recovered.error();
    cache->m_recovery = *recovered;
    return cache;
}

LocalCache::~LocalCache()
{
    if (!m_lock) return;
    std::error_code ec;
    std::filesystem::remove_all(m_layout.tmpDir() / m_lock->owner(), ec);
}

core::Result<SqliteConnection> LocalCache::openReader() const
{
    if (!m_lock)
        return SqliteConnection::open("file:" + m_layout.indexFile().string() + "?immutable=1",
                                      SqliteConnection::Mode::ReadOnlyImmutable);
    return SqliteConnection::open(m_layout.indexFile(), SqliteConnection::Mode::ReadOnly);
}

} // namespace lb::cache
