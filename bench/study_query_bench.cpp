// bench/study_query_bench [CACHE_DIR] [STUDIES]: the study browser's queries on an index of
// 100,000 studies (built once, directly through StudyIndex, with realistic names including
// accents). Prints the median of 25 runs per query, against the 20 ms budget of the issue.
#include "cache/LocalCache.h"
#include "cache/StudyIndex.h"
#include "cache/StudyQuery.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

using namespace lb;

namespace {

const char* kFamily[] = {"MÜLLER", "Smith", "Dupont", "García", "Ødegård", "Nowak", "Rossi", "Kowalski", "Johansson",
                         "Novák", "Öztürk", "Silva", "Brown", "Lefèvre", "Schmidt", "Ivanov", "Kim", "Tanaka"};
const char* kGiven[] = {"Hans", "Anna", "Jérôme", "José", "Łukasz", "Maria", "John", "Søren", "Zoë", "Li", "Emma"};
const char* kModality[] = {"CT", "MR", "CR", "US", "DX", "MG", "PT", "NM"};

void fill(cache::LocalCache& cache, int studies)
{
    std::mt19937 random(1);
    cache::StudyIndex index(cache.connection());
    auto transaction = cache::WriteTransaction::begin(cache.connection());
    for (int i = 0; i < studies; ++i) {
        cache::InstanceRecord record;
        auto& h = record.header;
        const int patient = i / 5;
        h.patient.name = std::string(kFamily[patient % 18]) + "^" + kGiven[(patient / 18) % 11] + "^" + std::to_string(patient);
        h.patient.id = "PID" + std::to_string(patient);
        h.patient.birthDate = "19" + std::to_string(40 + patient % 60) + "0101";
        h.patient.sex = patient % 2 ? "F" : "M";
        h.study.instanceUid = "1.2.826.0.1.3680043.10.1." + std::to_string(i);
        char date[16];
        std::snprintf(date, sizeof date, "%04d%02d%02d", 2005 + static_cast<int>(random() % 20), 1 + static_cast<int>(random() % 12),
                      1 + static_cast<int>(random() % 28));
        h.study.date = date;
        h.study.time = "101500";
        h.study.description = i % 3 ? "CT THORAX ABDOMEN" : "MR BRAIN WITHOUT CONTRAST";
        h.study.accessionNumber = "ACC" + std::to_string(i);
        h.series.instanceUid = h.study.instanceUid + ".1";
        h.series.modality = kModality[random() % 8];
        h.instance.sopInstanceUid = h.series.instanceUid + ".1";
        record.filePath = "bench/" + std::to_string(i);
        (void)index.insert(record);
    }
    (void)index.refreshTouchedCounters();
    (void)transaction->commit();
}

double medianMs(cache::StudyQuery& query, const cache::StudyQueryOptions& options, size_t& rows)
{
    std::vector<double> times;
    for (int run = 0; run < 25; ++run) {
        const auto start = std::chrono::steady_clock::now();
        auto result = query.studies(options);
        times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        rows = result ? result->size() : 0;
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    const std::filesystem::path root = argc > 1 ? argv[1] : "/tmp/lightbox-query-bench";
    const int studies = argc > 2 ? std::atoi(argv[2]) : 100000;
    auto cache = cache::LocalCache::open(root);
    if (!cache) {
        std::fprintf(stderr, "%s\n", cache.error().message().c_str());
        return 1;
    }
    cache::StudyQuery query((*cache)->connection());
    if (query.countStudies({}).value() < studies) {
        const auto start = std::chrono::steady_clock::now();
        fill(**cache, studies);
        std::printf("filled %d studies in %.1f s\n", studies,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    struct Case {
        const char* name;
        cache::StudyQueryOptions options;
    };
    auto page = [](cache::StudyFilter filter, cache::StudySortKey key = cache::StudySortKey::Date) {
        cache::StudyQueryOptions options;
        options.filter = filter;
        options.sortKey = key;
        options.limit = 100;
        return options;
    };
    const Case cases[] = {
        {"first page, newest first", page({})},
        {"name contains 'muller' (accents folded)", page({.patientName = "muller"})},
        {"name 'dupont^jer*'", page({.patientName = "dupont^jer*"})},
        {"patient id exact", page({.patientId = "PID4242"})},
        {"modality CT, last 2 years", page({.dateFrom = "20230101", .modality = "CT"})},
        {"description contains 'brain'", page({.description = "brain"})},
        {"sorted by name", page({}, cache::StudySortKey::PatientName)},
        {"accession exact", page({.accessionNumber = "ACC77777"})},
    };
    std::printf("%-45s %8s %6s %s\n", "query (limit 100)", "ms", "rows", "ours / 20 ms budget");
    for (const auto& c : cases) {
        size_t rows = 0;
        const double ms = medianMs(query, c.options, rows);
        std::printf("%-45s %8.2f %6zu %.2f\n", c.name, ms, rows, ms / 20.0);
    }
    return 0;
}
