#pragma once
// Our storage SCP: the destination of C-MOVE (and of any node that pushes to us). It accepts
// associations only from configured callers (calling AE title and, when given, host), answers
// C-ECHO, and hands each C-STORE to an InstanceSink. One thread per association, up to a limit
// in all and per peer; connections are taken on our own socket, bound to one address.
// Events (rejections, failures) go to a log callback as one line each, without PHI.
#include "core/Result.h"
#include "netclient/InstanceSink.h"
#include "netclient/RemoteNode.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lb::netclient {

struct AllowedCaller {
    std::string aeTitle;
    std::string host; // empty: any host; else a name or address the caller must come from
};

struct StorageScpConfig {
    LocalIdentity local; // our AE title (the called AE we answer to) and the port
    // The address the port is bound to: loopback until the user picks an interface
    // (0.0.0.0 or :: for all).
    std::string listenAddress = "127.0.0.1";
    std::vector<AllowedCaller> allowed;
    int maxAssociations = 8;
    int maxAssociationsPerPeer = 4; // from one host at once
    int artimSeconds = 5;           // for a new connection's association request (PS3.8 9.1.5)
    int dimseTimeoutSeconds = 60;
    // tls.enabled: the port speaks DICOM TLS only (our certificate and key; caFile: the peer
    // certificates, or their CA, that may connect).
    TlsSettings tls;
    std::function<void(const std::string&)> log;
};

struct StorageScpStats {
    int associationsAccepted = 0;
    int associationsRejected = 0;
    int instancesStored = 0;
    int instancesFailed = 0;
};

class StorageScp {
public:
    // Binds the port and starts listening (an error when the port is taken).
    static core::Result<std::unique_ptr<StorageScp>> start(const StorageScpConfig& config, InstanceSink& sink);
    ~StorageScp(); // stop()

    StorageScp(const StorageScp&) = delete;
    StorageScp& operator=(const StorageScp&) = delete;

    // Stops accepting, lets running associations end (each notices within a second when idle).
    void stop();
    StorageScpStats stats() const;
    std::string boundAddress() const; // "address:port"

    struct State;

private:
    explicit StorageScp(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

} // namespace lb::netclient
