#pragma once
// The plan of a retrieve, as a pure function: given what the node says it has, series by series,
// and what the cache holds, which requests fetch exactly what is missing. No network, no
// database: the retrieve gathers the facts (C-FIND, the index), this decides, and its tests
// need neither.
#include "netclient/Retrieve.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace lb::app {

struct SeriesHoldings {
    std::string seriesUid;
    int expected = -1;          // NumberOfSeriesRelatedInstances on the node; -1: not said
    std::set<std::string> held; // SOP Instance UIDs already in the cache
    // The node's SOP Instance UIDs of the series, when asked for (see needsInstanceList).
    std::optional<std::set<std::string>> onNode;
};

struct RetrievePlan {
    std::vector<netclient::RetrieveRequest> requests;
    int expected = 0;     // on the node, in all (-1 when some series did not say)
    int alreadyLocal = 0; // of those, in the cache already
    int requested = 0;    // instances asked for over the network
};

// Only a series the cache holds part of (or cannot tell whether whole) needs the node's list
// of instances: an empty one is fetched whole, a complete one not at all.
bool needsInstanceList(const SeriesHoldings& series);

// Requests of at most `uidsPerRequest` instance UIDs each (a peer's parser has limits).
RetrievePlan planRetrieve(const std::string& studyUid, netclient::RetrieveMethod method,
                          const std::vector<SeriesHoldings>& series, size_t uidsPerRequest = 200);

} // namespace lb::app
