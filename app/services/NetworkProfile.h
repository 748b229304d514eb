#pragma once
// The network side of a workstation profile, read from the cache's settings: the remote
// nodes, our AE title and storage port, and who may store to us (the configured nodes).
#include "app/services/NodeDirectory.h"
#include "cache/NodeSettings.h"
#include "netclient/RemoteNode.h"
#include "netclient/StorageScp.h"

namespace lb::app {

inline constexpr const char* kLocalAeSetting = "local-ae";
inline constexpr const char* kStoragePortSetting = "storage-port";
// DICOM TLS of this workstation: its certificate and key (the storage SCP's, and the client
// certificate for nodes that name none), the peers its SCP trusts, and whether the storage
// port speaks TLS (then only TLS: there is no second port).
inline constexpr const char* kTlsCertSetting = "tls-cert";
inline constexpr const char* kTlsKeySetting = "tls-key";
inline constexpr const char* kTlsTrustedSetting = "tls-trusted";
inline constexpr const char* kListenTlsSetting = "listen-tls";
// The address the storage port is bound to: 127.0.0.1 until the user picks an interface
// (0.0.0.0 or :: for all of them).
inline constexpr const char* kListenAddressSetting = "listen-address";

netclient::RemoteNode toRemoteNode(const cache::NodeRecord& record);
// The services' node (NodeEntry) as the index stores it.
cache::NodeRecord toNodeRecord(const NodeEntry& entry);
cache::NodeRecord toNodeRecord(const netclient::RemoteNode& node);

// NotFound when there is no node of that name. A TLS node without its own certificate gets
// the workstation's (tls-cert, tls-key) for mutual TLS.
core::Result<netclient::RemoteNode> nodeNamed(cache::SqliteConnection& connection, const std::string& name);
netclient::RemoteNode withWorkstationCertificate(cache::SqliteConnection& connection, netclient::RemoteNode node);
// Both ends of an operation with a node: our identity and the node.
struct Peer {
    netclient::LocalIdentity local;
    netclient::RemoteNode node;
};
core::Result<Peer> peerNamed(cache::SqliteConnection& connection, const std::string& nodeName);

// Defaults: LIGHTBOX, 11112.
core::Result<netclient::LocalIdentity> localIdentity(cache::SqliteConnection& connection);
core::Result<std::vector<netclient::AllowedCaller>> allowedCallers(cache::SqliteConnection& connection);
// Our storage SCP as the profile configures it: identity, allowed callers, TLS.
core::Result<netclient::StorageScpConfig> storageScpConfig(cache::SqliteConnection& connection);

// Checks a setting before it is stored: AE titles 1-16 characters of printable ASCII without
// backslash, ports 1-65535. Returns the problem, or an empty string.
std::string settingProblem(const std::string& key, const std::string& value);
std::string aeTitleProblem(const std::string& title);

} // namespace lb::app
