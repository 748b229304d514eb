#include "cache/IndexRebuild.h"

#include "cache/StudyIndex.h"
#include "core/DicomHeaderReader.h"

#include <algorithm>

namespace lb::cache {

core::Result<RebuildReport> rebuildIndex(LocalCache& cache)
{
    RebuildReport report;
    const auto& storeDir = cache.layout().storeDir();
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (std::filesystem::recursive_directory_iterator it(storeDir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code typeError;
        if (it->is_regular_file(typeError)) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    report.files = static_cast<int64_t>(files.size());

    SqliteConnection& connection = cache.connection();
    auto transaction = WriteTransaction::begin(connection);
    if (!transaction) return transaction.error();
    if (auto ok = connection.execute("DELETE FROM instances; DELETE FROM series; DELETE FROM studies; DELETE FROM patients;"); !ok)
        return ok.error();
    StudyIndex index(connection);
    for (const auto& file : files) {
        const std::string relative = file.lexically_relative(storeDir).string();
        auto header = core::readDicomHeader(file);
        if (!header) {
            report.unreadable.emplace_back(relative, header.error().reason);
            continue;
        }
        auto fingerprint = fingerprintFile(file);
        if (!fingerprint) {
            report.unreadable.emplace_back(relative, fingerprint.error().reason);
            continue;
        }
        auto inserted = index.insert({*header, relative, fingerprint->size, fingerprint->contentHash});
        if (!inserted) return inserted.error();
        if (*inserted == InsertOutcome::Inserted) ++report.indexed;
        else report.duplicates.emplace_back(relative, header->instance.sopInstanceUid);
    }
    if (auto ok = index.refreshTouchedCounters(); !ok) return ok.error();
    if (auto ok = transaction->commit(); !ok) return ok.error();
    return report;
}

} // namespace lb::cache
