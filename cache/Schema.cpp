#include "cache/Schema.h"

namespace lb::cache {

int schemaVersion(SqliteConnection& connection)
{
    auto statement = connection.prepare("PRAGMA user_version");
    if (!statement || !statement->step().ok()) return -1;
    return static_cast<int>(statement->integer(0));
}

core::Status migrateSchema(SqliteConnection& connection)
{
    const auto& migrations = schemaMigrations();
    const int newest = migrations.empty() ? 0 : migrations.back().version;
    if (schemaVersion(connection) == newest) return {};

    auto transaction = WriteTransaction::begin(connection);
    if (!transaction) return transaction.error();
    // Read again under the write lock: another process may have migrated meanwhile.
    const int current = schemaVersion(connection);
    if (current > newest)
        return core::makeError(core::ErrorCode::Unsupported, "index database",
                               "schema version " + std::to_string(current) + " is newer than this Lightbox ("
                                   + std::to_string(newest) + ")");
    for (const Migration& migration : migrations) {
        if (migration.version <= current) continue;
        if (auto ok = connection.execute(migration.sql); !ok)
            return core::makeError(core::ErrorCode::Database, migration.name, ok.error().reason);
        if (auto ok = connection.execute("PRAGMA user_version=" + std::to_string(migration.version)); !ok) return ok;
    }
    return transaction->commit();
}

} // namespace lb::cache
