#pragma once
// The remote nodes and workstation settings stored in the cache's index (see
// migrations/002_nodes_and_settings.sql). Plain records: lb_cache knows nothing of the network.
#include "cache/SqliteConnection.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lb::cache {

struct NodeRecord {
    std::string name;
    std::string aeTitle;
    std::string host;
    int port = 104;
    std::string retrieveMethod = "move"; // "move" | "get"
    int connectTimeoutSeconds = 10;
    int dimseTimeoutSeconds = 30;
    int maxAssociations = 2;
    bool tls = false;
    std::string tlsCa;   // paths to PEM files
    std::string tlsCert;
    std::string tlsKey;
};

core::Result<std::vector<NodeRecord>> listNodes(SqliteConnection& connection);
core::Result<std::optional<NodeRecord>> findNode(SqliteConnection& connection, const std::string& name);
// Adds the node, or replaces the one with the same name.
core::Status saveNode(SqliteConnection& connection, const NodeRecord& node);
// False when there was no such node.
core::Result<bool> removeNode(SqliteConnection& connection, const std::string& name);

core::Result<std::vector<std::pair<std::string, std::string>>> listSettings(SqliteConnection& connection);
core::Result<std::optional<std::string>> readSetting(SqliteConnection& connection, const std::string& key);
core::Status writeSetting(SqliteConnection& connection, const std::string& key, const std::string& value);

} // namespace lb::cache
