#include "app/services/CacheMaintenance.h"

#include "cache/CachePrune.h"
#include "cache/LocalCache.h"
#include "cache/NodeSettings.h"
#include "cache/StoredFileCheck.h"
#include "cache/StudyQuery.h"
#include "cache/StudyRemoval.h"
#include "cache/TransferJobs.h"

#include <algorithm>
#include <sstream>

namespace lb::app {

StoredFilesReport describeStoredFiles(const std::vector<StoredFileProblemEntry>& problems)
{
    const std::pair<const char*, const char*> kinds[] = {
        {"changed", "changed since import"}, {"missing", "missing from the store"}, {"unreadable", "unreadable"}};
    StoredFilesReport report;
    for (const auto& [kind, words] : kinds) {
        std::vector<std::string> instances;
        for (const auto& problem : problems)
            if (problem.kind == kind) instances.push_back(problem.instance);
        if (instances.empty()) continue;
        const size_t count = instances.size();
        std::ostringstream clause;
        clause << count << " file" << (count == 1 ? "" : "s") << " " << words << " (instance" << (count == 1 ? "" : "s") << " ";
        for (size_t i = 0; i < std::min<size_t>(count, 5); ++i) clause << (i ? ", " : "") << instances[i];
        if (count > 5) clause << ", ...";
        clause << ")";
        report.summary += (report.summary.empty() ? "" : "; ") + clause.str();
    }
    for (const auto& problem : problems) report.details.push_back("instance " + problem.instance + ": " + problem.reason);
    return report;
}

CacheMaintenance::CacheMaintenance(std::filesystem::path cacheRoot) : m_root(std::move(cacheRoot)) {}

core::Result<std::vector<std::string>> CacheMaintenance::knownHolders(const std::string& studyUid,
                                                                     const std::vector<std::string>& configuredNodes) const
{
    auto cache = cache::LocalCache::open(m_root);
    if (!cache) return cache.error();
    auto records = cache::studyHolders((*cache)->connection(), studyUid);
    if (!records) return records.error();
    std::vector<std::string> holders;
    for (const auto& record : *records) {
        const bool configured = std::find(configuredNodes.begin(), configuredNodes.end(), record.node) != configuredNodes.end();
        if (!configured) continue; // a node since removed promises nothing
        std::string line = record.how + " " + record.node + (record.wholeStudy ? "" : " (some of its series)");
        if (std::find(holders.begin(), holders.end(), line) == holders.end()) holders.push_back(line);
    }
    return holders;
}

core::Result<int> CacheMaintenance::deleteStudy(const std::string& studyUid) const
{
    auto cache = cache::LocalCache::open(m_root);
    if (!cache) return cache.error();
    auto removed = cache::removeStudy(**cache, studyUid);
    if (!removed) return removed.error();
    return static_cast<int>(removed->instances);
}

core::Result<PruneOutcome> CacheMaintenance::pruneToLimit(const std::set<std::string>& keepStudies,
                                                          const std::string& keepAddedSince) const
{
    auto cache = cache::LocalCache::open(m_root);
    if (!cache) return cache.error();
    PruneOutcome outcome;
    auto limit = cache::cacheLimitBytes((*cache)->connection());
    if (!limit) return limit.error();
    if (*limit == 0) return outcome;
    outcome.limitBytes = static_cast<int64_t>(*limit);
    cache::PruneOptions options;
    options.keepStudies = keepStudies;
    options.keepAddedSince = keepAddedSince;
    auto report = cache::pruneToLimit(**cache, *limit, options);
    if (!report) return report.error();
    outcome.studiesRemoved = static_cast<int>(report->removedStudies.size());
    outcome.megabytesFreed = report->bytesFreed / 1048576.0;
    return outcome;
}

core::Result<StoredFilesReport> CacheMaintenance::checkStoredFiles(const std::string& seriesUid,
                                                                   const core::CancelToken* cancel) const
{
    cache::CacheLayout layout(m_root);
    auto reader = cache::SqliteConnection::open(layout.indexFile(), cache::SqliteConnection::Mode::ReadOnly);
    if (!reader) return reader.error();
    auto rows = cache::StudyQuery(*reader).instances(seriesUid);
    if (!rows) return rows.error();
    cache::StoredFileCheckOptions options;
    options.cancel = cancel;
    options.threads = 1; // not urgent: leave the other cores to the viewer
    auto findings = cache::checkStoredFiles(layout.storeDir(), *rows, options);
    if (!findings) return findings.error();
    std::vector<StoredFileProblemEntry> problems;
    for (const auto& finding : *findings)
        problems.push_back({cache::storedFileProblemName(finding.kind),
                            finding.instanceNumber ? std::to_string(*finding.instanceNumber) : finding.sopInstanceUid,
                            finding.reason});
    return describeStoredFiles(problems);
}

std::optional<int64_t> CacheMaintenance::limitBytes() const
{
    auto reader = cache::SqliteConnection::open(cache::CacheLayout(m_root).indexFile(), cache::SqliteConnection::Mode::ReadOnly);
    if (!reader) return std::nullopt;
    auto limit = cache::cacheLimitBytes(*reader);
    return limit ? std::optional<int64_t>(static_cast<int64_t>(*limit)) : std::nullopt;
}

std::optional<int64_t> CacheMaintenance::usageBytes() const
{
    auto reader = cache::SqliteConnection::open(cache::CacheLayout(m_root).indexFile(), cache::SqliteConnection::Mode::ReadOnly);
    if (!reader) return std::nullopt;
    auto usage = cache::cacheUsageBytes(*reader);
    return usage ? std::optional<int64_t>(static_cast<int64_t>(*usage)) : std::nullopt;
}

core::Status CacheMaintenance::setLimitMegabytes(int megabytes) const
{
    auto writer = cache::SqliteConnection::open(cache::CacheLayout(m_root).indexFile(), cache::SqliteConnection::Mode::ReadWrite);
    if (!writer) return writer.error();
    return cache::writeSetting(*writer, cache::kCacheLimitSetting, std::to_string(megabytes));
}

} // namespace lb::app
