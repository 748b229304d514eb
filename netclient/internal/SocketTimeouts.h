#pragma once
// Per-association socket timeouts. DCMTK keeps its socket send/receive timeouts in process-wide
// globals read when a socket is made, so two associations opened at once (a retrieve from a slow
// archive, an echo of a fast one, the storage SCP's own) would take each other's. Each
// association gets its own on its own socket instead, right after it is established.
#include "dcmtk/dcmnet/assoc.h"

namespace lb::netclient::internal {

void setAssociationTimeouts(T_ASC_Association* association, int seconds);

} // namespace lb::netclient::internal
