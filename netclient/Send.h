#pragma once
// C-STORE SCU: send instances (a study, a series) to a node, each file as stored: the
// transfer syntax of the file is proposed first, so nothing is transcoded on our side.
#include "core/CancelToken.h"
#include "core/Result.h"
#include "netclient/RemoteNode.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace lb::netclient {

struct SendItem {
    std::filesystem::path file;
    std::string sopClassUid;
    std::string sopInstanceUid;
    std::string transferSyntaxUid;
};

struct SendProgress {
    int done = 0; // sent or failed
    int total = 0;
    uint64_t bytes = 0;
};

struct SendFailure {
    std::string sopInstanceUid;
    std::string reason;
};

struct SendReport {
    int sent = 0;     // answered with success or a warning
    int warnings = 0; // of those, answered with a warning
    std::vector<SendFailure> failures;
    bool cancelled = false;
    uint64_t bytes = 0;
    double milliseconds = 0;
    bool complete() const { return failures.empty() && !cancelled; }
};

struct SendOptions {
    std::function<void(const SendProgress&)> onProgress;
    const core::CancelToken* cancel = nullptr;
};

// An error: not one association could be opened. Problems with single instances and a link
// lost on the way are failures in the report (each names the instance and the reason).
core::Result<SendReport> send(const LocalIdentity& local, const RemoteNode& node, const std::vector<SendItem>& items,
                              const SendOptions& options = {});

} // namespace lb::netclient
