#pragma once
// Receives the data set of one C-STORE request straight into a spool file (no decoding, no
// re-encoding), hands it to the sink and answers the request. Used by the storage SCP
// (C-MOVE destination) and by C-GET, which receives its instances on its own association.
#include "core/Result.h"
#include "netclient/InstanceSink.h"

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmnet/assoc.h"
#include "dcmtk/dcmnet/dimse.h"

#include <string>

namespace lb::netclient::internal {

struct StoreOutcome {
    bool stored = false;   // the sink accepted it
    std::string problem;   // why not, when not
};

// Returns an error only when the association itself failed (the caller then stops using it).
core::Result<StoreOutcome> receiveAndStore(T_ASC_Association* association, T_ASC_PresentationContextID context,
                                           const T_DIMSE_C_StoreRQ& request, InstanceSink& sink,
                                           const std::string& callingAeTitle, int timeoutSeconds,
                                           const std::string& peerLabel);

} // namespace lb::netclient::internal
