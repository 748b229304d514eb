#include "cache/StudyQuery.h"

#include <algorithm>

#include "core/TextFolding.h"

#include <cctype>

namespace lb::cache {

using core::Result;

std::string globFromUserPattern(const std::string& pattern, bool substringWhenPlain)
{
    const bool hasWildcard = pattern.find_first_of("*?") != std::string::npos;
    std::string glob;
    for (char c : pattern) {
        if (c == '[') glob += "[[]";
        else if (c == ']') glob += "[]]";
        else glob += c;
    }
    if (!hasWildcard && substringWhenPlain) glob = "*" + glob + "*";
    return glob;
}

namespace {

struct WhereClause {
    std::string sql;
    std::vector<std::string> parameters;

    void add(const std::string& condition, std::string parameter)
    {
        parameters.push_back(std::move(parameter));
        std::string numbered = condition;
        const std::string marker = "?";
        const auto at = numbered.find(marker);
        numbered.replace(at, 1, "?" + std::to_string(parameters.size()));
        sql += (sql.empty() ? " WHERE " : " AND ") + numbered;
    }
};

WhereClause whereFor(const StudyFilter& f)
{
    WhereClause where;
    if (!f.patientName.empty())
        where.add("p.name_folded GLOB ?", globFromUserPattern(core::foldForSearch(f.patientName), true));
    if (!f.patientId.empty()) {
        if (f.patientId.find_first_of("*?") != std::string::npos)
            where.add("p.patient_id GLOB ?", globFromUserPattern(f.patientId, false));
        else
            where.add("p.patient_id = ?", f.patientId);
    }
    if (!f.dateFrom.empty()) where.add("s.study_date >= ?", f.dateFrom);
    if (!f.dateTo.empty()) where.add("s.study_date <> '' AND s.study_date <= ?", f.dateTo);
    if (!f.modality.empty()) {
        std::string upper = f.modality;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        where.add("instr('\\' || s.modalities || '\\', ?) > 0", "\\" + upper + "\\");
    }
    if (!f.description.empty())
        where.add("s.description_folded GLOB ?", globFromUserPattern(core::foldForSearch(f.description), true));
    if (!f.accessionNumber.empty()) {
        if (f.accessionNumber.find_first_of("*?") != std::string::npos)
            where.add("s.accession_number GLOB ?", globFromUserPattern(f.accessionNumber, false));
        else
            where.add("s.accession_number = ?", f.accessionNumber);
    }
    if (!f.studyUid.empty()) where.add("s.study_uid = ?", f.studyUid);
    return where;
}

const char* orderColumn(StudySortKey key)
{
    switch (key) {
    case StudySortKey::Date: return "s.study_date {dir}, s.study_time {dir}";
    case StudySortKey::PatientName: return "p.name_folded {dir}";
    case StudySortKey::PatientId: return "p.patient_id {dir}";
    case StudySortKey::Description: return "s.description_folded {dir}";
    case StudySortKey::Accession: return "s.accession_number {dir}";
    case StudySortKey::Modalities: return "s.modalities {dir}";
    case StudySortKey::Added: return "s.id {dir}";
    }
    return "s.study_date {dir}";
}

std::string orderBy(StudySortKey key, bool descending)
{
    std::string order = orderColumn(key);
    const std::string dir = descending ? "DESC" : "ASC";
    for (auto at = order.find("{dir}"); at != std::string::npos; at = order.find("{dir}"))
        order.replace(at, 5, dir);
    return " ORDER BY " + order + ", s.id " + dir;
}

std::optional<int> optionalInt(const SqliteStatement& statement, int column)
{
    if (statement.isNull(column)) return std::nullopt;
    return static_cast<int>(statement.integer(column));
}

template <typename Row, typename Fill>
Result<std::vector<Row>> collect(SqliteStatement& statement, Fill fill)
{
    std::vector<Row> rows;
    if (auto ok = statement.forEachRow([&](const SqliteStatement& row) { rows.push_back(fill(row)); }); !ok)
        return ok.error();
    return rows;
}

InstanceRow instanceFrom(const SqliteStatement& q)
{
    InstanceRow row;
    row.sopInstanceUid = q.text(0);
    row.sopClassUid = q.text(1);
    row.seriesUid = q.text(2);
    row.instanceNumber = optionalInt(q, 3);
    row.transferSyntaxUid = q.text(4);
    row.rows = static_cast<int>(q.integer(5));
    row.columns = static_cast<int>(q.integer(6));
    row.frames = static_cast<int>(q.integer(7));
    row.filePath = q.text(8);
    row.fileSize = static_cast<uint64_t>(q.integer(9));
    row.contentHash = q.text(10);
    return row;
}

constexpr const char* kInstanceColumns =
    "SELECT i.sop_instance_uid, i.sop_class_uid, se.series_uid, i.instance_number, i.transfer_syntax, i.rows,"
    " i.columns, i.frames, i.file_path, i.file_size, i.content_hash FROM instances i JOIN series se ON i.series_ref=se.id";

} // namespace

Result<std::vector<StudyRow>> StudyQuery::studies(const StudyQueryOptions& options)
{
    const WhereClause where = whereFor(options.filter);
    std::string sql =
        "SELECT s.study_uid, p.name, p.patient_id, p.birth_date, p.sex, s.study_date, s.study_time, s.description,"
        " s.accession_number, s.referring_physician, s.modalities, s.num_series, s.num_instances, p.issuer"
        " FROM studies s JOIN patients p ON s.patient_ref=p.id"
        + where.sql + orderBy(options.sortKey, options.descending);
    if (options.limit) sql += " LIMIT " + std::to_string(*options.limit) + " OFFSET " + std::to_string(options.offset);
    else if (options.offset > 0) sql += " LIMIT -1 OFFSET " + std::to_string(options.offset);
    auto statement = m_connection.prepare(sql);
    if (!statement) return statement.error();
    for (size_t i = 0; i < where.parameters.size(); ++i) statement->bind(static_cast<int>(i + 1), where.parameters[i]);
    return collect<StudyRow>(*statement, [](const SqliteStatement& q) {
        StudyRow row;
        row.studyUid = q.text(0);
        row.patientName = q.text(1);
        row.patientId = q.text(2);
        row.patientBirthDate = q.text(3);
        row.patientSex = q.text(4);
        row.studyDate = q.text(5);
        row.studyTime = q.text(6);
        row.description = q.text(7);
        row.accessionNumber = q.text(8);
        row.referringPhysician = q.text(9);
        row.modalities = q.text(10);
        row.numSeries = static_cast<int>(q.integer(11));
        row.numInstances = static_cast<int>(q.integer(12));
        row.patientIssuer = q.text(13);
        return row;
    });
}

Result<int> StudyQuery::countStudies(const StudyFilter& filter)
{
    const WhereClause where = whereFor(filter);
    auto statement = m_connection.prepare("SELECT count(*) FROM studies s JOIN patients p ON s.patient_ref=p.id" + where.sql);
    if (!statement) return statement.error();
    for (size_t i = 0; i < where.parameters.size(); ++i) statement->bind(static_cast<int>(i + 1), where.parameters[i]);
    auto row = statement->step();
    if (!row) return row.error();
    return static_cast<int>(statement->integer(0));
}

Result<std::vector<SeriesRow>> StudyQuery::series(const std::string& studyUid)
{
    auto statement = m_connection.prepare(
        "SELECT se.series_uid, st.study_uid, se.series_number, se.modality, se.description, se.body_part,"
        " se.num_instances FROM series se JOIN studies st ON se.study_ref=st.id WHERE st.study_uid=?1"
        " ORDER BY se.series_number IS NULL, se.series_number, se.id");
    if (!statement) return statement.error();
    statement->bind(1, studyUid);
    return collect<SeriesRow>(*statement, [](const SqliteStatement& q) {
        return SeriesRow{q.text(0), q.text(1), optionalInt(q, 2), q.text(3), q.text(4), q.text(5),
                         static_cast<int>(q.integer(6))};
    });
}

Result<std::map<std::string, int>> StudyQuery::instanceCounts(const std::vector<std::string>& studyUids)
{
    constexpr size_t kChunk = 500; // well under SQLite's bound-parameter limit
    std::map<std::string, int> counts;
    for (size_t from = 0; from < studyUids.size(); from += kChunk) {
        const size_t to = std::min(studyUids.size(), from + kChunk);
        std::string sql = "SELECT study_uid, num_instances FROM studies WHERE study_uid IN (";
        for (size_t i = from; i < to; ++i) sql += i == from ? "?" : ",?";
        auto statement = m_connection.prepare(sql + ")");
        if (!statement) return statement.error();
        for (size_t i = from; i < to; ++i) statement->bind(static_cast<int>(i - from + 1), studyUids[i]);
        auto ok = statement->forEachRow([&](const SqliteStatement& q) { counts[q.text(0)] = static_cast<int>(q.integer(1)); });
        if (!ok) return ok.error();
    }
    return counts;
}

Result<std::string> StudyQuery::studyOfSeries(const std::string& seriesUid)
{
    auto statement = m_connection.prepare(
        "SELECT st.study_uid FROM series se JOIN studies st ON se.study_ref=st.id WHERE se.series_uid=?1");
    if (!statement) return statement.error();
    statement->bind(1, seriesUid);
    auto row = statement->step();
    if (!row) return row.error();
    return *row ? statement->text(0) : std::string();
}

Result<std::vector<InstanceRow>> StudyQuery::instances(const std::string& seriesUid)
{
    auto statement = m_connection.prepare(std::string(kInstanceColumns)
                                          + " WHERE se.series_uid=?1 ORDER BY i.instance_number IS NULL, i.instance_number, i.id");
    if (!statement) return statement.error();
    statement->bind(1, seriesUid);
    return collect<InstanceRow>(*statement, instanceFrom);
}

Result<std::optional<InstanceRow>> StudyQuery::instance(const std::string& sopInstanceUid)
{
    auto statement = m_connection.prepare(std::string(kInstanceColumns) + " WHERE i.sop_instance_uid=?1");
    if (!statement) return statement.error();
    statement->bind(1, sopInstanceUid);
    auto row = statement->step();
    if (!row) return row.error();
    if (!*row) return std::optional<InstanceRow>();
    return std::optional<InstanceRow>(instanceFrom(*statement));
}

Result<int64_t> StudyQuery::instanceCount()
{
    auto statement = m_connection.prepare("SELECT count(*) FROM instances");
    if (!statement) return statement.error();
    auto row = statement->step();
    if (!row) return row.error();
    return statement->integer(0);
}

} // namespace lb::cache
