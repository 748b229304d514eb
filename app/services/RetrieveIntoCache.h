#pragma once
// A retrieve from a remote node into the local cache, resumable. A series-level C-FIND first
// says how many instances each series has (recorded: a partly retrieved series shows as
// "n of m"); series the cache holds completely are skipped, series it lacks entirely are
// requested whole, and for partial ones an image-level C-FIND lists what is missing, which is
// all that is requested. C-MOVE needs our storage SCP listening (started for the duration
// unless the caller runs one); C-GET receives on its own association. Both land in the cache
// through a CacheImportSink (the caller's, or one made for the duration).
#include "app/services/CacheImportSink.h"
#include "core/CancelToken.h"
#include "netclient/Retrieve.h"

#include <functional>
#include <optional>

namespace lb::app {

struct RetrieveJob {
    std::string node;
    std::string studyUid;
    std::string seriesUid; // optional
    std::optional<netclient::RetrieveMethod> method; // default: the node's
};

struct RetrieveOutcome {
    netclient::RetrieveMethod method = netclient::RetrieveMethod::Move;
    int expected = -1;      // instances the node holds for the request (-1: not asked)
    int alreadyLocal = 0;   // of those, in the cache before we started
    int requested = 0;      // asked for over the network (-1: the whole study/series)
    netclient::RetrieveProgress counts; // summed over the requests
    SinkTotals stored;
    bool cancelled = false;
    std::vector<std::string> problems; // statuses other than success, refused instances
    int localAfter = 0;     // instances of the study/series in the cache afterwards
    double seconds = 0;
    bool complete = false;  // everything the node holds is now in the cache
};

// What a long-running caller (the transfer queue) already has running for every retrieve.
struct SharedReceivers {
    CacheImportSink* sink = nullptr;  // null: a sink is made for this retrieve
    bool storageScpListening = false; // true: C-MOVE results reach `sink` through the caller's SCP
};

struct RetrieveCallbacks {
    std::function<void(const netclient::RetrieveProgress&)> onProgress;
    // After each batch lands in the cache (the viewer may open the series from the first one).
    std::function<void(const cache::ImportReport&)> onImported;
    // Once the plan is made: what the node has, what is local, how many will be requested.
    std::function<void(const RetrieveOutcome&)> onPlanned;
    std::function<void(const std::string&)> log;
    const core::CancelToken* cancel = nullptr;
};

// Reads through its own connections: safe while another thread writes through `cache` (the
// shared sink's importer).
core::Result<RetrieveOutcome> retrieveIntoCache(cache::LocalCache& cache, const RetrieveJob& job,
                                                const RetrieveCallbacks& callbacks = {},
                                                const SharedReceivers& shared = {});

} // namespace lb::app
