#pragma once
// What every DCMTK network call in lb_netclient needs first, and how its conditions read.
#include "dcmtk/config/osconfig.h"
#include "dcmtk/ofstd/ofcond.h"

#include <string>
#include <vector>

namespace lb::netclient::internal {

// Once per process, before the first association:
//  - TCP_NODELAY=1 in the environment. Debian's DCMTK reads it whenever it opens a DIMSE
//    socket (requestor and acceptor side) and otherwise leaves Nagle on, which stalls every
//    request/response round trip ~40 ms on delayed ACK (../shared/bench/README.md).
//  - DCMTK's own logger off: we report errors ourselves, naming the peer, without PHI.
void initialiseNetworking();

// DCMTK condition text on one line ("DUL Association Rejected; Reason: ...").
std::string conditionText(const OFCondition& condition);

// The transfer syntaxes we offer (and accept) for storage, best first: the uncompressed ones,
// then every compressed syntax lb_core decodes, so an archive can send what it stores
// without transcoding and the files arrive byte for byte as the archive holds them.
const std::vector<const char*>& storageTransferSyntaxes();
const std::vector<const char*>& uncompressedTransferSyntaxes();

// Storage SOP classes we propose as C-GET storage sub-operation receiver (fits with the
// C-GET context into the 128 contexts an association may carry).
std::vector<const char*> storageSopClassesForGet();

} // namespace lb::netclient::internal
