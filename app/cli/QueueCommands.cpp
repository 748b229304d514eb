// lightbox-cli queue add | list | cancel | retry | priority | run: the persisted transfer queue.
#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"
#include "app/cli/InterruptCancels.h"
#include "app/services/TransferQueue.h"
#include "cache/LocalCache.h"
#include "cache/NodeSettings.h"

#include <cstdio>

namespace lb::app::cli {
namespace {

QJsonObject jobJson(const cache::TransferJobRecord& job)
{
    return QJsonObject{{"id", static_cast<qint64>(job.id)},
                       {"kind", qs(job.kind)},
                       {"node", qs(job.node)},
                       {"study_uid", qs(job.studyUid)},
                       {"series_uid", job.seriesUid.empty() ? QJsonValue() : QJsonValue(qs(job.seriesUid))},
                       {"method", job.method.empty() ? QJsonValue() : QJsonValue(qs(job.method))},
                       {"priority", job.priority},
                       {"state", qs(job.state)},
                       {"attempts", job.attempts},
                       {"done", job.done},
                       {"total", job.total},
                       {"error", qs(job.lastError)}};
}

int printJobs(cache::SqliteConnection& connection, const CliOptions& options)
{
    auto jobs = cache::listTransferJobs(connection);
    if (!jobs) return fail(jobs.error());
    if (options.json) {
        QJsonArray array;
        for (const auto& job : *jobs) array.append(jobJson(job));
        printJson(array);
    } else {
        for (const auto& job : *jobs)
            std::printf("%4lld %-9s %-8s %-10s prio %-3d %d/%d  %s%s%s\n", static_cast<long long>(job.id), job.state.c_str(),
                        job.kind.c_str(), job.node.c_str(), job.priority, job.done, job.total, job.studyUid.c_str(),
                        job.seriesUid.empty() ? "" : (" " + job.seriesUid).c_str(),
                        job.lastError.empty() ? "" : ("  -- " + job.lastError).c_str());
    }
    return kExitOk;
}

std::optional<int64_t> jobIdArgument(const CliOptions& options)
{
    if (options.arguments.size() < 2) return std::nullopt;
    auto id = parseInteger(options.arguments[1]);
    if (!id) return std::nullopt;
    return *id;
}

int runQueueJobs(cache::LocalCache& cache, const CliOptions& options)
{
    TransferQueueOptions queueOptions;
    if (auto running = options.value("max-running")) {
        auto value = parseInteger(*running);
        if (!value || *value < 1) return fail("--max-running takes a positive number", kExitUsage);
        queueOptions.maxRunning = *value;
    }
    auto opened = TransferQueue::open(cache, queueOptions);
    if (!opened) return fail(opened.error());
    TransferQueue& queue = **opened;
    QObject::connect(&queue, &TransferQueue::jobStateChanged, [](qint64 id, const QString& state, const QString& error) {
        std::fprintf(stderr, "lightbox-cli: job %lld %s%s%s\n", static_cast<long long>(id), state.toUtf8().constData(),
                     error.isEmpty() ? "" : ": ", error.toUtf8().constData());
    });
    QObject::connect(&queue, &TransferQueue::jobProgress, [](qint64 id, int done, int total, double mbps, double eta) {
        std::fprintf(stderr, "lightbox-cli: job %lld %d/%d %.1f MB/s eta %.1f s\n", static_cast<long long>(id), done,
                     total, mbps, eta);
    });
    core::CancelToken stop;
    bool idle = false;
    {
        InterruptCancels interrupt(stop);
        queue.start();
        while (!stop.isCancelled() && !(idle = queue.waitUntilIdle(std::chrono::milliseconds(200)))) {
        }
        queue.stop(); // interrupted jobs go back to 'queued'
    }
    if (int code = printJobs(cache.connection(), options); code != kExitOk) return code;
    if (!idle) return kExitIncomplete;
    auto jobs = queue.jobs();
    if (!jobs) return fail(jobs.error());
    for (const auto& job : *jobs)
        if (job.state != "done") return kExitIncomplete;
    return kExitOk;
}

} // namespace

int runQueue(const CliOptions& options)
{
    const std::string verb = options.arguments.empty() ? "" : options.arguments[0];
    auto cache = cache::LocalCache::open(options.cacheDir);
    if (!cache) return fail(cache.error());
    auto& connection = (*cache)->connection();

    if (verb == "run") return runQueueJobs(**cache, options);
    if (verb == "list") return printJobs(connection, options);
    if (verb == "add") {
        if (options.arguments.size() != 2 || !options.value("study"))
            return fail("usage: queue add NODE --study UID [--series UID] [--method move|get] [--priority N] [--send]",
                        kExitUsage);
        cache::TransferJobRecord job;
        job.kind = options.has("send") ? "send" : "retrieve";
        job.node = options.arguments[1];
        job.studyUid = *options.value("study");
        job.seriesUid = options.value("series").value_or("");
        auto priority = parseInteger(options.value("priority").value_or("0"));
        if (!priority) return fail("--priority takes a number", kExitUsage);
        job.priority = *priority;
        if (auto text = options.value("method")) {
            netclient::RetrieveMethod method;
            if (job.kind == "send" || !netclient::parseRetrieveMethod(*text, method))
                return fail("--method takes move or get (retrieves only)", kExitUsage);
            job.method = *text;
        }
        auto node = cache::findNode(connection, job.node);
        if (!node) return fail(node.error());
        if (!*node) return fail("no node named '" + job.node + "'", kExitNotFound);
        auto id = cache::addTransferJob(connection, job);
        if (!id) return fail(id.error());
        if (options.json) printJson(QJsonObject{{"id", static_cast<qint64>(*id)}});
        else std::printf("%lld\n", static_cast<long long>(*id));
        return kExitOk;
    }
    if (verb == "cancel" || verb == "retry" || verb == "priority") {
        auto id = jobIdArgument(options);
        std::optional<int> priority;
        if (verb == "priority" && options.arguments.size() == 3) priority = parseInteger(options.arguments[2]);
        if (!id || (verb == "priority" && !priority)) return fail("usage: queue " + verb + (verb == "priority" ? " ID N" : " ID"), kExitUsage);
        auto changed = verb == "cancel"  ? cache::cancelTransferJob(connection, *id)
                       : verb == "retry" ? cache::retryTransferJob(connection, *id)
                                         : cache::setTransferJobPriority(connection, *id, *priority);
        if (!changed) return fail(changed.error());
        return printJobs(connection, options);
    }
    return fail("usage: queue add|list|cancel|retry|priority|run", kExitUsage);
}

} // namespace lb::app::cli
