#pragma once
// C-ECHO: "can we talk?" Reports the round trip, or why not (refused, rejected, silent).
#include "core/CancelToken.h"
#include "core/Result.h"
#include "netclient/RemoteNode.h"

namespace lb::netclient {

struct EchoReport {
    double milliseconds = 0; // association + echo + release
};

// `cancel` ends the wait for the peer's answer (Cancelled; the association is aborted). While the
// association is being opened DCMTK blocks up to the node's connect timeout: a job cancelled then
// is reported cancelled at once by the job model and its worker ends with that timeout.
core::Result<EchoReport> echo(const LocalIdentity& local, const RemoteNode& node, const core::CancelToken* cancel = nullptr);

} // namespace lb::netclient
