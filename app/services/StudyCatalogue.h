#pragma once
// The study catalogue: what the local cache holds, as the browsers, the viewing session and the
// CLI ask for it (studies matching a search, a study's series, a series' files). Reads through
// its own connection to the index, so it never waits for the transfer queue's writer.
// Matching rules as in cache/StudyQuery.h (wildcards, accent-insensitive names, date ranges).
#include "core/Result.h"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lb::cache {
class LocalCache;
}

namespace lb::app {

struct StudySearch {
    std::string patientName; // wildcards * ?; plain text matches anywhere
    std::string patientId;   // exact, or wildcards
    std::string modality;
    std::string dateFrom; // YYYYMMDD, inclusive; "" = open
    std::string dateTo;
    std::string studyUid;
    std::optional<int> limit;
};

struct StudySummary {
    std::string studyUid;
    std::string patientName; // DICOM PN, "Family^Given"
    std::string patientId;
    std::string patientIssuer; // IssuerOfPatientID, "" when none
    std::string patientBirthDate;
    std::string patientSex;
    std::string studyDate;
    std::string studyTime;
    std::string description;
    std::string accessionNumber;
    std::string modalities;
    int seriesCount = 0;
    int instanceCount = 0;
};

struct SeriesSummary {
    std::string seriesUid;
    std::string studyUid;
    std::optional<int> seriesNumber;
    std::string modality;
    std::string description;
    int instanceCount = 0;
    std::string bodyPart; // BodyPartExamined
};

class StudyCatalogue {
public:
    static core::Result<std::unique_ptr<StudyCatalogue>> open(cache::LocalCache& cache);
    ~StudyCatalogue();

    core::Result<std::vector<StudySummary>> studies(const StudySearch& search) const;
    std::optional<StudySummary> study(const std::string& studyUid) const;
    std::vector<SeriesSummary> seriesOf(const std::string& studyUid) const;
    // The files of a series' instances in the order of the index (empty when unknown).
    std::vector<std::filesystem::path> seriesFiles(const std::string& seriesUid) const;
    std::string studyOfSeries(const std::string& seriesUid) const; // "" when unknown
    int instancesOfStudy(const std::string& studyUid) const;       // what is local of a study
    // The same for many studies at once (a remote result list): one query, not one per row.
    std::map<std::string, int> instancesOfStudies(const std::vector<std::string>& studyUids) const;
    std::optional<int64_t> quarantined() const;                    // files kept aside (cache/Quarantine.h)

private:
    struct Reader;
    explicit StudyCatalogue(std::unique_ptr<Reader> reader);
    std::unique_ptr<Reader> m_reader;
};

} // namespace lb::app
