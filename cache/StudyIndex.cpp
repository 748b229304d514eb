#include "cache/StudyIndex.h"

#include "core/TextFolding.h"

#include <cstdio>

namespace lb::cache {

using core::Result;

namespace {

std::string joinDoubles(const double* values, size_t count)
{
    std::string out;
    char buffer[32];
    for (size_t i = 0; i < count; ++i) {
        std::snprintf(buffer, sizeof buffer, "%.17g", values[i]);
        if (i) out += '\\';
        out += buffer;
    }
    return out;
}

std::string patientIdentityKey(const core::PatientInfo& patient)
{
    // Unit separators cannot occur in DICOM text, so the key is unambiguous. The issuer joins
    // the key only when present, so rows made before it was read keep their keys.
    std::string key = patient.id + '\x1f' + patient.name + '\x1f' + patient.birthDate;
    if (!patient.issuer.empty()) key += '\x1f' + patient.issuer;
    return key;
}

// The rule for "the same patient": the same PatientID from the same issuer (a missing issuer
// matches only a missing issuer); where neither file has an ID, the same name and birth date.
bool samePatient(const core::PatientInfo& stored, const core::PatientInfo& incoming)
{
    if (stored.id.empty() && incoming.id.empty())
        return stored.name == incoming.name && stored.birthDate == incoming.birthDate;
    return stored.id == incoming.id && stored.issuer == incoming.issuer;
}

} // namespace

Result<SqliteStatement*> StudyIndex::cached(const char* sql)
{
    auto found = m_statements.find(sql);
    if (found != m_statements.end()) {
        found->second.reset();
        return &found->second;
    }
    auto prepared = m_connection.prepare(sql);
    if (!prepared) return prepared.error();
    return &m_statements.emplace(sql, std::move(*prepared)).first->second;
}

Result<int64_t> StudyIndex::upsertAndSelect(SqliteStatement& insert, std::string_view selectSql, const std::string& key)
{
    if (auto ok = insert.run(); !ok) return ok.error();
    if (m_connection.changes() == 1) return m_connection.lastInsertRowId();
    auto select = cached(selectSql.data());
    if (!select) return select.error();
    (*select)->bind(1, key);
    auto row = (*select)->step();
    if (!row) return row.error();
    if (!*row) return core::makeError(core::ErrorCode::Database, key, "row vanished during upsert");
    const int64_t id = (*select)->integer(0);
    // A stepped-but-not-reset statement keeps its read snapshot open past COMMIT; the next
    // BEGIN IMMEDIATE would then fail with SQLITE_BUSY_SNAPSHOT when another process wrote.
    (*select)->reset();
    return id;
}

Result<int64_t> StudyIndex::patientId(const core::DicomHeader& header)
{
    const auto& p = header.patient;
    auto insert = cached("INSERT INTO patients(identity_key, patient_id, name, name_folded, birth_date, sex, issuer)"
                         " VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(identity_key) DO NOTHING");
    if (!insert) return insert.error();
    const std::string key = patientIdentityKey(p);
    (*insert)->bind(1, key).bind(2, p.id).bind(3, p.name).bind(4, core::foldForSearch(p.name))
        .bind(5, p.birthDate).bind(6, p.sex).bind(7, p.issuer);
    return upsertAndSelect(**insert, "SELECT id FROM patients WHERE identity_key=?1", key);
}

Result<int64_t> StudyIndex::studyId(const core::DicomHeader& header, int64_t patient)
{
    const auto& s = header.study;
    auto insert = cached("INSERT INTO studies(patient_ref, study_uid, study_date, study_time, description,"
                         " description_folded, accession_number, referring_physician)"
                         " VALUES(?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT(study_uid) DO NOTHING");
    if (!insert) return insert.error();
    (*insert)->bind(1, patient).bind(2, s.instanceUid).bind(3, s.date).bind(4, s.time).bind(5, s.description)
        .bind(6, core::foldForSearch(s.description)).bind(7, s.accessionNumber).bind(8, s.referringPhysician);
    return upsertAndSelect(**insert, "SELECT id FROM studies WHERE study_uid=?1", s.instanceUid);
}

Result<int64_t> StudyIndex::seriesId(const core::DicomHeader& header, int64_t study)
{
    const auto& s = header.series;
    auto insert = cached("INSERT INTO series(study_ref, series_uid, series_number, modality, description, body_part)"
                         " VALUES(?1,?2,?3,?4,?5,?6) ON CONFLICT(series_uid) DO NOTHING");
    if (!insert) return insert.error();
    (*insert)->bind(1, study).bind(2, s.instanceUid).bind(3, s.number).bind(4, s.modality).bind(5, s.description)
        .bind(6, s.bodyPart);
    return upsertAndSelect(**insert, "SELECT id FROM series WHERE series_uid=?1", s.instanceUid);
}

Result<std::string> StudyIndex::identityConflict(const core::DicomHeader& header, std::string& warning)
{
    auto study = cached("SELECT p.patient_id, p.issuer, p.name, p.birth_date FROM studies s"
                        " JOIN patients p ON s.patient_ref=p.id WHERE s.study_uid=?1");
    if (!study) return study.error();
    (*study)->bind(1, header.study.instanceUid);
    auto row = (*study)->step();
    if (!row) return row.error();
    if (*row) {
        core::PatientInfo stored;
        stored.id = (*study)->text(0);
        stored.issuer = (*study)->text(1);
        stored.name = (*study)->text(2);
        stored.birthDate = (*study)->text(3);
        (*study)->reset(); // release the read snapshot (see upsertAndSelect)
        if (!samePatient(stored, header.patient))
            return std::string("its StudyInstanceUID is already in the cache under another patient"
                               " (different PatientID, issuer, or name and birth date); not merged");
        if (stored.name != header.patient.name || stored.birthDate != header.patient.birthDate)
            warning = "same PatientID as the cached study but the name or birth date is spelt differently;"
                      " filed with the study";
    }
    auto series = cached("SELECT st.study_uid FROM series se JOIN studies st ON se.study_ref=st.id WHERE se.series_uid=?1");
    if (!series) return series.error();
    (*series)->bind(1, header.series.instanceUid);
    row = (*series)->step();
    if (!row) return row.error();
    std::string owner = *row ? (*series)->text(0) : std::string();
    (*series)->reset();
    if (!owner.empty() && owner != header.study.instanceUid)
        return std::string("its SeriesInstanceUID is already in the cache under another study; not merged");
    return std::string();
}

Result<InsertOutcome> StudyIndex::insert(const InstanceRecord& record, std::string* note)
{
    const auto& header = record.header;
    // An instance already indexed is the caller's to compare (same bytes or a conflict); the
    // identity rules below are for what joins the index.
    auto known = findInstance(header.instance.sopInstanceUid);
    if (!known) return known.error();
    if (*known) return InsertOutcome::AlreadyIndexed;
    std::string warning;
    auto conflict = identityConflict(header, warning);
    if (!conflict) return conflict.error();
    if (!conflict->empty()) {
        if (note) *note = *conflict;
        return InsertOutcome::Conflict;
    }
    // A study already cached keeps its patient row: a second spelling of the same patient's
    // name makes no second patient.
    auto existingStudy = cached("SELECT id FROM studies WHERE study_uid=?1");
    if (!existingStudy) return existingStudy.error();
    (*existingStudy)->bind(1, header.study.instanceUid);
    auto found = (*existingStudy)->step();
    if (!found) return found.error();
    std::optional<int64_t> study;
    if (*found) study = (*existingStudy)->integer(0);
    (*existingStudy)->reset();
    if (!study) {
        auto patient = patientId(header);
        if (!patient) return patient.error();
        auto inserted = studyId(header, *patient);
        if (!inserted) return inserted.error();
        study = *inserted;
    }
    auto series = seriesId(header, *study);
    if (!series) return series.error();

    const auto& i = header.instance;
    auto insert = cached("INSERT INTO instances(series_ref, sop_instance_uid, sop_class_uid, instance_number,"
                         " transfer_syntax, rows, columns, frames, image_position, image_orientation, file_path,"
                         " file_size, content_hash) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)"
                         " ON CONFLICT(sop_instance_uid) DO NOTHING");
    if (!insert) return insert.error();
    (*insert)->bind(1, *series).bind(2, i.sopInstanceUid).bind(3, i.sopClassUid).bind(4, i.number)
        .bind(5, i.transferSyntaxUid).bind(6, i.rows).bind(7, i.columns).bind(8, i.frames)
        .bind(9, i.imagePosition ? joinDoubles(i.imagePosition->data(), 3) : std::string())
        .bind(10, i.imageOrientation ? joinDoubles(i.imageOrientation->data(), 6) : std::string())
        .bind(11, record.filePath).bind(12, static_cast<int64_t>(record.fileSize)).bind(13, record.contentHash);
    if (auto ok = (*insert)->run(); !ok) return ok.error();
    if (m_connection.changes() == 0) return InsertOutcome::AlreadyIndexed;
    if (note) *note = warning;
    m_touchedSeries.insert(*series);
    m_touchedStudies.insert(*study);
    return InsertOutcome::Inserted;
}

core::Status StudyIndex::refreshTouchedCounters()
{
    auto seriesCount = cached("UPDATE series SET num_instances=(SELECT count(*) FROM instances WHERE series_ref=series.id)"
                              " WHERE id=?1");
    if (!seriesCount) return seriesCount.error();
    for (int64_t id : m_touchedSeries) {
        (*seriesCount)->bind(1, id);
        if (auto ok = (*seriesCount)->run(); !ok) return ok;
    }
    auto studyCount = cached(
        "UPDATE studies SET"
        " num_series=(SELECT count(*) FROM series WHERE study_ref=studies.id),"
        " num_instances=(SELECT coalesce(sum(num_instances),0) FROM series WHERE study_ref=studies.id),"
        " modalities=coalesce((SELECT group_concat(m,'\\') FROM (SELECT DISTINCT modality AS m FROM series"
        "   WHERE study_ref=studies.id AND modality<>'' ORDER BY m)),'')"
        " WHERE id=?1");
    if (!studyCount) return studyCount.error();
    for (int64_t id : m_touchedStudies) {
        (*studyCount)->bind(1, id);
        if (auto ok = (*studyCount)->run(); !ok) return ok;
    }
    m_touchedSeries.clear();
    m_touchedStudies.clear();
    return {};
}

Result<std::optional<StoredInstance>> StudyIndex::findInstance(const std::string& sopInstanceUid)
{
    auto select = cached("SELECT file_path, file_size, content_hash FROM instances WHERE sop_instance_uid=?1");
    if (!select) return select.error();
    (*select)->bind(1, sopInstanceUid);
    auto row = (*select)->step();
    if (!row) return row.error();
    if (!*row) return std::optional<StoredInstance>();
    StoredInstance stored{sopInstanceUid, (*select)->text(0), static_cast<uint64_t>((*select)->integer(1)),
                          (*select)->text(2)};
    (*select)->reset(); // release the read snapshot (see upsertAndSelect)
    return std::optional<StoredInstance>(std::move(stored));
}

core::Status StudyIndex::replaceInstanceFile(const std::string& sopInstanceUid, uint64_t fileSize,
                                             const std::string& contentHash)
{
    auto update = cached("UPDATE instances SET file_size=?2, content_hash=?3 WHERE sop_instance_uid=?1");
    if (!update) return update.error();
    (*update)->bind(1, sopInstanceUid).bind(2, static_cast<int64_t>(fileSize)).bind(3, contentHash);
    return (*update)->run();
}

core::Status StudyIndex::addPending(const std::string& filePath, const std::string& owner)
{
    auto insert = cached("INSERT OR IGNORE INTO pending_files(file_path, owner) VALUES(?1,?2)");
    if (!insert) return insert.error();
    (*insert)->bind(1, filePath).bind(2, owner);
    return (*insert)->run();
}

core::Status StudyIndex::removePending(const std::string& filePath, const std::string& owner)
{
    auto remove = cached("DELETE FROM pending_files WHERE file_path=?1 AND owner=?2");
    if (!remove) return remove.error();
    (*remove)->bind(1, filePath).bind(2, owner);
    return (*remove)->run();
}

core::Status StudyIndex::recordConflict(const std::string& sopInstanceUid, const std::string& source,
                                        const std::string& contentHash, uint64_t fileSize)
{
    auto insert = cached("INSERT INTO conflicts(sop_instance_uid, source, content_hash, file_size) VALUES(?1,?2,?3,?4)");
    if (!insert) return insert.error();
    (*insert)->bind(1, sopInstanceUid).bind(2, source).bind(3, contentHash).bind(4, static_cast<int64_t>(fileSize));
    return (*insert)->run();
}

namespace {

Result<std::vector<std::string>> collectPaths(SqliteConnection& connection, const char* sql, int64_t id)
{
    auto select = connection.prepare(sql);
    if (!select) return select.error();
    select->bind(1, id);
    std::vector<std::string> paths;
    if (auto ok = select->forEachRow([&](const SqliteStatement& row) { paths.push_back(row.text(0)); }); !ok)
        return ok.error();
    return paths;
}

Result<int64_t> idOf(SqliteConnection& connection, const char* sql, const std::string& uid, const char* what)
{
    auto select = connection.prepare(sql);
    if (!select) return select.error();
    select->bind(1, uid);
    auto row = select->step();
    if (!row) return row.error();
    if (!*row) return core::makeError(core::ErrorCode::NotFound, uid, std::string("no such ") + what + " in the cache");
    return select->integer(0);
}

} // namespace

Result<std::vector<std::string>> StudyIndex::deleteStudy(const std::string& studyUid)
{
    auto study = idOf(m_connection, "SELECT id FROM studies WHERE study_uid=?1", studyUid, "study");
    if (!study) return study.error();
    auto paths = collectPaths(m_connection,
                              "SELECT i.file_path FROM instances i JOIN series s ON i.series_ref=s.id WHERE s.study_ref=?1",
                              *study);
    if (!paths) return paths.error();
    for (const char* sql : {"DELETE FROM instances WHERE series_ref IN (SELECT id FROM series WHERE study_ref=?1)",
                            "DELETE FROM series WHERE study_ref=?1", "DELETE FROM studies WHERE id=?1"}) {
        auto statement = m_connection.prepare(sql);
        if (!statement) return statement.error();
        statement->bind(1, *study);
        if (auto ok = statement->run(); !ok) return ok.error();
    }
    if (auto ok = m_connection.execute("DELETE FROM patients WHERE id NOT IN (SELECT patient_ref FROM studies)"); !ok)
        return ok.error();
    return paths;
}

Result<std::vector<std::string>> StudyIndex::deleteSeries(const std::string& seriesUid)
{
    auto series = idOf(m_connection, "SELECT id FROM series WHERE series_uid=?1", seriesUid, "series");
    if (!series) return series.error();
    auto study = idOf(m_connection, "SELECT study_ref FROM series WHERE series_uid=?1", seriesUid, "series");
    if (!study) return study.error();
    auto paths = collectPaths(m_connection, "SELECT file_path FROM instances WHERE series_ref=?1", *series);
    if (!paths) return paths.error();
    for (const char* sql : {"DELETE FROM instances WHERE series_ref=?1", "DELETE FROM series WHERE id=?1"}) {
        auto statement = m_connection.prepare(sql);
        if (!statement) return statement.error();
        statement->bind(1, *series);
        if (auto ok = statement->run(); !ok) return ok.error();
    }
    m_touchedStudies.insert(*study);
    if (auto ok = refreshTouchedCounters(); !ok) return ok.error();
    // A study left without series goes too: the browser must not list empty studies.
    auto empty = m_connection.prepare("DELETE FROM studies WHERE id=?1 AND num_series=0");
    if (!empty) return empty.error();
    empty->bind(1, *study);
    if (auto ok = empty->run(); !ok) return ok.error();
    if (auto ok = m_connection.execute("DELETE FROM patients WHERE id NOT IN (SELECT patient_ref FROM studies)"); !ok)
        return ok.error();
    return paths;
}

} // namespace lb::cache
