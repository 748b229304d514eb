#include "app/services/NetworkProfile.h"

#include "app/services/CacheImportSink.h"

#include "cache/CachePrune.h"

#include <arpa/inet.h>
#include <charconv>
#include <filesystem>

namespace lb::app {
namespace {

bool parsePort(const std::string& text, int& port)
{
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
    return error == std::errc() && end == text.data() + text.size() && port >= 1 && port <= 65535;
}

} // namespace

netclient::RemoteNode toRemoteNode(const cache::NodeRecord& record)
{
    netclient::RemoteNode node;
    node.name = record.name;
    node.aeTitle = record.aeTitle;
    node.host = record.host;
    node.port = record.port;
    netclient::parseRetrieveMethod(record.retrieveMethod, node.method);
    node.connectTimeoutSeconds = record.connectTimeoutSeconds;
    node.dimseTimeoutSeconds = record.dimseTimeoutSeconds;
    node.maxAssociations = record.maxAssociations;
    node.tls = {record.tls, record.tlsCa, record.tlsCert, record.tlsKey};
    return node;
}

cache::NodeRecord toNodeRecord(const netclient::RemoteNode& node)
{
    cache::NodeRecord record;
    record.name = node.name;
    record.aeTitle = node.aeTitle;
    record.host = node.host;
    record.port = node.port;
    record.retrieveMethod = netclient::retrieveMethodName(node.method);
    record.connectTimeoutSeconds = node.connectTimeoutSeconds;
    record.dimseTimeoutSeconds = node.dimseTimeoutSeconds;
    record.maxAssociations = node.maxAssociations;
    record.tls = node.tls.enabled;
    record.tlsCa = node.tls.caFile;
    record.tlsCert = node.tls.certFile;
    record.tlsKey = node.tls.keyFile;
    return record;
}

core::Result<netclient::RemoteNode> nodeNamed(cache::SqliteConnection& connection, const std::string& name)
{
    auto record = cache::findNode(connection, name);
    if (!record) return record.error();
    if (!record->has_value())
        return core::makeError(core::ErrorCode::NotFound, name, "no such node (see `lightbox-cli nodes list`)");
    return withWorkstationCertificate(connection, toRemoteNode(**record));
}

netclient::RemoteNode withWorkstationCertificate(cache::SqliteConnection& connection, netclient::RemoteNode node)
{
    if (!node.tls.enabled || !node.tls.certFile.empty() || !node.tls.keyFile.empty()) return node;
    auto cert = cache::readSetting(connection, kTlsCertSetting);
    auto key = cache::readSetting(connection, kTlsKeySetting);
    if (cert && key) {
        node.tls.certFile = cert->value_or("");
        node.tls.keyFile = key->value_or("");
    }
    return node;
}

core::Result<Peer> peerNamed(cache::SqliteConnection& connection, const std::string& nodeName)
{
    auto node = nodeNamed(connection, nodeName);
    if (!node) return node.error();
    auto local = localIdentity(connection);
    if (!local) return local.error();
    return Peer{*local, *node};
}

core::Result<netclient::LocalIdentity> localIdentity(cache::SqliteConnection& connection)
{
    netclient::LocalIdentity identity;
    auto ae = cache::readSetting(connection, kLocalAeSetting);
    if (!ae) return ae.error();
    if (ae->has_value()) identity.aeTitle = **ae;
    auto port = cache::readSetting(connection, kStoragePortSetting);
    if (!port) return port.error();
    if (port->has_value() && !parsePort(**port, identity.storagePort))
        return core::makeError(core::ErrorCode::InvalidArgument, kStoragePortSetting, "not a port: " + **port);
    return identity;
}

core::Result<std::vector<netclient::AllowedCaller>> allowedCallers(cache::SqliteConnection& connection)
{
    auto nodes = cache::listNodes(connection);
    if (!nodes) return nodes.error();
    std::vector<netclient::AllowedCaller> callers;
    for (const auto& node : *nodes) callers.push_back({node.aeTitle, node.host});
    return callers;
}

core::Result<netclient::StorageScpConfig> storageScpConfig(cache::SqliteConnection& connection)
{
    netclient::StorageScpConfig config;
    auto local = localIdentity(connection);
    if (!local) return local.error();
    auto callers = allowedCallers(connection);
    if (!callers) return callers.error();
    config.local = *local;
    config.allowed = *callers;
    auto address = cache::readSetting(connection, kListenAddressSetting);
    if (!address) return address.error();
    config.listenAddress = address->value_or("127.0.0.1");
    auto listenTls = cache::readSetting(connection, kListenTlsSetting);
    if (!listenTls) return listenTls.error();
    config.tls.enabled = listenTls->value_or("off") == "on";
    for (auto [key, target] : {std::pair{kTlsCertSetting, &config.tls.certFile}, std::pair{kTlsKeySetting, &config.tls.keyFile},
                               std::pair{kTlsTrustedSetting, &config.tls.caFile}}) {
        auto value = cache::readSetting(connection, key);
        if (!value) return value.error();
        *target = value->value_or("");
    }
    return config;
}

std::string aeTitleProblem(const std::string& title)
{
    if (title.empty() || title.size() > 16) return "an AE title has 1 to 16 characters";
    for (char c : title)
        if (c < 0x20 || c > 0x7e || c == '\\') return "an AE title is printable ASCII without '\\'";
    if (title.find_first_not_of(' ') == std::string::npos) return "an AE title is not all spaces";
    return {};
}

std::string settingProblem(const std::string& key, const std::string& value)
{
    if (key == kLocalAeSetting) return aeTitleProblem(value);
    if (key == kStoragePortSetting) {
        int port = 0;
        return parsePort(value, port) ? std::string() : "a port is a number from 1 to 65535";
    }
    if (key == cache::kCacheLimitSetting || key == kMinFreeSetting) {
        int megabytes = -1;
        const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), megabytes);
        if (error != std::errc() || end != value.data() + value.size()) megabytes = -1;
        if (megabytes >= 0) return {};
        return key == kMinFreeSetting ? "the free-space floor is a number of megabytes (0: none)"
                                      : "the cache limit is a number of megabytes (0: none)";
    }
    if (key == kListenTlsSetting) return value == "on" || value == "off" ? std::string() : "listen-tls is on or off";
    if (key == kListenAddressSetting) {
        in6_addr address{};
        const bool literal = ::inet_pton(AF_INET, value.c_str(), &address) == 1 || ::inet_pton(AF_INET6, value.c_str(), &address) == 1;
        return literal ? std::string() : "an IPv4 or IPv6 address of this machine (0.0.0.0: every interface)";
    }
    if (key == kTlsCertSetting || key == kTlsKeySetting || key == kTlsTrustedSetting) {
        std::error_code ec;
        return std::filesystem::is_regular_file(value, ec) ? std::string() : "no such file: " + value;
    }
    return "unknown setting '" + key
        + "' (known: local-ae, storage-port, listen-address, cache-limit-mb, min-free-mb, tls-cert, tls-key, tls-trusted,"
           " listen-tls)";
}

cache::NodeRecord toNodeRecord(const NodeEntry& entry)
{
    return {entry.name,       entry.aeTitle, entry.host,  entry.port,   entry.retrieveMethod, entry.connectTimeoutSeconds,
            entry.dimseTimeoutSeconds, entry.maxAssociations, entry.tls, entry.tlsCa, entry.tlsCert, entry.tlsKey};
}

} // namespace lb::app
