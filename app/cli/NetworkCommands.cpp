// lightbox-cli nodes | settings | echo | find | retrieve | send | listen
#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"
#include "app/cli/InterruptCancels.h"
#include "app/services/CacheImportSink.h"
#include "app/services/NetworkProfile.h"
#include "app/services/RetrieveIntoCache.h"
#include "app/services/SendFromCache.h"
#include "cache/CachePrune.h"
#include "cache/LocalCache.h"
#include "netclient/Echo.h"
#include "netclient/Find.h"
#include "netclient/Send.h"
#include "netclient/StorageScp.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <thread>

namespace lb::app::cli {
namespace {

core::Result<std::unique_ptr<cache::LocalCache>> openCache(const CliOptions& options)
{
    return cache::LocalCache::open(options.cacheDir);
}

QJsonObject nodeJson(const netclient::RemoteNode& node)
{
    return QJsonObject{{"name", qs(node.name)},
                       {"ae", qs(node.aeTitle)},
                       {"host", qs(node.host)},
                       {"port", node.port},
                       {"method", netclient::retrieveMethodName(node.method)},
                       {"connect_timeout_s", node.connectTimeoutSeconds},
                       {"dimse_timeout_s", node.dimseTimeoutSeconds},
                       {"max_associations", node.maxAssociations},
                       {"tls", node.tls.enabled},
                       {"ca", qs(node.tls.caFile)},
                       {"cert", qs(node.tls.certFile)}};
}

int runNodesAdd(const CliOptions& options, cache::LocalCache& cache)
{
    if (options.arguments.size() != 2)
        return fail("usage: nodes add NAME --ae AE --host H --port P [--method move|get] [--tls [--ca FILE] [--cert FILE --key FILE]]",
                    kExitUsage);
    netclient::RemoteNode node;
    node.name = options.arguments[1];
    node.aeTitle = options.value("ae").value_or("");
    node.host = options.value("host").value_or("");
    if (auto problem = aeTitleProblem(node.aeTitle); !problem.empty()) return fail("--ae: " + problem, kExitUsage);
    if (node.host.empty()) return fail("--host is required", kExitUsage);
    auto port = parseInteger(options.value("port").value_or(""));
    if (!port || *port < 1 || *port > 65535) return fail("--port takes a number from 1 to 65535", kExitUsage);
    node.port = *port;
    if (auto method = options.value("method"); method && !netclient::parseRetrieveMethod(*method, node.method))
        return fail("--method takes move or get", kExitUsage);
    for (const auto& [flag, target] : {std::pair{"connect-timeout", &node.connectTimeoutSeconds},
                                       std::pair{"timeout", &node.dimseTimeoutSeconds},
                                       std::pair{"max-associations", &node.maxAssociations}}) {
        if (auto text = options.value(flag)) {
            auto value = parseInteger(*text);
            if (!value || *value < 1) return fail(std::string("--") + flag + " takes a positive number", kExitUsage);
            *target = *value;
        }
    }
    node.tls.enabled = options.has("tls");
    node.tls.caFile = options.value("ca").value_or("");
    node.tls.certFile = options.value("cert").value_or("");
    node.tls.keyFile = options.value("key").value_or("");
    if (!node.tls.enabled && (!node.tls.caFile.empty() || !node.tls.certFile.empty() || !node.tls.keyFile.empty()))
        return fail("--ca, --cert and --key go with --tls", kExitUsage);
    if (node.tls.certFile.empty() != node.tls.keyFile.empty()) return fail("--cert and --key go together", kExitUsage);
    for (std::string* file : {&node.tls.caFile, &node.tls.certFile, &node.tls.keyFile}) {
        std::error_code ec;
        if (file->empty()) continue;
        if (!std::filesystem::is_regular_file(*file, ec)) return fail("no such file: " + *file, kExitUsage);
        *file = std::filesystem::absolute(*file, ec).string(); // the profile works from any folder
    }
    if (auto saved = cache::saveNode(cache.connection(), toNodeRecord(node)); !saved) return fail(saved.error());
    if (options.json) printJson(nodeJson(node));
    else std::printf("added %s\n", node.label().c_str());
    return kExitOk;
}

int runNodesList(const CliOptions& options, cache::LocalCache& cache)
{
    auto nodes = cache::listNodes(cache.connection());
    if (!nodes) return fail(nodes.error());
    QJsonArray array;
    for (const auto& record : *nodes) {
        const auto node = toRemoteNode(record);
        if (options.json) array.append(nodeJson(node));
        else std::printf("%s  method=%s%s\n", node.label().c_str(), netclient::retrieveMethodName(node.method),
                         node.tls.enabled ? "  tls" : "");
    }
    if (options.json) printJson(array);
    return kExitOk;
}

int runNodesRemove(const CliOptions& options, cache::LocalCache& cache)
{
    if (options.arguments.size() != 2) return fail("usage: nodes remove NAME", kExitUsage);
    auto removed = cache::removeNode(cache.connection(), options.arguments[1]);
    if (!removed) return fail(removed.error());
    if (!*removed) return fail("no node named '" + options.arguments[1] + "'", kExitNotFound);
    if (options.json) printJson(QJsonObject{{"removed", qs(options.arguments[1])}});
    else std::printf("removed %s\n", options.arguments[1].c_str());
    return kExitOk;
}

// "YYYY-MM-DDTHH:MM:SSZ", as the index records when a study was added.
std::string utcTimestamp(std::chrono::system_clock::time_point when)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

// DICOM keyword -> the JSON key `find` prints (the names `studies`/`series`/`instances` use).
const std::map<std::string, std::string>& findJsonKeys()
{
    static const std::map<std::string, std::string> keys = {
        {"PatientName", "patient_name"},
        {"PatientID", "patient_id"},
        {"IssuerOfPatientID", "issuer_of_patient_id"},
        {"PatientBirthDate", "patient_birth_date"},
        {"PatientSex", "patient_sex"},
        {"NumberOfPatientRelatedStudies", "num_studies"},
        {"StudyInstanceUID", "study_uid"},
        {"StudyDate", "study_date"},
        {"StudyTime", "study_time"},
        {"AccessionNumber", "accession_number"},
        {"StudyID", "study_id"},
        {"StudyDescription", "description"},
        {"ReferringPhysicianName", "referring_physician"},
        {"ModalitiesInStudy", "modalities"},
        {"NumberOfStudyRelatedSeries", "num_series"},
        {"NumberOfStudyRelatedInstances", "num_instances"},
        {"SeriesInstanceUID", "series_uid"},
        {"Modality", "modality"},
        {"SeriesNumber", "series_number"},
        {"SeriesDescription", "description"},
        {"BodyPartExamined", "body_part"},
        {"SeriesDate", "series_date"},
        {"SeriesTime", "series_time"},
        {"NumberOfSeriesRelatedInstances", "num_instances"},
        {"SOPInstanceUID", "sop_instance_uid"},
        {"SOPClassUID", "sop_class_uid"},
        {"InstanceNumber", "instance_number"},
        {"NumberOfFrames", "frames"},
    };
    return keys;
}

bool isCountKey(const std::string& key)
{
    return key.rfind("num_", 0) == 0 || key == "series_number" || key == "instance_number" || key == "frames";
}

QJsonObject matchJson(const netclient::FindMatch& match, netclient::QueryLevel level)
{
    QJsonObject object;
    for (const std::string& keyword : netclient::returnKeys(level)) {
        const std::string key = findJsonKeys().at(keyword);
        const std::string value = match.value(keyword);
        if (isCountKey(key)) {
            auto number = parseInteger(value);
            object[qs(key)] = number ? QJsonValue(*number) : QJsonValue(QJsonValue::Null);
        } else {
            object[qs(key)] = qs(value);
        }
    }
    return object;
}

} // namespace

int runNodes(const CliOptions& options)
{
    if (options.arguments.empty()) return fail("usage: nodes add|list|remove", kExitUsage);
    auto cache = openCache(options);
    if (!cache) return fail(cache.error());
    const std::string& verb = options.arguments[0];
    if (verb == "add") return runNodesAdd(options, **cache);
    if (verb == "list") return runNodesList(options, **cache);
    if (verb == "remove") return runNodesRemove(options, **cache);
    return fail("usage: nodes add|list|remove", kExitUsage);
}

int runSettings(const CliOptions& options)
{
    auto cache = openCache(options);
    if (!cache) return fail(cache.error());
    auto& connection = (*cache)->connection();
    const std::string verb = options.arguments.empty() ? "" : options.arguments[0];
    if (verb == "set") {
        if (options.arguments.size() != 3) return fail("usage: settings set KEY VALUE", kExitUsage);
        const std::string& key = options.arguments[1];
        std::string value = options.arguments[2];
        if (auto problem = settingProblem(key, value); !problem.empty()) return fail(key + ": " + problem, kExitUsage);
        if (key == kTlsCertSetting || key == kTlsKeySetting || key == kTlsTrustedSetting) {
            std::error_code ec;
            value = std::filesystem::absolute(value, ec).string(); // the profile works from any folder
        }
        if (auto saved = cache::writeSetting(connection, key, value); !saved) return fail(saved.error());
    } else if (verb != "list") {
        return fail("usage: settings set KEY VALUE | settings list", kExitUsage);
    }
    auto local = localIdentity(connection);
    if (!local) return fail(local.error());
    auto limit = cache::cacheLimitBytes(connection);
    if (!limit) return fail(limit.error());
    const qint64 limitMb = static_cast<qint64>(*limit / (1024 * 1024));
    const qint64 minFreeMb = static_cast<qint64>(minFreeMegabytes(connection));
    auto scp = storageScpConfig(connection);
    if (!scp) return fail(scp.error());
    const char* listenTls = scp->tls.enabled ? "on" : "off";
    if (options.json) {
        printJson(QJsonObject{{"local-ae", qs(local->aeTitle)}, {"storage-port", local->storagePort},
                              {"listen-address", qs(scp->listenAddress)},
                              {"cache-limit-mb", limitMb}, {"min-free-mb", minFreeMb}, {"listen-tls", listenTls},
                              {"tls-cert", qs(scp->tls.certFile)}, {"tls-key", qs(scp->tls.keyFile)},
                              {"tls-trusted", qs(scp->tls.caFile)}});
    } else {
        std::printf("local-ae        %s\nstorage-port    %d\nlisten-address  %s\ncache-limit-mb  %lld\n"
                    "min-free-mb     %lld\nlisten-tls      %s\ntls-cert        %s\ntls-key         %s\ntls-trusted     %s\n",
                    local->aeTitle.c_str(), local->storagePort, scp->listenAddress.c_str(), static_cast<long long>(limitMb),
                    static_cast<long long>(minFreeMb), listenTls, scp->tls.certFile.c_str(), scp->tls.keyFile.c_str(),
                    scp->tls.caFile.c_str());
    }
    return kExitOk;
}

int runEcho(const CliOptions& options)
{
    if (options.arguments.size() != 1) return fail("usage: echo NODE", kExitUsage);
    auto cache = openCache(options);
    if (!cache) return fail(cache.error());
    auto peer = peerNamed((*cache)->connection(), options.arguments[0]);
    if (!peer) return fail(peer.error());
    auto echoed = netclient::echo(peer->local, peer->node);
    if (!echoed) return fail(echoed.error());
    if (options.json) printJson(QJsonObject{{"node", qs(peer->node.name)}, {"ok", true}, {"ms", echoed->milliseconds}});
    else std::printf("%s: C-ECHO ok (%.1f ms)\n", peer->node.label().c_str(), echoed->milliseconds);
    return kExitOk;
}

int runFind(const CliOptions& options)
{
    if (options.arguments.size() != 1) return fail("usage: find NODE [--level study|series|image] [keys]", kExitUsage);
    netclient::FindQuery query;
    if (auto level = options.value("level"); level && !netclient::parseQueryLevel(*level, query.level))
        return fail("--level takes patient, study, series or image", kExitUsage);
    query.patientName = options.value("patient-name").value_or("");
    query.patientId = options.value("patient-id").value_or("");
    query.studyDate = options.value("study-date").value_or("");
    query.modality = options.value("modality").value_or("");
    query.accessionNumber = options.value("accession").value_or("");
    query.studyDescription = options.value("description").value_or("");
    query.studyUid = options.value("study").value_or("");
    query.seriesUid = options.value("series").value_or("");

    auto cache = openCache(options);
    if (!cache) return fail(cache.error());
    auto peer = peerNamed((*cache)->connection(), options.arguments[0]);
    if (!peer) return fail(peer.error());

    core::CancelToken cancel;
    InterruptCancels interrupt(cancel);
    QJsonArray array;
    auto found = netclient::find(peer->local, peer->node, query, [&](const netclient::FindMatch& match) {
        if (options.json) {
            array.append(matchJson(match, query.level));
            return;
        }
        std::string line;
        for (const auto& [keyword, value] : match.attributes) {
            if (value.empty()) continue;
            line += (line.empty() ? "" : "  ") + findJsonKeys().at(keyword) + "=" + value;
        }
        std::printf("%s\n", terminalSafe(line).c_str());
    }, &cancel);
    if (!found) return fail(found.error());
    if (options.json) printJson(array);
    if (found->cancelled) return fail("cancelled after " + std::to_string(found->matches) + " matches", kExitIncomplete);
    return kExitOk;
}

int runRetrieve(const CliOptions& options)
{
    if (options.arguments.size() != 1 || !options.value("study"))
        return fail("usage: retrieve NODE --study UID [--series UID] [--method move|get]", kExitUsage);
    RetrieveJob job;
    job.node = options.arguments[0];
    job.studyUid = *options.value("study");
    job.seriesUid = options.value("series").value_or("");
    if (auto text = options.value("method")) {
        netclient::RetrieveMethod method;
        if (!netclient::parseRetrieveMethod(*text, method)) return fail("--method takes move or get", kExitUsage);
        job.method = method;
    }
    auto cache = openCache(options);
    if (!cache) return fail(cache.error());

    core::CancelToken cancel;
    InterruptCancels interrupt(cancel);
    RetrieveCallbacks callbacks;
    callbacks.cancel = &cancel;
    callbacks.log = [](const std::string& line) { std::fprintf(stderr, "lightbox-cli: %s\n", line.c_str()); };
    auto outcome = retrieveIntoCache(**cache, job, callbacks);
    if (!outcome) return fail(outcome.error());
    const auto& o = *outcome;
    if (options.json) {
        QJsonArray problems;
        for (const auto& problem : o.problems) problems.append(qs(problem));
        printJson(QJsonObject{{"node", qs(job.node)},
                              {"study_uid", qs(job.studyUid)},
                              {"series_uid", job.seriesUid.empty() ? QJsonValue(QJsonValue::Null) : QJsonValue(qs(job.seriesUid))},
                              {"method", netclient::retrieveMethodName(o.method)},
                              {"expected", o.expected},
                              {"already_local", o.alreadyLocal},
                              {"requested", o.requested},
                              {"completed", o.counts.completed},
                              {"failed", o.counts.failed},
                              {"warning", o.counts.warning},
                              {"remaining", std::max(0, o.counts.remaining)},
                              {"received", static_cast<qint64>(o.stored.accepted)},
                              {"imported", static_cast<qint64>(o.stored.imported)},
                              {"already_present", static_cast<qint64>(o.stored.alreadyPresent)},
                              {"local_instances", o.localAfter},
                              {"cancelled", o.cancelled},
                              {"complete", o.complete},
                              {"problems", problems},
                              {"seconds", o.seconds}});
    } else {
        std::printf("%s: %d of %d instances local (%d were already, %lld imported) in %.2f s%s\n", job.node.c_str(),
                    o.localAfter, o.expected, o.alreadyLocal, static_cast<long long>(o.stored.imported), o.seconds,
                    o.complete ? "" : o.cancelled ? " -- cancelled" : " -- INCOMPLETE");
        for (const auto& problem : o.problems) std::printf("  %s\n", problem.c_str());
    }
    return o.complete ? kExitOk : kExitIncomplete;
}

int runSend(const CliOptions& options)
{
    if (options.arguments.size() != 1 || !options.value("study"))
        return fail("usage: send NODE --study UID [--series UID]", kExitUsage);
    auto cache = openCache(options);
    if (!cache) return fail(cache.error());
    auto& connection = (*cache)->connection();
    auto peer = peerNamed(connection, options.arguments[0]);
    if (!peer) return fail(peer.error());
    const netclient::RemoteNode* node = &peer->node;
    auto found = sendItemsFor(connection, (*cache)->layout().storeDir(), *options.value("study"),
                              options.value("series").value_or(""));
    if (!found) return fail(found.error());
    const std::vector<netclient::SendItem>& items = *found;
    if (items.empty()) return fail("nothing in the cache for that study/series", kExitNotFound);

    core::CancelToken cancel;
    InterruptCancels interrupt(cancel);
    netclient::SendOptions sendOptions;
    sendOptions.cancel = &cancel;
    auto report = netclient::send(peer->local, *node, items, sendOptions);
    if (!report) return fail(report.error());
    if (options.json) {
        QJsonArray failures;
        for (const auto& failure : report->failures)
            failures.append(QJsonObject{{"sop_instance_uid", qs(failure.sopInstanceUid)}, {"reason", qs(failure.reason)}});
        printJson(QJsonObject{{"node", qs(node->name)},
                              {"total", static_cast<int>(items.size())},
                              {"sent", report->sent},
                              {"warnings", report->warnings},
                              {"failed", static_cast<int>(report->failures.size())},
                              {"failures", failures},
                              {"cancelled", report->cancelled},
                              {"bytes", static_cast<qint64>(report->bytes)},
                              {"seconds", report->milliseconds / 1000.0}});
    } else {
        std::printf("%s: sent %d of %zu instances in %.2f s\n", node->label().c_str(), report->sent, items.size(),
                    report->milliseconds / 1000.0);
        for (const auto& failure : report->failures)
            std::printf("  %s: %s\n", failure.sopInstanceUid.c_str(), failure.reason.c_str());
    }
    return report->complete() ? kExitOk : kExitIncomplete;
}

int runListen(const CliOptions& options)
{
    auto cache = openCache(options);
    if (!cache) return fail(cache.error());
    auto made = storageScpConfig((*cache)->connection());
    if (!made) return fail(made.error());
    netclient::StorageScpConfig config = std::move(*made);
    auto sink = CacheImportSink::create(**cache);
    if (!sink) return fail(sink.error());
    auto limit = cache::cacheLimitBytes((*cache)->connection());
    if (!limit) return fail(limit.error());
    cache::LocalCache& receiving = **cache;
    // Called on the sink's importer thread, the only writer of this cache while it runs.
    (*sink)->setOnBatchImported([limit = *limit, &receiving](const cache::ImportReport& report) {
        std::fprintf(stderr, "lightbox-cli: indexed %lld new, %lld already present, %zu rejected\n",
                     static_cast<long long>(report.imported), static_cast<long long>(report.alreadyPresent),
                     report.rejected.size());
        if (limit == 0 || report.imported == 0) return;
        // What a peer sends counts against cache-limit-mb like anything else; a study that may
        // still be arriving (added in the last minute) stays.
        cache::PruneOptions options;
        options.keepAddedSince = utcTimestamp(std::chrono::system_clock::now() - std::chrono::minutes(1));
        if (auto pruned = cache::pruneToLimit(receiving, limit, options); pruned && !pruned->removedStudies.empty())
            std::fprintf(stderr, "lightbox-cli: cache over its limit: removed %zu older studies (%.1f MB)\n",
                         pruned->removedStudies.size(), pruned->bytesFreed / 1048576.0);
    });
    config.log = [](const std::string& line) { std::fprintf(stderr, "lightbox-cli: %s\n", line.c_str()); };
    auto scp = netclient::StorageScp::start(config, **sink);
    if (!scp) return fail(scp.error());
    std::fprintf(stderr, "lightbox-cli: listening as %s on %s%s (%zu configured nodes may store)\n",
                 config.local.aeTitle.c_str(), (*scp)->boundAddress().c_str(), config.tls.enabled ? " with DICOM TLS" : "",
                 config.allowed.size());

    core::CancelToken stop;
    {
        InterruptCancels interrupt(stop);
        while (!stop.isCancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    (*scp)->stop();
    if (auto flushed = (*sink)->flush(); !flushed) return fail(flushed.error());
    const auto stats = (*scp)->stats();
    const auto totals = (*sink)->totals();
    if (options.json) {
        printJson(QJsonObject{{"associations", stats.associationsAccepted},
                              {"rejected_associations", stats.associationsRejected},
                              {"received", static_cast<qint64>(totals.accepted)},
                              {"imported", static_cast<qint64>(totals.imported)},
                              {"already_present", static_cast<qint64>(totals.alreadyPresent)},
                              {"rejected", static_cast<int>(totals.rejected.size())},
                              {"failed", stats.instancesFailed}});
    } else {
        std::printf("received %lld instances (%lld new) over %d associations; %d associations rejected\n",
                    static_cast<long long>(totals.accepted), static_cast<long long>(totals.imported),
                    stats.associationsAccepted, stats.associationsRejected);
    }
    return kExitOk;
}

} // namespace lb::app::cli
