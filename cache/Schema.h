#pragma once
// The index schema: numbered migrations (cache/migrations/NNN_*.sql, compiled in) applied in
// order inside one write transaction each; PRAGMA user_version holds the applied version.
#include "cache/SqliteConnection.h"

#include <vector>

namespace lb::cache {

struct Migration {
    int version;
    const char* name;
    const char* sql;
};

const std::vector<Migration>& schemaMigrations();

// Brings the database to the newest version. Refuses a database newer than this binary.
core::Status migrateSchema(SqliteConnection& connection);
int schemaVersion(SqliteConnection& connection);

} // namespace lb::cache
