// lightbox-cli studies | series | instances | tags
#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"
#include "cache/LocalCache.h"
#include "cache/StudyQuery.h"
#include "cache/TransferJobs.h"
#include "core/DicomTagDump.h"

#include <cctype>
#include <cstdio>

namespace lb::app::cli {

namespace {

bool isDate(const std::string& text)
{
    if (text.size() != 8) return false;
    for (char c : text)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

// YYYYMMDD or YYYY-MM-DD -> YYYYMMDD; nullopt when neither.
std::optional<std::string> normalizeDate(const std::string& text)
{
    if (isDate(text)) return text;
    if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
        std::string compact = text.substr(0, 4) + text.substr(5, 2) + text.substr(8, 2);
        if (isDate(compact)) return compact;
    }
    return std::nullopt;
}

std::optional<std::string> parseFilter(const CliOptions& options, cache::StudyQueryOptions& query)
{
    auto& f = query.filter;
    f.patientName = options.value("name").value_or("");
    f.patientId = options.value("id").value_or(options.value("patient-id").value_or(""));
    f.modality = options.value("modality").value_or("");
    f.description = options.value("description").value_or("");
    f.accessionNumber = options.value("accession").value_or("");
    f.studyUid = options.value("study-uid").value_or("");
    if (auto date = options.value("date")) {
        const auto dash = date->find('-');
        const std::string from = dash == std::string::npos ? *date : date->substr(0, dash);
        const std::string to = dash == std::string::npos ? *date : date->substr(dash + 1);
        if ((!from.empty() && !isDate(from)) || (!to.empty() && !isDate(to)) || (from.empty() && to.empty()))
            return "--date takes YYYYMMDD, YYYYMMDD-YYYYMMDD, YYYYMMDD- or -YYYYMMDD";
        f.dateFrom = from;
        f.dateTo = to;
    }
    for (const auto& [flag, target] : {std::pair{"from", &f.dateFrom}, std::pair{"to", &f.dateTo}}) {
        if (auto value = options.value(flag)) {
            auto normalized = normalizeDate(*value);
            if (!normalized) return std::string("--") + flag + " takes YYYYMMDD or YYYY-MM-DD";
            *target = *normalized;
        }
    }
    if (auto sort = options.value("sort")) {
        static const std::map<std::string, cache::StudySortKey> keys = {
            {"date", cache::StudySortKey::Date},           {"name", cache::StudySortKey::PatientName},
            {"id", cache::StudySortKey::PatientId},        {"description", cache::StudySortKey::Description},
            {"accession", cache::StudySortKey::Accession}, {"modality", cache::StudySortKey::Modalities},
            {"added", cache::StudySortKey::Added}};
        auto key = keys.find(*sort);
        if (key == keys.end()) return "--sort takes date, name, id, description, accession, modality or added";
        query.sortKey = key->second;
        query.descending = query.sortKey == cache::StudySortKey::Date || query.sortKey == cache::StudySortKey::Added;
    }
    if (options.has("asc")) query.descending = false;
    if (options.has("desc")) query.descending = true;
    for (const auto& [flag, target] : {std::pair{"limit", 0}, std::pair{"offset", 1}}) {
        if (auto value = options.value(flag)) {
            char* end = nullptr;
            const long number = std::strtol(value->c_str(), &end, 10);
            if (value->empty() || *end != '\0' || number < 0 || number > 100000000)
                return std::string("--") + flag + " takes a non-negative number";
            if (target == 0) query.limit = static_cast<int>(number);
            else query.offset = static_cast<int>(number);
        }
    }
    return std::nullopt;
}

QJsonObject studyToJson(const cache::StudyRow& s)
{
    return QJsonObject{{"study_uid", qs(s.studyUid)},
                       {"patient_name", qs(s.patientName)},
                       {"patient_id", qs(s.patientId)},
                       {"patient_birth_date", qs(s.patientBirthDate)},
                       {"patient_sex", qs(s.patientSex)},
                       {"study_date", qs(s.studyDate)},
                       {"study_time", qs(s.studyTime)},
                       {"description", qs(s.description)},
                       {"accession_number", qs(s.accessionNumber)},
                       {"referring_physician", qs(s.referringPhysician)},
                       {"modalities", qs(s.modalities)},
                       {"num_series", s.numSeries},
                       {"num_instances", s.numInstances}};
}

QJsonValue optionalNumber(const std::optional<int>& value) { return value ? QJsonValue(*value) : QJsonValue(); }

QJsonArray tagsToJson(const std::vector<core::TagEntry>& entries)
{
    QJsonArray array;
    char tag[16];
    for (const auto& e : entries) {
        std::snprintf(tag, sizeof tag, "%04X,%04X", e.group, e.element);
        QJsonObject object{{"tag", tag}, {"keyword", qs(e.keyword)}, {"vr", qs(e.vr)}};
        if (e.vr == "SQ") {
            QJsonArray items;
            for (const auto& item : e.items) items.append(tagsToJson(item));
            object["items"] = items;
        } else {
            object["value"] = qs(e.value);
        }
        array.append(object);
    }
    return array;
}

void printTags(const std::vector<core::TagEntry>& entries, int depth)
{
    const std::string indent(static_cast<size_t>(depth) * 2, ' ');
    for (const auto& e : entries) {
        std::printf("%s(%04X,%04X) %s %-28s %s\n", indent.c_str(), e.group, e.element, terminalSafe(e.vr).c_str(),
                    e.keyword.c_str(), terminalSafe(e.value).c_str());
        for (size_t i = 0; i < e.items.size(); ++i) {
            std::printf("%s  item %zu\n", indent.c_str(), i + 1);
            printTags(e.items[i], depth + 2);
        }
    }
}

} // namespace

int runStudies(const CliOptions& options)
{
    cache::StudyQueryOptions query;
    if (auto problem = parseFilter(options, query)) return fail(*problem, kExitUsage);
    auto cache = cache::LocalCache::openForReading(options.cacheDir);
    if (!cache) return fail(cache.error());
    auto rows = cache::StudyQuery((*cache)->connection()).studies(query);
    if (!rows) return fail(rows.error());
    if (options.json) {
        QJsonArray array;
        for (const auto& row : *rows) array.append(studyToJson(row));
        printJson(array);
        return kExitOk;
    }
    for (const auto& s : *rows)
        std::printf("%s %-6s  %-28s %-12s %-8s %-30s %3d series %5d images  %s\n", terminalSafe(s.studyDate).c_str(),
                    terminalSafe(s.studyTime.substr(0, 6)).c_str(), terminalSafe(s.patientName).c_str(),
                    terminalSafe(s.patientId).c_str(), terminalSafe(s.modalities).c_str(),
                    terminalSafe(s.description).c_str(), s.numSeries, s.numInstances, terminalSafe(s.studyUid).c_str());
    return kExitOk;
}

int runSeries(const CliOptions& options)
{
    if (options.arguments.size() != 1) return fail("series needs one STUDY_UID", kExitUsage);
    auto cache = cache::LocalCache::openForReading(options.cacheDir);
    if (!cache) return fail(cache.error());
    cache::StudyQuery query((*cache)->connection());
    auto rows = query.series(options.arguments[0]);
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(options.arguments[0] + ": no such study in the cache", kExitNotFound);
    // How many instances the node a series was retrieved from said it has (-1: none said).
    std::vector<int> expected;
    for (const auto& s : *rows) {
        auto count = cache::expectedInstances((*cache)->connection(), s.seriesUid);
        if (!count) return fail(count.error());
        expected.push_back(*count);
    }
    if (options.json) {
        QJsonArray array;
        for (size_t i = 0; i < rows->size(); ++i) {
            const auto& s = (*rows)[i];
            array.append(QJsonObject{{"series_uid", qs(s.seriesUid)},     {"study_uid", qs(s.studyUid)},
                                     {"series_number", optionalNumber(s.seriesNumber)},
                                     {"modality", qs(s.modality)},        {"description", qs(s.description)},
                                     {"body_part", qs(s.bodyPart)},       {"num_instances", s.numInstances},
                                     {"expected_instances", expected[i] >= 0 ? QJsonValue(expected[i]) : QJsonValue()},
                                     {"complete", expected[i] < 0 || s.numInstances >= expected[i]}});
        }
        printJson(array);
        return kExitOk;
    }
    for (size_t i = 0; i < rows->size(); ++i) {
        const auto& s = (*rows)[i];
        const std::string incomplete = expected[i] > s.numInstances
                                           ? "  INCOMPLETE (" + std::to_string(s.numInstances) + " of " +
                                                 std::to_string(expected[i]) + ")"
                                           : "";
        std::printf("%5s %-4s %-40s %5d images  %s%s\n", s.seriesNumber ? std::to_string(*s.seriesNumber).c_str() : "-",
                    terminalSafe(s.modality).c_str(), terminalSafe(s.description).c_str(), s.numInstances,
                    terminalSafe(s.seriesUid).c_str(), incomplete.c_str());
    }
    return kExitOk;
}

int runInstances(const CliOptions& options)
{
    if (options.arguments.size() != 1) return fail("instances needs one SERIES_UID", kExitUsage);
    auto cache = cache::LocalCache::openForReading(options.cacheDir);
    if (!cache) return fail(cache.error());
    auto rows = cache::StudyQuery((*cache)->connection()).instances(options.arguments[0]);
    if (!rows) return fail(rows.error());
    if (rows->empty()) return fail(options.arguments[0] + ": no such series in the cache", kExitNotFound);
    if (options.json) {
        QJsonArray array;
        for (const auto& i : *rows)
            array.append(QJsonObject{{"sop_instance_uid", qs(i.sopInstanceUid)},
                                     {"sop_class_uid", qs(i.sopClassUid)},
                                     {"series_uid", qs(i.seriesUid)},
                                     {"instance_number", optionalNumber(i.instanceNumber)},
                                     {"transfer_syntax_uid", qs(i.transferSyntaxUid)},
                                     {"rows", i.rows},
                                     {"columns", i.columns},
                                     {"frames", i.frames},
                                     {"file", qs((*cache)->store().absolutePath(i.filePath).string())},
                                     {"file_size", static_cast<qint64>(i.fileSize)}});
        printJson(array);
        return kExitOk;
    }
    for (const auto& i : *rows)
        std::printf("%5s %4dx%-4d %3d fr  %-22s %s\n", i.instanceNumber ? std::to_string(*i.instanceNumber).c_str() : "-",
                    i.columns, i.rows, i.frames, terminalSafe(i.transferSyntaxUid).c_str(),
                    terminalSafe(i.sopInstanceUid).c_str());
    return kExitOk;
}

int runTags(const CliOptions& options)
{
    if (options.arguments.size() != 1) return fail("tags needs one FILE or SOP Instance UID", kExitUsage);
    std::filesystem::path file = options.arguments[0];
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        auto cache = cache::LocalCache::openForReading(options.cacheDir);
        if (!cache) return fail(cache.error());
        auto row = cache::StudyQuery((*cache)->connection()).instance(options.arguments[0]);
        if (!row) return fail(row.error());
        if (!*row) return fail(options.arguments[0] + ": neither a file nor a SOP Instance UID in the cache", kExitNotFound);
        file = (*cache)->store().absolutePath((*row)->filePath);
    }
    auto tags = core::dumpDicomTags(file);
    if (!tags) return fail(tags.error());
    if (options.json) printJson(tagsToJson(*tags));
    else printTags(*tags, 0);
    return kExitOk;
}

} // namespace lb::app::cli
