// lightbox-cli delete | prune | check | rebuild
#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"
#include "cache/CachePrune.h"
#include "cache/ConsistencyCheck.h"
#include "cache/IndexRebuild.h"
#include "cache/StudyRemoval.h"

#include <cstdio>

namespace lb::app::cli {

namespace {

QJsonArray findingsToJson(const std::vector<cache::CheckFinding>& findings)
{
    QJsonArray array;
    for (const auto& f : findings) array.append(QJsonObject{{"path", qs(f.path)}, {"detail", qs(f.detail)}});
    return array;
}

void printFindings(const char* label, const std::vector<cache::CheckFinding>& findings)
{
    for (const auto& f : findings) std::printf("%s: %s: %s\n", label, f.path.c_str(), f.detail.c_str());
}

} // namespace

int runDelete(const CliOptions& options)
{
    const auto series = options.value("series");
    if (series ? !options.arguments.empty() : options.arguments.size() != 1)
        return fail("delete needs one STUDY_UID (or --series SERIES_UID)", kExitUsage);
    auto cache = cache::LocalCache::open(options.cacheDir);
    if (!cache) return fail(cache.error());
    auto report = series ? cache::removeSeries(**cache, *series) : cache::removeStudy(**cache, options.arguments[0]);
    if (!report) return fail(report.error());
    if (options.json)
        printJson(QJsonObject{{"deleted_instances", static_cast<qint64>(report->instances)},
                              {"files_removed", static_cast<qint64>(report->filesRemoved)}});
    else
        std::printf("deleted %lld instances (%lld files removed)\n", static_cast<long long>(report->instances),
                    static_cast<long long>(report->filesRemoved));
    return kExitOk;
}

int runPrune(const CliOptions& options)
{
    if (!options.arguments.empty()) return fail("usage: prune [--limit-mb N]", kExitUsage);
    auto cache = cache::LocalCache::open(options.cacheDir);
    if (!cache) return fail(cache.error());
    uint64_t limit = 0;
    if (auto given = options.value("limit-mb")) {
        const auto mb = parseInteger(*given);
        if (!mb || *mb < 1) return fail("--limit-mb is a number of megabytes (1 or more)", kExitUsage);
        limit = static_cast<uint64_t>(*mb) * 1024 * 1024;
    } else {
        auto setting = cache::cacheLimitBytes((*cache)->connection());
        if (!setting) return fail(setting.error());
        limit = *setting;
    }
    auto report = cache::pruneToLimit(**cache, limit);
    if (!report) return fail(report.error());
    if (options.json) {
        QJsonArray removed;
        for (const auto& study : report->removedStudies) removed.append(qs(study));
        printJson(QJsonObject{{"removed_studies", removed},
                              {"freed_bytes", static_cast<qint64>(report->bytesFreed)},
                              {"usage_bytes", static_cast<qint64>(report->usageBytes)},
                              {"limit_bytes", static_cast<qint64>(limit)}});
    } else {
        for (const auto& study : report->removedStudies) std::printf("removed %s\n", study.c_str());
        std::printf("%zu studies removed, %.1f MB freed; the cache holds %.1f MB%s\n", report->removedStudies.size(),
                    report->bytesFreed / 1048576.0, report->usageBytes / 1048576.0,
                    limit ? QString(" (limit %1 MB)").arg(limit / 1048576).toUtf8().constData() : " (no limit set)");
    }
    return kExitOk;
}

int runCheck(const CliOptions& options)
{
    auto cache = cache::LocalCache::open(options.cacheDir);
    if (!cache) return fail(cache.error());
    const auto& recovery = (*cache)->recoveryAtOpen();
    auto report = cache::checkCache(**cache, {!options.has("quick")});
    if (!report) return fail(report.error());
    if (options.json) {
        printJson(QJsonObject{{"consistent", report->consistent()},
                              {"integrity", qs(report->integrity)},
                              {"instances", static_cast<qint64>(report->instances)},
                              {"files_in_store", static_cast<qint64>(report->filesInStore)},
                              {"hashes_verified", report->hashesVerified},
                              {"missing_files", findingsToJson(report->missingFiles)},
                              {"orphan_files", findingsToJson(report->orphanFiles)},
                              {"size_mismatches", findingsToJson(report->sizeMismatches)},
                              {"hash_mismatches", findingsToJson(report->hashMismatches)},
                              {"counter_mismatches", findingsToJson(report->counterMismatches)},
                              {"recovered_dead_writers", recovery.deadOwners},
                              {"recovered_unindexed_files", recovery.removedFiles}});
    } else {
        std::printf("%s: %lld instances, %lld files, integrity %s%s\n", report->consistent() ? "consistent" : "INCONSISTENT",
                    static_cast<long long>(report->instances), static_cast<long long>(report->filesInStore),
                    report->integrity.c_str(), report->hashesVerified ? ", hashes verified" : "");
        if (recovery.deadOwners > 0)
            std::printf("recovered: %d interrupted writers, %d unindexed files removed\n", recovery.deadOwners,
                        recovery.removedFiles);
        printFindings("missing", report->missingFiles);
        printFindings("orphan", report->orphanFiles);
        printFindings("size mismatch", report->sizeMismatches);
        printFindings("hash mismatch", report->hashMismatches);
        printFindings("counter mismatch", report->counterMismatches);
    }
    if (!report->consistent()) return fail("the cache is not consistent", kExitInconsistent);
    return kExitOk;
}

int runRebuild(const CliOptions& options)
{
    auto cache = cache::LocalCache::open(options.cacheDir);
    if (!cache) return fail(cache.error());
    auto report = cache::rebuildIndex(**cache);
    if (!report) return fail(report.error());
    if (options.json) {
        QJsonArray unreadable, duplicates;
        for (const auto& [path, reason] : report->unreadable) unreadable.append(QJsonObject{{"path", qs(path)}, {"reason", qs(reason)}});
        for (const auto& [path, uid] : report->duplicates)
            duplicates.append(QJsonObject{{"path", qs(path)}, {"sop_instance_uid", qs(uid)}});
        printJson(QJsonObject{{"files", static_cast<qint64>(report->files)},
                              {"indexed", static_cast<qint64>(report->indexed)},
                              {"unreadable", unreadable},
                              {"duplicates", duplicates}});
    } else {
        std::printf("rebuilt: %lld files, %lld indexed, %zu unreadable, %zu duplicates\n",
                    static_cast<long long>(report->files), static_cast<long long>(report->indexed),
                    report->unreadable.size(), report->duplicates.size());
        for (const auto& [path, reason] : report->unreadable) std::printf("unreadable: %s: %s\n", path.c_str(), reason.c_str());
    }
    return kExitOk;
}

} // namespace lb::app::cli
