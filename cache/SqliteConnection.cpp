#include "cache/SqliteConnection.h"

#include <sqlite3.h>

#include <utility>

namespace lb::cache {

using core::ErrorCode;
using core::makeError;

namespace {
core::Error sqliteError(sqlite3* db, std::string_view what)
{
    return makeError(ErrorCode::Database, "index database", std::string(what) + ": " + sqlite3_errmsg(db));
}
} // namespace

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_statement(std::exchange(other.m_statement, nullptr)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_statement);
        m_db = std::exchange(other.m_db, nullptr);
        m_statement = std::exchange(other.m_statement, nullptr);
    }
    return *this;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(m_statement); }

SqliteStatement& SqliteStatement::bind(int index, std::string_view text)
{
    sqlite3_bind_text(m_statement, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, int64_t value)
{
    sqlite3_bind_int64(m_statement, index, value);
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::optional<int> value)
{
    return value ? bind(index, static_cast<int64_t>(*value)) : bindNull(index);
}

SqliteStatement& SqliteStatement::bindNull(int index)
{
    sqlite3_bind_null(m_statement, index);
    return *this;
}

core::Result<bool> SqliteStatement::step()
{
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    core::Error error = sqliteError(m_db, "query failed");
    sqlite3_reset(m_statement);
    return error;
}

core::Status SqliteStatement::run()
{
    auto stepped = step();
    if (!stepped) return stepped.error();
    reset();
    return {};
}

core::Status SqliteStatement::forEachRow(const std::function<void(const SqliteStatement&)>& onRow)
{
    for (;;) {
        auto stepped = step();
        if (!stepped) return stepped.error();
        if (!*stepped) break;
        onRow(*this);
    }
    reset();
    return {};
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
}

std::string SqliteStatement::text(int column) const
{
    const auto* data = sqlite3_column_text(m_statement, column);
    if (data == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(data), static_cast<size_t>(sqlite3_column_bytes(m_statement, column)));
}

int64_t SqliteStatement::integer(int column) const { return sqlite3_column_int64(m_statement, column); }
bool SqliteStatement::isNull(int column) const { return sqlite3_column_type(m_statement, column) == SQLITE_NULL; }

core::Result<SqliteConnection> SqliteConnection::open(const std::filesystem::path& file, Mode mode)
{
    sqlite3* db = nullptr;
    const int flags = (mode == Mode::ReadWrite ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY)
        | (mode == Mode::ReadOnlyImmutable ? SQLITE_OPEN_URI : 0) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(file.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        std::string reason = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        return makeError(ErrorCode::Database, file.string(), "cannot open index: " + reason);
    }
    // Several processes (two imports, the GUI and the CLI) share one index: wait for locks.
    sqlite3_busy_timeout(db, 60000);
    SqliteConnection connection(db);
    if (mode == Mode::ReadOnlyImmutable) return connection;
    if (auto ok = connection.execute("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"); !ok) return ok.error();
    return connection;
}

core::Result<SqliteConnection> SqliteConnection::openInMemory()
{
    sqlite3* db = nullptr;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
        sqlite3_close(db);
        return makeError(ErrorCode::Database, ":memory:", "cannot open in-memory database");
    }
    SqliteConnection connection(db);
    if (auto ok = connection.execute("PRAGMA foreign_keys=ON;"); !ok) return ok.error();
    return connection;
}

SqliteConnection::SqliteConnection(SqliteConnection&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}

SqliteConnection& SqliteConnection::operator=(SqliteConnection&& other) noexcept
{
    if (this != &other) {
        sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
    }
    return *this;
}

SqliteConnection::~SqliteConnection() { sqlite3_close_v2(m_db); }

core::Status SqliteConnection::execute(std::string_view sql)
{
    char* message = nullptr;
    const std::string statement(sql);
    if (sqlite3_exec(m_db, statement.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string reason = message ? message : sqlite3_errmsg(m_db);
        sqlite3_free(message);
        return makeError(ErrorCode::Database, "index database", reason + " (in: " + statement.substr(0, 40) + ")");
    }
    return {};
}

core::Result<SqliteStatement> SqliteConnection::prepare(std::string_view sql)
{
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &statement, nullptr) != SQLITE_OK)
        return sqliteError(m_db, "cannot prepare '" + std::string(sql.substr(0, 60)) + "'");
    return SqliteStatement(m_db, statement);
}

int64_t SqliteConnection::lastInsertRowId() const { return sqlite3_last_insert_rowid(m_db); }
int SqliteConnection::changes() const { return sqlite3_changes(m_db); }
std::string SqliteConnection::lastError() const { return sqlite3_errmsg(m_db); }

core::Result<WriteTransaction> WriteTransaction::begin(SqliteConnection& connection)
{
    if (auto ok = connection.execute("BEGIN IMMEDIATE"); !ok) return ok.error();
    return WriteTransaction(connection);
}

WriteTransaction::WriteTransaction(WriteTransaction&& other) noexcept
    : m_connection(std::exchange(other.m_connection, nullptr)) {}

WriteTransaction::~WriteTransaction()
{
    if (m_connection) (void)m_connection->execute("ROLLBACK");
}

core::Status WriteTransaction::commit()
{
    auto ok = m_connection->execute("COMMIT");
    if (ok) m_connection = nullptr;
    return ok;
}

core::Result<ReadTransaction> ReadTransaction::begin(SqliteConnection& connection)
{
    if (auto ok = connection.execute("BEGIN DEFERRED"); !ok) return ok.error();
    return ReadTransaction(connection);
}

ReadTransaction::ReadTransaction(ReadTransaction&& other) noexcept
    : m_connection(std::exchange(other.m_connection, nullptr)) {}

ReadTransaction::~ReadTransaction()
{
    if (m_connection) (void)m_connection->execute("COMMIT");
}

} // namespace lb::cache
