#pragma once
// The write side of the index: patients, studies, series and instances, the pending-file
// journal, conflicts, and deletes. Every method runs inside the caller's WriteTransaction, so
// a batch of instances becomes visible all at once or not at all.
#include "cache/SqliteConnection.h"
#include "core/DicomHeader.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace lb::cache {

struct InstanceRecord {
    core::DicomHeader header;
    std::string filePath; // relative to the store
    uint64_t fileSize = 0;
    std::string contentHash;
};

struct StoredInstance {
    std::string sopInstanceUid;
    std::string filePath;
    uint64_t fileSize = 0;
    std::string contentHash;
};

// Conflict: the instance names a study that belongs to another patient, or a series that
// belongs to another study. It is never merged: a wrong-patient image is a patient-safety hazard.
enum class InsertOutcome { Inserted, AlreadyIndexed, Conflict };

class StudyIndex {
public:
    explicit StudyIndex(SqliteConnection& connection) : m_connection(connection) {}

    // `note` receives why on Conflict, and a warning worth showing on Inserted (e.g. the same
    // patient ID with a differently spelt name: filed with the study, and said).
    core::Result<InsertOutcome> insert(const InstanceRecord& record, std::string* note = nullptr);
    // Recomputes the counters and modalities of every series/study touched since the last call.
    core::Status refreshTouchedCounters();

    core::Result<std::optional<StoredInstance>> findInstance(const std::string& sopInstanceUid);
    // The stored file of an instance was replaced (a damaged copy by an intact one).
    core::Status replaceInstanceFile(const std::string& sopInstanceUid, uint64_t fileSize, const std::string& contentHash);

    core::Status addPending(const std::string& filePath, const std::string& owner);
    core::Status removePending(const std::string& filePath, const std::string& owner);
    core::Status recordConflict(const std::string& sopInstanceUid, const std::string& source,
                                const std::string& contentHash, uint64_t fileSize);

    // Remove index rows; return the store paths of the removed instances (the caller deletes
    // the files after commit). NotFound when the UID is unknown.
    core::Result<std::vector<std::string>> deleteStudy(const std::string& studyUid);
    core::Result<std::vector<std::string>> deleteSeries(const std::string& seriesUid);

private:
    // Empty when the instance may join the study and series its UIDs name; else why not.
    core::Result<std::string> identityConflict(const core::DicomHeader& header, std::string& warning);
    core::Result<int64_t> patientId(const core::DicomHeader& header);
    core::Result<int64_t> studyId(const core::DicomHeader& header, int64_t patient);
    core::Result<int64_t> seriesId(const core::DicomHeader& header, int64_t study);
    core::Result<int64_t> upsertAndSelect(SqliteStatement& insert, std::string_view selectSql, const std::string& key);
    core::Result<SqliteStatement*> cached(const char* sql);

    SqliteConnection& m_connection;
    std::map<const char*, SqliteStatement> m_statements;
    std::set<int64_t> m_touchedSeries;
    std::set<int64_t> m_touchedStudies;
};

} // namespace lb::cache
