#include "cache/NodeSettings.h"

namespace lb::cache {
namespace {

constexpr const char* kNodeColumns =
    "name, ae_title, host, port, retrieve_method, connect_timeout_s, dimse_timeout_s, max_associations, tls, tls_ca,"
    " tls_cert, tls_key";

NodeRecord nodeFrom(const SqliteStatement& row)
{
    NodeRecord node;
    node.name = row.text(0);
    node.aeTitle = row.text(1);
    node.host = row.text(2);
    node.port = static_cast<int>(row.integer(3));
    node.retrieveMethod = row.text(4);
    node.connectTimeoutSeconds = static_cast<int>(row.integer(5));
    node.dimseTimeoutSeconds = static_cast<int>(row.integer(6));
    node.maxAssociations = static_cast<int>(row.integer(7));
    node.tls = row.integer(8) != 0;
    node.tlsCa = row.text(9);
    node.tlsCert = row.text(10);
    node.tlsKey = row.text(11);
    return node;
}

} // namespace

core::Result<std::vector<NodeRecord>> listNodes(SqliteConnection& connection)
{
    auto statement = connection.prepare(std::string("SELECT ") + kNodeColumns + " FROM remote_nodes ORDER BY name");
    if (!statement) return statement.error();
    std::vector<NodeRecord> nodes;
    if (auto ok = statement->forEachRow([&](const SqliteStatement& row) { nodes.push_back(nodeFrom(row)); }); !ok)
        return ok.error();
    return nodes;
}

core::Result<std::optional<NodeRecord>> findNode(SqliteConnection& connection, const std::string& name)
{
    auto statement = connection.prepare(std::string("SELECT ") + kNodeColumns + " FROM remote_nodes WHERE name = ?");
    if (!statement) return statement.error();
    statement->bind(1, name);
    auto row = statement->step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<NodeRecord>();
    return std::optional<NodeRecord>(nodeFrom(statement.value()));
}

core::Status saveNode(SqliteConnection& connection, const NodeRecord& node)
{
    auto statement = connection.prepare(std::string("INSERT OR REPLACE INTO remote_nodes (") + kNodeColumns +
                                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!statement) return statement.error();
    statement->bind(1, node.name).bind(2, node.aeTitle).bind(3, node.host).bind(4, node.port);
    statement->bind(5, node.retrieveMethod).bind(6, node.connectTimeoutSeconds).bind(7, node.dimseTimeoutSeconds);
    statement->bind(8, node.maxAssociations).bind(9, node.tls ? 1 : 0).bind(10, node.tlsCa).bind(11, node.tlsCert);
    statement->bind(12, node.tlsKey);
    return statement->run();
}

core::Result<bool> removeNode(SqliteConnection& connection, const std::string& name)
{
    auto statement = connection.prepare("DELETE FROM remote_nodes WHERE name = ?");
    if (!statement) return statement.error();
    statement->bind(1, name);
    if (auto ok = statement->run(); !ok) return ok.error();
    return connection.changes() > 0;
}

core::Result<std::vector<std::pair<std::string, std::string>>> listSettings(SqliteConnection& connection)
{
    auto statement = connection.prepare("SELECT key, value FROM settings ORDER BY key");
    if (!statement) return statement.error();
    std::vector<std::pair<std::string, std::string>> settings;
    if (auto ok = statement->forEachRow([&](const SqliteStatement& row) { settings.emplace_back(row.text(0), row.text(1)); }); !ok)
        return ok.error();
    return settings;
}

core::Result<std::optional<std::string>> readSetting(SqliteConnection& connection, const std::string& key)
{
    auto statement = connection.prepare("SELECT value FROM settings WHERE key = ?");
    if (!statement) return statement.error();
    statement->bind(1, key);
    auto row = statement->step();
    if (!row) return row.error();
    if (!row.value()) return std::optional<std::string>();
    return std::optional<std::string>(statement->text(0));
}

core::Status writeSetting(SqliteConnection& connection, const std::string& key, const std::string& value)
{
    auto statement = connection.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)");
    if (!statement) return statement.error();
    statement->bind(1, key).bind(2, value);
    return statement->run();
}

} // namespace lb::cache
