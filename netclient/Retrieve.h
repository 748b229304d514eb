#pragma once
// C-MOVE (to our own storage SCP, which must be listening and know the node) and C-GET (the
// instances come back on the same association into `sink`). Counts come from the peer's
// responses; anything failed, warned, left over or cancelled is never reported as success.
#include "core/CancelToken.h"
#include "core/Result.h"
#include "netclient/InstanceSink.h"
#include "netclient/RemoteNode.h"

#include <functional>
#include <string>
#include <vector>

namespace lb::netclient {

struct RetrieveRequest {
    std::string studyUid;                    // required
    std::string seriesUid;                   // optional: one series
    std::vector<std::string> sopInstanceUids; // optional (needs seriesUid): just these instances
    RetrieveMethod method = RetrieveMethod::Move;
};

struct RetrieveProgress {
    int completed = 0;
    int failed = 0;
    int warning = 0;
    int remaining = -1; // -1: the peer did not say
    int received = 0;   // C-GET: instances that arrived and the sink accepted
};

struct RetrieveReport {
    RetrieveProgress counts;
    bool cancelled = false;
    unsigned finalStatus = 0;   // the DIMSE status of the final response
    std::string statusText;     // e.g. "Success", "Warning", "Failed: Unable to process"
    std::vector<std::string> problems; // C-GET: why instances were refused locally
    double milliseconds = 0;

    bool complete() const { return !cancelled && finalStatus == 0 && counts.failed == 0 && counts.warning == 0 && counts.remaining <= 0; }
};

struct RetrieveOptions {
    std::function<void(const RetrieveProgress&)> onProgress; // each response / each instance
    const core::CancelToken* cancel = nullptr;
};

// An error means the operation could not run (association refused, peer silent, link cut);
// a run that ended with failures is a report whose complete() is false.
core::Result<RetrieveReport> retrieve(const LocalIdentity& local, const RemoteNode& node,
                                      const RetrieveRequest& request, InstanceSink* sinkForGet,
                                      const RetrieveOptions& options = {});

} // namespace lb::netclient
