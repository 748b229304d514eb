#include "app/services/NodeDirectory.h"

#include "app/services/NetworkProfile.h"
#include "cache/NodeSettings.h"

namespace lb::app {
namespace {

using Mode = cache::SqliteConnection::Mode;

NodeEntry entryOf(const cache::NodeRecord& record)
{
    return {record.name,       record.aeTitle, record.host,  record.port,   record.retrieveMethod, record.connectTimeoutSeconds,
            record.dimseTimeoutSeconds, record.maxAssociations, record.tls, record.tlsCa, record.tlsCert, record.tlsKey};
}

} // namespace

NodeDirectory::NodeDirectory(std::filesystem::path indexFile) : m_index(std::move(indexFile)) {}

std::vector<std::string> NodeDirectory::names() const
{
    std::vector<std::string> names;
    auto connection = cache::SqliteConnection::open(m_index, Mode::ReadOnly);
    if (!connection) return names;
    if (auto nodes = cache::listNodes(*connection))
        for (const auto& node : *nodes) names.push_back(node.name);
    return names;
}

std::optional<NodeEntry> NodeDirectory::find(const std::string& name) const
{
    auto connection = cache::SqliteConnection::open(m_index, Mode::ReadOnly);
    if (!connection) return std::nullopt;
    auto node = cache::findNode(*connection, name);
    if (!node || !*node) return std::nullopt;
    return entryOf(**node);
}

core::Status NodeDirectory::save(const NodeEntry& node) const
{
    auto connection = cache::SqliteConnection::open(m_index, Mode::ReadWrite);
    if (!connection) return connection.error();
    return cache::saveNode(*connection, toNodeRecord(node));
}

core::Status NodeDirectory::remove(const std::string& name) const
{
    auto connection = cache::SqliteConnection::open(m_index, Mode::ReadWrite);
    if (!connection) return connection.error();
    auto removed = cache::removeNode(*connection, name);
    if (!removed) return removed.error();
    return {};
}

std::string NodeDirectory::localAeTitle() const
{
    auto connection = cache::SqliteConnection::open(m_index, Mode::ReadOnly);
    if (!connection) return "LIGHTBOX";
    auto local = localIdentity(*connection);
    return local ? local->aeTitle : "LIGHTBOX";
}

int NodeDirectory::storagePort() const
{
    auto connection = cache::SqliteConnection::open(m_index, Mode::ReadOnly);
    if (!connection) return 11112;
    auto local = localIdentity(*connection);
    return local ? local->storagePort : 11112;
}

std::string NodeDirectory::listening() const
{
    auto connection = cache::SqliteConnection::open(m_index, Mode::ReadOnly);
    if (!connection) return {};
    auto scp = storageScpConfig(*connection);
    if (!scp) return {};
    return scp->listenAddress + ":" + std::to_string(scp->local.storagePort) + (scp->tls.enabled ? ", DICOM TLS only" : "");
}

core::Status NodeDirectory::saveLocal(const std::string& aeTitle, int storagePort) const
{
    if (auto problem = aeTitleProblem(aeTitle); !problem.empty())
        return core::makeError(core::ErrorCode::InvalidArgument, "AE title", problem);
    auto connection = cache::SqliteConnection::open(m_index, Mode::ReadWrite);
    if (!connection) return connection.error();
    if (auto saved = cache::writeSetting(*connection, kLocalAeSetting, aeTitle); !saved) return saved;
    return cache::writeSetting(*connection, kStoragePortSetting, std::to_string(storagePort));
}

std::string NodeDirectory::aeTitleProblem(const std::string& title)
{
    return app::aeTitleProblem(title);
}

} // namespace lb::app
