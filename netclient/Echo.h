#pragma once
// C-ECHO: "can we talk?" Reports the round trip, or why not (refused, rejected, silent).
#include "core/Result.h"
#include "netclient/RemoteNode.h"

namespace lb::netclient {

struct EchoReport {
    double milliseconds = 0; // association + echo + release
};

core::Result<EchoReport> echo(const LocalIdentity& local, const RemoteNode& node);

} // namespace lb::netclient
