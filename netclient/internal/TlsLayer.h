#pragma once
// DICOM TLS through DCMTK's dcmtls (OpenSSL underneath): the non-downgrading BCP 195 profile
// (TLS 1.2 or newer, its cipher suites; the plain BCP 195 profile falls back to TLS 1.0), the peer's certificate always verified, and for a node we call, its host
// name or address checked against that certificate. Errors say which node and why (not
// trusted, wrong host, expired, handshake refused) in words.
#include "core/Result.h"
#include "netclient/RemoteNode.h"

#include "dcmtk/dcmnet/assoc.h"
#include "dcmtk/dcmtls/tlslayer.h"

#include <memory>

namespace lb::netclient::internal {

// For an association we open to `node` (node.tls.enabled).
core::Result<std::unique_ptr<DcmTLSTransportLayer>> clientTlsLayer(const RemoteNode& node);

// For our storage SCP: our certificate and key; `tls.caFile` lists the peer certificates (or
// their CA) we accept, and a caller must show one of them.
core::Result<std::unique_ptr<DcmTLSTransportLayer>> serverTlsLayer(const TlsSettings& tls);

// The reason a TLS association failed, in words, from DCMTK's condition and what OpenSSL's
// certificate check recorded on this thread.
std::string tlsFailureReason(const OFCondition& condition, const RemoteNode& node);

} // namespace lb::netclient::internal
