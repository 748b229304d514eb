#include "app/services/RetrieveIntoCache.h"

#include "app/services/NetworkProfile.h"
#include "app/services/RetrievePlan.h"
#include "cache/StudyQuery.h"
#include "cache/TransferJobs.h"
#include "netclient/Find.h"
#include "netclient/StorageScp.h"

#include <charconv>
#include <chrono>
#include <set>

namespace lb::app {
namespace {

// SOP Instance UIDs per C-MOVE/C-GET request when fetching what is missing (keeps the
// identifier well under any peer's PDU and parser limits).
constexpr size_t kUidsPerRequest = 200;

struct RemoteSeries {
    std::string uid;
    int expected = -1; // NumberOfSeriesRelatedInstances; -1 when the node did not say
};

int parseCount(const std::string& text)
{
    int value = -1;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() ? value : -1;
}

core::Result<std::vector<RemoteSeries>> remoteSeries(const netclient::LocalIdentity& local,
                                                     const netclient::RemoteNode& node, const RetrieveJob& job,
                                                     const core::CancelToken* cancel)
{
    netclient::FindQuery query;
    query.level = netclient::QueryLevel::Series;
    query.studyUid = job.studyUid;
    query.seriesUid = job.seriesUid;
    std::vector<RemoteSeries> series;
    auto found = netclient::find(local, node, query, [&](const netclient::FindMatch& match) {
        series.push_back({match.value("SeriesInstanceUID"), parseCount(match.value("NumberOfSeriesRelatedInstances"))});
    }, cancel);
    if (!found) return found.error();
    return series;
}

core::Result<std::set<std::string>> remoteInstances(const netclient::LocalIdentity& local,
                                                    const netclient::RemoteNode& node, const std::string& studyUid,
                                                    const std::string& seriesUid, const core::CancelToken* cancel)
{
    netclient::FindQuery query;
    query.level = netclient::QueryLevel::Image;
    query.studyUid = studyUid;
    query.seriesUid = seriesUid;
    std::set<std::string> uids;
    auto found = netclient::find(local, node, query, [&](const netclient::FindMatch& match) {
        uids.insert(match.value("SOPInstanceUID"));
    }, cancel);
    if (!found) return found.error();
    return uids;
}

core::Result<std::set<std::string>> localInstances(cache::SqliteConnection& reader, const std::string& seriesUid)
{
    auto rows = cache::StudyQuery(reader).instances(seriesUid);
    if (!rows) return rows.error();
    std::set<std::string> uids;
    for (const auto& row : *rows) uids.insert(row.sopInstanceUid);
    return uids;
}

void addCounts(netclient::RetrieveProgress& total, const netclient::RetrieveProgress& part)
{
    total.completed += part.completed;
    total.failed += part.failed;
    total.warning += part.warning;
    total.remaining = std::max(0, total.remaining) + std::max(0, part.remaining);
    total.received += part.received;
}

// Runs the requests; returns an error only when one could not run at all.
core::Status runRequests(const std::vector<netclient::RetrieveRequest>& requests, const netclient::LocalIdentity& local,
                         const netclient::RemoteNode& node, CacheImportSink& sink, const RetrieveCallbacks& callbacks,
                         RetrieveOutcome& outcome)
{
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
        auto report = netclient::retrieve(local, node, request, &sink, options);
        if (!report) {
            outcome.counts = done;
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
    outcome.counts = done;
    return {};
}

// Plan: the facts (what the node has, series by series; what the cache holds; the node's
// instance list where part is here) gathered, then app/services/RetrievePlan decides.
core::Result<std::vector<netclient::RetrieveRequest>> planRequests(cache::SqliteConnection& reader, cache::SqliteConnection& writer,
                                                                   const netclient::LocalIdentity& local,
                                                                   const netclient::RemoteNode& node, const RetrieveJob& job,
                                                                   const std::vector<RemoteSeries>& series,
                                                                   const RetrieveCallbacks& callbacks, RetrieveOutcome& outcome)
{
    std::vector<SeriesHoldings> holdings;
    for (const RemoteSeries& remote : series) {
        auto held = localInstances(reader, remote.uid);
        if (!held) return held.error();
        if (remote.expected >= 0)
            if (auto ok = cache::recordExpectedInstances(writer, remote.uid, job.studyUid, node.name, remote.expected); !ok)
                return ok.error();
        SeriesHoldings one{remote.uid, remote.expected, std::move(*held), std::nullopt};
        if (needsInstanceList(one)) {
            auto onNode = remoteInstances(local, node, job.studyUid, remote.uid, callbacks.cancel);
            if (!onNode) return onNode.error();
            one.onNode = std::move(*onNode);
        }
        holdings.push_back(std::move(one));
    }
    RetrievePlan plan = planRetrieve(job.studyUid, outcome.method, holdings, kUidsPerRequest);
    outcome.expected = plan.expected;
    outcome.alreadyLocal = plan.alreadyLocal;
    outcome.requested = plan.requested;
    return std::move(plan.requests);
}

// Execute: the requests through the shared sink (or one of its own), with our storage SCP for C-MOVE.
core::Status executeRequests(cache::LocalCache& cache, cache::SqliteConnection& reader, const netclient::LocalIdentity& local,
                             const netclient::RemoteNode& node, const std::vector<netclient::RetrieveRequest>& requests,
                             const RetrieveCallbacks& callbacks, const SharedReceivers& shared, RetrieveOutcome& outcome)
{
    {
        std::unique_ptr<CacheImportSink> ownSink;
        CacheImportSink* sink = shared.sink;
        if (!sink) {
            auto made = CacheImportSink::create(cache);
            if (!made) return made.error();
            ownSink = std::move(*made);
            sink = ownSink.get();
            if (callbacks.onImported) sink->setOnBatchImported(callbacks.onImported);
        }
        const SinkTotals before = sink->totals();
        std::unique_ptr<netclient::StorageScp> scp;
        if (outcome.method == netclient::RetrieveMethod::Move && !shared.storageScpListening) {
            auto config = storageScpConfig(reader);
            if (!config) return config.error();
            config->log = callbacks.log;
            auto started = netclient::StorageScp::start(*config, *sink);
            if (!started) return started.error();
            scp = std::move(*started);
        }
        core::Status ran = runRequests(requests, local, node, *sink, callbacks, outcome);
        if (scp) scp->stop();
        // What arrived is kept even when the run broke off: a resume will not fetch it again.
        core::Status flushed = sink->flush();
        if (!ran) return ran.error();
        if (!flushed) return flushed.error();
        const SinkTotals after = sink->totals();
        outcome.stored.accepted = after.accepted - before.accepted;
        outcome.stored.bytesAccepted = after.bytesAccepted - before.bytesAccepted;
        outcome.stored.imported = after.imported - before.imported;
        outcome.stored.alreadyPresent = after.alreadyPresent - before.alreadyPresent;
        outcome.stored.rejected.assign(after.rejected.begin() + static_cast<long>(before.rejected.size()), after.rejected.end());
        for (const auto& rejected : outcome.stored.rejected) outcome.problems.push_back(rejected.file + ": " + rejected.reason);
    }

    return {};
}

// Verify: complete when every series holds what the node said it has (and nothing went wrong).
core::Status verifyRetrieve(cache::SqliteConnection& reader, const std::vector<RemoteSeries>& series, RetrieveOutcome& outcome)
{
    bool allThere = true;
    for (const RemoteSeries& remote : series) {
        auto held = localInstances(reader, remote.uid);
        if (!held) return held.error();
        outcome.localAfter += static_cast<int>(held->size());
        if (remote.expected >= 0 && static_cast<int>(held->size()) < remote.expected) allThere = false;
    }
    const auto& c = outcome.counts;
    outcome.complete = allThere && !outcome.cancelled && c.failed == 0 && c.remaining <= 0 && outcome.problems.empty();
    return {};
}

} // namespace

core::Result<RetrieveOutcome> retrieveIntoCache(cache::LocalCache& cache, const RetrieveJob& job,
                                                const RetrieveCallbacks& callbacks, const SharedReceivers& shared)
{
    const auto start = std::chrono::steady_clock::now();
    // Own connections: the shared sink's importer writes through cache.connection().
    auto reader = cache.openReader();
    if (!reader) return reader.error();
    auto writer = cache::SqliteConnection::open(cache.layout().indexFile(), cache::SqliteConnection::Mode::ReadWrite);
    if (!writer) return writer.error();
    auto node = nodeNamed(*reader, job.node);
    if (!node) return node.error();
    auto local = localIdentity(*reader);
    if (!local) return local.error();
    RetrieveOutcome outcome;
    outcome.method = job.method.value_or(node->method);

    // The plan: what the node has, series by series, against what the cache holds.
    auto series = remoteSeries(*local, *node, job, callbacks.cancel);
    if (!series) return series.error();
    if (series->empty())
        return core::makeError(core::ErrorCode::NotFound, node->label(),
                               "has no " + std::string(job.seriesUid.empty() ? "study " + job.studyUid : "series " + job.seriesUid));
    auto requests = planRequests(*reader, *writer, *local, *node, job, *series, callbacks, outcome);
    if (!requests) return requests.error();
    if (callbacks.onPlanned) callbacks.onPlanned(outcome);
    if (!requests->empty())
        if (auto ran = executeRequests(cache, *reader, *local, *node, *requests, callbacks, shared, outcome); !ran) return ran.error();
    if (auto verified = verifyRetrieve(*reader, *series, outcome); !verified) return verified.error();
    outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return outcome;
}

} // namespace lb::app
