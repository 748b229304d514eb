#include "app/services/StudyCatalogue.h"

#include "cache/LocalCache.h"
#include "cache/Quarantine.h"
#include "cache/StudyQuery.h"

#include <mutex>

namespace lb::app {
namespace {

StudySummary summaryOf(const cache::StudyRow& row)
{
    return {row.studyUid,  row.patientName, row.patientId,       row.patientIssuer, row.patientBirthDate, row.patientSex,
            row.studyDate, row.studyTime,   row.description,     row.accessionNumber, row.modalities,   row.numSeries,
            row.numInstances};
}

SeriesSummary summaryOf(const cache::SeriesRow& row)
{
    return {row.seriesUid, row.studyUid, row.seriesNumber, row.modality, row.description, row.numInstances, row.bodyPart};
}

} // namespace

// One connection, used from the GUI thread and (for thumbnails, checks) from workers: a mutex.
struct StudyCatalogue::Reader {
    mutable std::mutex mutex;
    mutable cache::SqliteConnection connection;
    std::filesystem::path storeDir;
};

core::Result<std::unique_ptr<StudyCatalogue>> StudyCatalogue::open(cache::LocalCache& cache)
{
    auto connection = cache.openReader();
    if (!connection) return connection.error();
    auto reader = std::unique_ptr<Reader>(new Reader{{}, std::move(*connection), cache.store().storeDir()});
    return std::unique_ptr<StudyCatalogue>(new StudyCatalogue(std::move(reader)));
}

StudyCatalogue::StudyCatalogue(std::unique_ptr<Reader> reader) : m_reader(std::move(reader)) {}
StudyCatalogue::~StudyCatalogue() = default;

core::Result<std::vector<StudySummary>> StudyCatalogue::studies(const StudySearch& search) const
{
    cache::StudyQueryOptions options;
    options.filter.patientName = search.patientName;
    options.filter.patientId = search.patientId;
    options.filter.modality = search.modality;
    options.filter.dateFrom = search.dateFrom;
    options.filter.dateTo = search.dateTo;
    options.filter.studyUid = search.studyUid;
    options.limit = search.limit;
    std::lock_guard lock(m_reader->mutex);
    auto rows = cache::StudyQuery(m_reader->connection).studies(options);
    if (!rows) return rows.error();
    std::vector<StudySummary> studies;
    for (const auto& row : *rows) studies.push_back(summaryOf(row));
    return studies;
}

std::optional<StudySummary> StudyCatalogue::study(const std::string& studyUid) const
{
    StudySearch search;
    search.studyUid = studyUid;
    auto rows = studies(search);
    if (!rows || rows->empty()) return std::nullopt;
    return rows->front();
}

std::vector<SeriesSummary> StudyCatalogue::seriesOf(const std::string& studyUid) const
{
    std::lock_guard lock(m_reader->mutex);
    std::vector<SeriesSummary> series;
    if (auto rows = cache::StudyQuery(m_reader->connection).series(studyUid))
        for (const auto& row : *rows) series.push_back(summaryOf(row));
    return series;
}

std::vector<std::filesystem::path> StudyCatalogue::seriesFiles(const std::string& seriesUid) const
{
    std::lock_guard lock(m_reader->mutex);
    std::vector<std::filesystem::path> files;
    if (auto rows = cache::StudyQuery(m_reader->connection).instances(seriesUid))
        for (const auto& row : *rows) files.push_back(m_reader->storeDir / row.filePath);
    return files;
}

std::string StudyCatalogue::studyOfSeries(const std::string& seriesUid) const
{
    std::lock_guard lock(m_reader->mutex);
    auto study = cache::StudyQuery(m_reader->connection).studyOfSeries(seriesUid);
    return study ? *study : std::string();
}

int StudyCatalogue::instancesOfStudy(const std::string& studyUid) const
{
    int local = 0;
    for (const auto& series : seriesOf(studyUid)) local += series.instanceCount;
    return local;
}

std::map<std::string, int> StudyCatalogue::instancesOfStudies(const std::vector<std::string>& studyUids) const
{
    std::lock_guard lock(m_reader->mutex);
    auto counts = cache::StudyQuery(m_reader->connection).instanceCounts(studyUids);
    return counts ? *counts : std::map<std::string, int>{};
}

std::optional<int64_t> StudyCatalogue::quarantined() const
{
    std::lock_guard lock(m_reader->mutex);
    auto count = cache::quarantineCount(m_reader->connection);
    return count ? std::optional<int64_t>(*count) : std::nullopt;
}

} // namespace lb::app
