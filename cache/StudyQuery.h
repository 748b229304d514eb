#pragma once
// The read side of the index, shaped for the study browser and the CLI.
//
// Matching rules (the same in the GUI's search fields and `lightbox-cli studies`):
//   patient name, description: case- and accent-insensitive; '*' and '?' are wildcards;
//       a pattern without wildcards matches anywhere in the text ("mull" finds "Müller^Hans").
//   patient ID, accession: exact, or wildcards when the pattern has '*' or '?'.
//   dates: inclusive YYYYMMDD range; either end may be open.
//   modality: one of the study's series modalities (exact, case-insensitive).
#include "cache/SqliteConnection.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lb::cache {

struct StudyFilter {
    std::string patientName;
    std::string patientId;
    std::string dateFrom; // YYYYMMDD, inclusive; "" = open
    std::string dateTo;   // YYYYMMDD, inclusive; "" = open
    std::string modality;
    std::string description;
    std::string accessionNumber;
    std::string studyUid;
};

enum class StudySortKey { Date, PatientName, PatientId, Description, Accession, Modalities, Added };

struct StudyQueryOptions {
    StudyFilter filter;
    StudySortKey sortKey = StudySortKey::Date;
    bool descending = true;
    std::optional<int> limit; // none: every match
    int offset = 0;
};

struct StudyRow {
    std::string studyUid;
    std::string patientName;
    std::string patientId;
    std::string patientIssuer; // IssuerOfPatientID; "" when the files name none
    std::string patientBirthDate;
    std::string patientSex;
    std::string studyDate;
    std::string studyTime;
    std::string description;
    std::string accessionNumber;
    std::string referringPhysician;
    std::string modalities;
    int numSeries = 0;
    int numInstances = 0;
};

struct SeriesRow {
    std::string seriesUid;
    std::string studyUid;
    std::optional<int> seriesNumber;
    std::string modality;
    std::string description;
    std::string bodyPart;
    int numInstances = 0;
};

struct InstanceRow {
    std::string sopInstanceUid;
    std::string sopClassUid;
    std::string seriesUid;
    std::optional<int> instanceNumber;
    std::string transferSyntaxUid;
    int rows = 0;
    int columns = 0;
    int frames = 0;
    std::string filePath; // relative to the store
    uint64_t fileSize = 0;
    std::string contentHash;
};

class StudyQuery {
public:
    explicit StudyQuery(SqliteConnection& connection) : m_connection(connection) {}

    core::Result<std::vector<StudyRow>> studies(const StudyQueryOptions& options);
    core::Result<int> countStudies(const StudyFilter& filter);
    core::Result<std::vector<SeriesRow>> series(const std::string& studyUid);
    core::Result<std::vector<InstanceRow>> instances(const std::string& seriesUid);
    core::Result<std::string> studyOfSeries(const std::string& seriesUid); // "" when unknown
    // Instances held of each of these studies, in one query per 500 UIDs (absent: none held).
    core::Result<std::map<std::string, int>> instanceCounts(const std::vector<std::string>& studyUids);
    core::Result<std::optional<InstanceRow>> instance(const std::string& sopInstanceUid);
    core::Result<int64_t> instanceCount();

private:
    SqliteConnection& m_connection;
};

// Turns a user pattern into a SQLite GLOB pattern (exposed for tests).
std::string globFromUserPattern(const std::string& pattern, bool substringWhenPlain);

} // namespace lb::cache
