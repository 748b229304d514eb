#pragma once
// A remote DICOM node (PACS, VNA, modality) as the user configures it, and our own identity.
#include <string>

namespace lb::netclient {

enum class RetrieveMethod { Move, Get };

const char* retrieveMethodName(RetrieveMethod method); // "move" | "get"
bool parseRetrieveMethod(const std::string& text, RetrieveMethod& out);

// DICOM TLS (PS3.15 B.9, the BCP 195 profile: TLS 1.2 or newer) for one end of an association.
// A node with `enabled` is never reached in plain text.
struct TlsSettings {
    bool enabled = false;
    std::string caFile;   // PEM: whom we trust (a node: its CA; our SCP: the peers we accept);
                          // empty for a node: the system's trust store
    std::string certFile; // PEM: our certificate (client certificate for mutual TLS; the SCP's own)
    std::string keyFile;  // PEM: its private key
};

struct RemoteNode {
    std::string name;    // the user's label, unique among the nodes
    std::string aeTitle; // the peer's (called) AE title
    std::string host;
    int port = 104;
    RetrieveMethod method = RetrieveMethod::Move;
    int connectTimeoutSeconds = 10; // TCP connect and association negotiation
    int dimseTimeoutSeconds = 30;   // silence allowed between two messages of an operation
    int maxAssociations = 2;        // at once, for this node (the transfer queue honours it)
    TlsSettings tls;                // its certificate is checked against `host` too

    // "NAME (AE@host:port)": how errors and logs name the peer.
    std::string label() const;
};

struct LocalIdentity {
    std::string aeTitle = "LIGHTBOX";
    int storagePort = 11112;
};

} // namespace lb::netclient
