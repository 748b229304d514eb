#pragma once
// A thin RAII wrapper over one SQLite connection and its prepared statements.
// All SQL of Lightbox lives in lb_cache; nothing here leaks sqlite3 types to other rooms.
#include "core/Result.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace lb::cache {

class SqliteStatement {
public:
    SqliteStatement() = default;
    SqliteStatement(sqlite3* db, sqlite3_stmt* statement) : m_db(db), m_statement(statement) {}
    SqliteStatement(SqliteStatement&& other) noexcept;
    SqliteStatement& operator=(SqliteStatement&& other) noexcept;
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;
    ~SqliteStatement();

    // Parameters are 1-based, as in SQLite.
    SqliteStatement& bind(int index, std::string_view text);
    SqliteStatement& bind(int index, int64_t value);
    SqliteStatement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
    SqliteStatement& bind(int index, std::optional<int> value);
    SqliteStatement& bindNull(int index);

    // true: a row is ready; false: done. Errors come back as core::Error.
    core::Result<bool> step();
    core::Status run(); // step to completion, expecting no rows
    // Steps through every row, calling `onRow` for each; then resets the statement.
    core::Status forEachRow(const std::function<void(const SqliteStatement&)>& onRow);
    void reset();

    std::string text(int column) const;
    int64_t integer(int column) const;
    bool isNull(int column) const;

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_statement = nullptr;
};

class SqliteConnection {
public:
    enum class Mode { ReadWrite, ReadOnly, ReadOnlyImmutable }; // immutable: a read-only folder (file: URI)
    static core::Result<SqliteConnection> open(const std::filesystem::path& file, Mode mode);
    static core::Result<SqliteConnection> openInMemory();

    SqliteConnection(SqliteConnection&& other) noexcept;
    SqliteConnection& operator=(SqliteConnection&& other) noexcept;
    SqliteConnection(const SqliteConnection&) = delete;
    ~SqliteConnection();

    core::Status execute(std::string_view sql); // one or more statements, no rows
    core::Result<SqliteStatement> prepare(std::string_view sql);
    int64_t lastInsertRowId() const;
    int changes() const;
    std::string lastError() const;

private:
    explicit SqliteConnection(sqlite3* db) : m_db(db) {}
    sqlite3* m_db = nullptr;
};

// Transactions say whether they write. A write transaction takes SQLite's write lock at BEGIN
// (IMMEDIATE), so two processes never deadlock upgrading a read lock. Rolls back unless
// commit() succeeded.
class WriteTransaction {
public:
    static core::Result<WriteTransaction> begin(SqliteConnection& connection);
    WriteTransaction(WriteTransaction&& other) noexcept;
    WriteTransaction(const WriteTransaction&) = delete;
    ~WriteTransaction();
    core::Status commit();

private:
    explicit WriteTransaction(SqliteConnection& connection) : m_connection(&connection) {}
    SqliteConnection* m_connection = nullptr;
};

class ReadTransaction {
public:
    static core::Result<ReadTransaction> begin(SqliteConnection& connection);
    ReadTransaction(ReadTransaction&& other) noexcept;
    ReadTransaction(const ReadTransaction&) = delete;
    ~ReadTransaction();

private:
    explicit ReadTransaction(SqliteConnection& connection) : m_connection(&connection) {}
    SqliteConnection* m_connection = nullptr;
};

} // namespace lb::cache
