#include "app/services/RetrievePlan.h"

#include <algorithm>

namespace lb::app {

namespace {

bool knownComplete(const SeriesHoldings& series)
{
    return series.expected >= 0 && static_cast<int>(series.held.size()) >= series.expected;
}

} // namespace

bool needsInstanceList(const SeriesHoldings& series)
{
    return !series.held.empty() && !knownComplete(series);
}

RetrievePlan planRetrieve(const std::string& studyUid, netclient::RetrieveMethod method,
                          const std::vector<SeriesHoldings>& series, size_t uidsPerRequest)
{
    RetrievePlan plan;
    bool everyCountKnown = true;
    uidsPerRequest = std::max<size_t>(1, uidsPerRequest);
    for (const SeriesHoldings& one : series) {
        if (one.expected >= 0) plan.expected += one.expected;
        else if (one.onNode) plan.expected += static_cast<int>(one.onNode->size());
        else everyCountKnown = false;
        if (knownComplete(one)) {
            plan.alreadyLocal += static_cast<int>(one.held.size());
            continue;
        }
        if (one.held.empty() || !one.onNode) { // nothing here (or no list to compare): the whole series
            plan.requests.push_back({studyUid, one.seriesUid, {}, method});
            plan.requested += std::max(0, one.expected);
            continue;
        }
        std::vector<std::string> missing;
        for (const std::string& uid : *one.onNode) {
            if (one.held.count(uid)) ++plan.alreadyLocal;
            else missing.push_back(uid);
        }
        for (size_t i = 0; i < missing.size(); i += uidsPerRequest) {
            netclient::RetrieveRequest request{studyUid, one.seriesUid, {}, method};
            request.sopInstanceUids.assign(missing.begin() + static_cast<long>(i),
                                           missing.begin() + static_cast<long>(std::min(missing.size(), i + uidsPerRequest)));
            plan.requested += static_cast<int>(request.sopInstanceUids.size());
            plan.requests.push_back(std::move(request));
        }
    }
    if (!everyCountKnown) plan.expected = -1;
    return plan;
}

} // namespace lb::app
