#include "cache/CachePrune.h"

#include "cache/NodeSettings.h"
#include "cache/StudyRemoval.h"

namespace lb::cache {

core::Result<uint64_t> cacheUsageBytes(SqliteConnection& connection)
{
    auto statement = connection.prepare("SELECT COALESCE(SUM(file_size), 0) FROM instances");
    if (!statement) return statement.error();
    auto row = statement->step();
    if (!row) return row.error();
    return static_cast<uint64_t>(statement->integer(0));
}

core::Result<uint64_t> cacheLimitBytes(SqliteConnection& connection)
{
    auto value = readSetting(connection, kCacheLimitSetting);
    if (!value) return value.error();
    if (!*value || (*value)->empty()) return uint64_t{0};
    try {
        return static_cast<uint64_t>(std::stoull(**value)) * 1024 * 1024;
    } catch (...) {
        return uint64_t{0}; // validated when written; a hand-edited index is not a reason to delete
    }
}

core::Result<PruneReport> pruneToLimit(LocalCache& cache, uint64_t limitBytes, const PruneOptions& options)
{
    PruneReport report;
    auto usage = cacheUsageBytes(cache.connection());
    if (!usage) return usage.error();
    report.usageBytes = *usage;
    if (limitBytes == 0 || report.usageBytes <= limitBytes) return report;

    // Oldest first, with what each would free.
    auto statement = cache.connection().prepare(
        "SELECT st.study_uid, COALESCE(SUM(i.file_size), 0) FROM studies st"
        " LEFT JOIN series se ON se.study_ref = st.id LEFT JOIN instances i ON i.series_ref = se.id"
        " WHERE ?1 = '' OR st.added_at < ?1 GROUP BY st.id ORDER BY st.added_at, st.id");
    if (!statement) return statement.error();
    statement->bind(1, options.keepAddedSince);
    std::vector<std::pair<std::string, uint64_t>> candidates;
    while (true) {
        auto row = statement->step();
        if (!row) return row.error();
        if (!*row) break;
        candidates.emplace_back(statement->text(0), static_cast<uint64_t>(statement->integer(1)));
    }
    for (const auto& [study, bytes] : candidates) {
        if (report.usageBytes <= limitBytes) break;
        if (options.keepStudies.count(study)) continue;
        auto removed = removeStudy(cache, study);
        if (!removed) return removed.error();
        report.removedStudies.push_back(study);
        report.bytesFreed += bytes;
        report.usageBytes -= std::min(report.usageBytes, bytes);
    }
    return report;
}

} // namespace lb::cache
