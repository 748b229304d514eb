#pragma once
// A retrieve from a remote node into the local cache, resumable: when the cache already holds
// part of the study (or series), an image-level C-FIND lists what the node has and only the
// missing instances are fetched. C-MOVE runs our storage SCP for the duration; C-GET receives
// on its own association. Both land in the cache through a CacheImportSink.
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

struct RetrieveCallbacks {
    std::function<void(const netclient::RetrieveProgress&)> onProgress;
    // After each batch lands in the cache (the viewer may open the series from the first one).
    std::function<void(const cache::ImportReport&)> onImported;
    std::function<void(const std::string&)> log;
    const core::CancelToken* cancel = nullptr;
};

core::Result<RetrieveOutcome> retrieveIntoCache(cache::LocalCache& cache, const RetrieveJob& job,
                                                const RetrieveCallbacks& callbacks = {});

} // namespace lb::app
