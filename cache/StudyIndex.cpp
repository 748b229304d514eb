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
    // Unit separators cannot occur in DICOM text, so the key is unambiguous.
    return patient.id + '\x1f' + patient.name + '\x1f' + patient.birthDate;
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
    auto insert = cached("INSERT INTO patients(identity_key, patient_id, name, name_folded, birth_date, sex)"
                         " VALUES(?1,?2,?3,?4,?5,?6) ON CONFLICT(identity_key) DO NOTHING");
    if (!insert) return insert.error();
    const std::string key = patientIdentityKey(p);
    (*insert)->bind(1, key).bind(2, p.id).bind(3, p.name).bind(4, core::foldForSearch(p.name))
        .bind(5, p.birthDate).bind(6, p.sex);
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

Result<InsertOutcome> StudyIndex::insert(const InstanceRecord& record)
{
    const auto& header = record.header;
    auto patient = patientId(header);
    if (!patient) return patient.error();
    auto study = studyId(header, *patient);
    if (!study) return study.error();
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
