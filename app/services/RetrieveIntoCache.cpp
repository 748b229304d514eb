#include "app/services/RetrieveIntoCache.h"

#include "app/services/NetworkProfile.h"
#include "cache/StudyQuery.h"
#include "netclient/Find.h"
#include "netclient/StorageScp.h"

#include <chrono>
#include <map>
#include <set>

namespace lb::app {
namespace {

// SOP Instance UIDs per C-MOVE/C-GET request when fetching what is missing (keeps the
// identifier well under any peer's PDU and parser limits).
constexpr size_t kUidsPerRequest = 200;

using UidsBySeries = std::map<std::string, std::set<std::string>>;

core::Result<UidsBySeries> localInstances(cache::LocalCache& cache, const RetrieveJob& job)
{
    cache::StudyQuery query(cache.connection());
    UidsBySeries local;
    std::vector<std::string> seriesUids;
    if (!job.seriesUid.empty()) {
        seriesUids.push_back(job.seriesUid);
    } else {
        auto series = query.series(job.studyUid);
        if (!series) return series.error();
        for (const auto& row : *series) seriesUids.push_back(row.seriesUid);
    }
    for (const std::string& seriesUid : seriesUids) {
        auto instances = query.instances(seriesUid);
        if (!instances) return instances.error();
        for (const auto& row : *instances) local[seriesUid].insert(row.sopInstanceUid);
    }
    return local;
}

int countOf(const UidsBySeries& uids)
{
    int count = 0;
    for (const auto& [series, instances] : uids) count += static_cast<int>(instances.size());
    return count;
}

core::Result<UidsBySeries> remoteInstances(const netclient::LocalIdentity& local, const netclient::RemoteNode& node,
                                           const RetrieveJob& job, const core::CancelToken* cancel)
{
    netclient::FindQuery query;
    query.level = netclient::QueryLevel::Image;
    query.studyUid = job.studyUid;
    query.seriesUid = job.seriesUid;
    UidsBySeries remote;
    auto found = netclient::find(local, node, query, [&](const netclient::FindMatch& match) {
        remote[match.value("SeriesInstanceUID")].insert(match.value("SOPInstanceUID"));
    }, cancel);
    if (!found) return found.error();
    return remote;
}

void addCounts(netclient::RetrieveProgress& total, const netclient::RetrieveProgress& part)
{
    total.completed += part.completed;
    total.failed += part.failed;
    total.warning += part.warning;
    total.remaining = std::max(0, total.remaining) + std::max(0, part.remaining);
    total.received += part.received;
}

} // namespace

core::Result<RetrieveOutcome> retrieveIntoCache(cache::LocalCache& cache, const RetrieveJob& job,
                                                const RetrieveCallbacks& callbacks)
{
    const auto start = std::chrono::steady_clock::now();
    auto node = nodeNamed(cache.connection(), job.node);
    if (!node) return node.error();
    auto local = localIdentity(cache.connection());
    if (!local) return local.error();
    RetrieveOutcome outcome;
    outcome.method = job.method.value_or(node->method);

    // What is missing: nothing local means everything, without asking.
    auto before = localInstances(cache, job);
    if (!before) return before.error();
    outcome.alreadyLocal = countOf(*before);
    std::vector<netclient::RetrieveRequest> requests;
    if (outcome.alreadyLocal == 0) {
        requests.push_back({job.studyUid, job.seriesUid, {}, outcome.method});
        outcome.requested = -1;
    } else {
        auto remote = remoteInstances(*local, *node, job, callbacks.cancel);
        if (!remote) return remote.error();
        outcome.expected = countOf(*remote);
        outcome.alreadyLocal = 0;
        for (const auto& [seriesUid, uids] : *remote) {
            std::vector<std::string> missing;
            const auto held = before->find(seriesUid);
            for (const std::string& uid : uids) {
                if (held != before->end() && held->second.count(uid)) ++outcome.alreadyLocal;
                else missing.push_back(uid);
            }
            for (size_t i = 0; i < missing.size(); i += kUidsPerRequest) {
                netclient::RetrieveRequest request{job.studyUid, seriesUid, {}, outcome.method};
                request.sopInstanceUids.assign(missing.begin() + static_cast<long>(i),
                                               missing.begin() + static_cast<long>(std::min(missing.size(), i + kUidsPerRequest)));
                outcome.requested += static_cast<int>(request.sopInstanceUids.size());
                requests.push_back(std::move(request));
            }
        }
    }

    if (!requests.empty()) {
        auto sink = CacheImportSink::create(cache);
        if (!sink) return sink.error();
        if (callbacks.onImported) (*sink)->setOnBatchImported(callbacks.onImported);
        std::unique_ptr<netclient::StorageScp> scp;
        if (outcome.method == netclient::RetrieveMethod::Move) {
            auto callers = allowedCallers(cache.connection());
            if (!callers) return callers.error();
            netclient::StorageScpConfig config;
            config.local = *local;
            config.allowed = *callers;
            config.log = callbacks.log;
            auto started = netclient::StorageScp::start(config, **sink);
            if (!started) return started.error();
            scp = std::move(*started);
        }
        netclient::RetrieveProgress done;
        for (const auto& request : requests) {
            if (callbacks.cancel && callbacks.cancel->isCancelled()) {
                outcome.cancelled = true;
                break;
            }
            netclient::RetrieveOptions options;
            options.cancel = callbacks.cancel;
            options.onProgress = [&](const netclient::RetrieveProgress& part) {
                if (!callbacks.onProgress) return;
                netclient::RetrieveProgress sum = done;
                addCounts(sum, part);
                callbacks.onProgress(sum);
            };
            auto report = netclient::retrieve(*local, *node, request, sink->get(), options);
            if (!report) {
                // Keep what arrived: it is in the cache and a resume will not fetch it again.
                if (scp) scp->stop();
                (void)(*sink)->flush();
                return report.error();
            }
            addCounts(done, report->counts);
            if (report->cancelled) outcome.cancelled = true;
            if (!report->complete() && !report->cancelled)
                outcome.problems.push_back(report->statusText + " (completed " + std::to_string(report->counts.completed) +
                                           ", failed " + std::to_string(report->counts.failed) + ", warning " +
                                           std::to_string(report->counts.warning) + ")");
            outcome.problems.insert(outcome.problems.end(), report->problems.begin(), report->problems.end());
            if (outcome.cancelled) break;
        }
        if (scp) scp->stop();
        if (auto flushed = (*sink)->flush(); !flushed) return flushed.error();
        outcome.counts = done;
        outcome.stored = (*sink)->totals();
        for (const auto& rejected : outcome.stored.rejected) outcome.problems.push_back(rejected.file + ": " + rejected.reason);
    }

    auto after = localInstances(cache, job);
    if (!after) return after.error();
    outcome.localAfter = countOf(*after);
    if (outcome.expected >= 0) {
        outcome.complete = !outcome.cancelled && outcome.localAfter >= outcome.expected;
    } else {
        const auto& c = outcome.counts;
        outcome.complete = !outcome.cancelled && c.failed == 0 && c.remaining <= 0 && outcome.stored.rejected.empty() &&
                           outcome.problems.empty() && outcome.localAfter > 0;
        outcome.expected = c.completed + c.failed + c.warning;
    }
    outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return outcome;
}

} // namespace lb::app
