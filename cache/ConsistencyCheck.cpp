#include "cache/ConsistencyCheck.h"

#include <map>
#include <set>
#include <sys/stat.h>

namespace lb::cache {

namespace {

struct IndexedFile {
    uint64_t size;
    std::string hash;
};

std::set<std::string> filesInStore(const std::filesystem::path& storeDir)
{
    std::set<std::string> files;
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(storeDir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code typeError;
        if (it->is_regular_file(typeError)) files.insert(it->path().lexically_relative(storeDir).string());
    }
    return files;
}

core::Status readStrings(SqliteConnection& connection, const char* sql, std::set<std::string>& out)
{
    auto query = connection.prepare(sql);
    if (!query) return query.error();
    return query->forEachRow([&](const SqliteStatement& row) { out.insert(row.text(0)); });
}

core::Status checkCounters(SqliteConnection& connection, CheckReport& report)
{
    const char* sql =
        "SELECT 'series ' || se.series_uid, se.num_instances, (SELECT count(*) FROM instances i WHERE i.series_ref=se.id)"
        " FROM series se"
        " UNION ALL SELECT 'study ' || st.study_uid, st.num_instances,"
        "  (SELECT count(*) FROM instances i JOIN series se ON i.series_ref=se.id WHERE se.study_ref=st.id) FROM studies st";
    auto query = connection.prepare(sql);
    if (!query) return query.error();
    return query->forEachRow([&](const SqliteStatement& row) {
        if (row.integer(1) != row.integer(2))
            report.counterMismatches.push_back({row.text(0), "counter says " + std::to_string(row.integer(1))
                                                                 + " instances, index holds " + std::to_string(row.integer(2))});
    });
}

} // namespace

core::Result<CheckReport> checkCache(LocalCache& cache, const CheckOptions& options)
{
    CheckReport report;
    report.hashesVerified = options.verifyHashes;
    SqliteConnection& connection = cache.connection();
    {
        auto integrity = connection.prepare("PRAGMA integrity_check");
        if (!integrity) return integrity.error();
        auto row = integrity->step();
        if (!row) return row.error();
        report.integrity = *row ? integrity->text(0) : "no answer";
    }

    // Walk the store first, then read the index: a file linked during the walk already has its
    // pending row (committed before the link) or its instance row in the snapshot read after.
    const std::set<std::string> stored = filesInStore(cache.layout().storeDir());
    report.filesInStore = static_cast<int64_t>(stored.size());

    std::map<std::string, IndexedFile> indexed;
    std::set<std::string> pending;
    {
        auto transaction = ReadTransaction::begin(connection);
        if (!transaction) return transaction.error();
        auto query = connection.prepare("SELECT file_path, file_size, content_hash FROM instances");
        if (!query) return query.error();
        if (auto ok = query->forEachRow([&](const SqliteStatement& row) {
                indexed.emplace(row.text(0), IndexedFile{static_cast<uint64_t>(row.integer(1)), row.text(2)});
            });
            !ok)
            return ok.error();
        if (auto ok = readStrings(connection, "SELECT file_path FROM pending_files", pending); !ok) return ok.error();
        if (auto ok = checkCounters(connection, report); !ok) return ok.error();
    }
    report.instances = static_cast<int64_t>(indexed.size());

    for (const auto& [path, file] : indexed) {
        if (!stored.count(path)) {
            report.missingFiles.push_back({path, "indexed but not in the store"});
            continue;
        }
        struct stat info {};
        const auto absolute = cache.store().absolutePath(path);
        if (::stat(absolute.c_str(), &info) != 0 || static_cast<uint64_t>(info.st_size) != file.size) {
            report.sizeMismatches.push_back({path, "index says " + std::to_string(file.size) + " bytes, file has "
                                                       + std::to_string(info.st_size)});
            continue;
        }
        if (options.verifyHashes) {
            auto fingerprint = fingerprintFile(absolute);
            if (!fingerprint) report.hashMismatches.push_back({path, fingerprint.error().reason});
            else if (fingerprint->contentHash != file.hash)
                report.hashMismatches.push_back({path, "content changed since import"});
        }
    }
    for (const auto& path : stored)
        if (!indexed.count(path) && !pending.count(path)) report.orphanFiles.push_back({path, "in the store but not indexed"});
    return report;
}

} // namespace lb::cache
