#include "app/services/PriorRules.h"

#include "app/services/UserConfig.h"

#include <QByteArray>
#include <QDate>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cctype>
#include <set>

namespace lb {
namespace app {
extern const char* const kPriorRulesJson; // resources/reading/prior_rules.json, embedded
}
} // namespace lb

namespace lb::app {

namespace {

std::string upper(std::string text)
{
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::set<std::string> wordsOf(const std::string& text)
{
    std::set<std::string> words;
    std::string word;
    for (char c : upper(text) + " ") {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            word += c;
        } else {
            if (word.size() >= 2) words.insert(word);
            word.clear();
        }
    }
    return words;
}

std::optional<QDate> dateOf(const std::string& text)
{
    if (text.size() < 8) return std::nullopt;
    QDate date = QDate::fromString(QString::fromStdString(text.substr(0, 8)), "yyyyMMdd");
    if (!date.isValid()) return std::nullopt;
    return date;
}

std::string plural(int n, const char* unit)
{
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

std::vector<std::string> strings(const QJsonValue& value)
{
    std::vector<std::string> out;
    for (const auto& item : value.toArray()) out.push_back(upper(item.toString().toStdString()));
    return out;
}

std::string joined(const std::vector<std::string>& values, const char* separator = ", ")
{
    std::string text;
    for (const auto& value : values) text += (text.empty() ? "" : separator) + value;
    return text;
}

} // namespace

double descriptionSimilarity(const std::string& a, const std::string& b)
{
    const auto wordsA = wordsOf(a), wordsB = wordsOf(b);
    if (wordsA.empty() || wordsB.empty()) return 0;
    size_t shared = 0;
    for (const auto& word : wordsA) shared += wordsB.count(word);
    return static_cast<double>(shared) / static_cast<double>(wordsA.size() + wordsB.size() - shared);
}

std::optional<int> daysBetween(const std::string& earlier, const std::string& later)
{
    auto from = dateOf(earlier), to = dateOf(later);
    if (!from || !to) return std::nullopt;
    return static_cast<int>(from->daysTo(*to));
}

std::string intervalText(const std::string& priorDate, const std::string& currentDate)
{
    auto from = dateOf(priorDate), to = dateOf(currentDate);
    if (!from || !to) return "date unknown";
    const bool after = *from > *to;
    if (after) std::swap(from, to);
    const int days = static_cast<int>(from->daysTo(*to));
    if (days == 0) return "same day";
    int months = (to->year() - from->year()) * 12 + (to->month() - from->month());
    if (to->day() < from->day()) --months;
    std::string text;
    if (months < 1) text = plural(days, "day");
    else if (months < 24) text = plural(months, "month");
    else text = plural(months / 12, "year") + (months % 12 ? " " + plural(months % 12, "month") : "");
    return text + (after ? " after" : " before");
}

PriorRules PriorRules::shipped()
{
    auto rules = fromJson(kPriorRulesJson, "shipped prior rules");
    return rules ? *rules : PriorRules{}; // the shipped file is tested (tests/app)
}

std::filesystem::path PriorRules::userFile()
{
    return userConfigFolder() / "prior_rules.json";
}

core::Result<PriorRules> PriorRules::load()
{
    const auto file = userFile();
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return shipped();
    auto text = readTextFile(file);
    if (!text) return text.error();
    return fromJson(*text, file.string());
}

core::Result<PriorRules> PriorRules::fromJson(const std::string& text, const std::string& source)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(text), &parseError);
    if (document.isNull() || !document.isObject())
        return core::makeError(core::ErrorCode::InvalidArgument, source, "not a JSON object: " + parseError.errorString().toStdString());
    const QJsonObject json = document.object();
    PriorRules rules;
    rules.m_fetch = std::max(0, json.value("fetch").toInt(2));
    rules.m_maxAgeYears = std::max(0, json.value("max_age_years").toInt(10));
    rules.m_sameModality = json.value("same_modality").toBool(true);
    rules.m_minDescriptionSimilarity = json.value("min_description_similarity").toDouble(0.2);
    for (const auto& family : json.value("modality_families").toArray()) rules.m_modalityFamilies.push_back(strings(family));
    const QJsonObject regions = json.value("regions").toObject();
    for (auto it = regions.begin(); it != regions.end(); ++it) rules.m_regions.emplace_back(it.key().toStdString(), strings(it.value()));
    for (const auto& pair : json.value("overlapping_regions").toArray()) {
        const QJsonArray names = pair.toArray();
        if (names.size() != 2)
            return core::makeError(core::ErrorCode::InvalidArgument, source, "overlapping_regions: each entry names two regions");
        rules.m_overlapping.emplace_back(names[0].toString().toStdString(), names[1].toString().toStdString());
    }
    rules.m_weights = {{"modality", 3}, {"region", 3}, {"description", 2}, {"recency", 1}};
    const QJsonObject weights = json.value("weights").toObject();
    for (auto it = weights.begin(); it != weights.end(); ++it) rules.m_weights[it.key().toStdString()] = it.value().toDouble();
    return rules;
}

std::string PriorRules::familyOf(const std::string& modality) const
{
    for (const auto& family : m_modalityFamilies)
        if (std::find(family.begin(), family.end(), modality) != family.end()) return family.front();
    return modality;
}

std::vector<std::string> PriorRules::regionsOf(const StudyTraits& study) const
{
    std::string text = " " + upper(study.description) + " ";
    for (const auto& part : study.bodyParts) text += " " + upper(part) + " ";
    for (const auto& description : study.seriesDescriptions) text += " " + upper(description) + " ";
    std::vector<std::string> found;
    for (const auto& [name, keywords] : m_regions)
        for (const auto& keyword : keywords)
            if (text.find(keyword) != std::string::npos) {
                found.push_back(name);
                break;
            }
    return found;
}

bool PriorRules::overlap(const std::vector<std::string>& a, const std::vector<std::string>& b, bool& exact) const
{
    exact = false;
    bool any = false;
    for (const auto& x : a)
        for (const auto& y : b) {
            if (x == y) exact = any = true;
            for (const auto& [p, q] : m_overlapping)
                if ((p == x && q == y) || (p == y && q == x)) any = true;
        }
    return any;
}

PriorVerdict PriorRules::judge(const StudyTraits& current, const StudyTraits& prior) const
{
    PriorVerdict verdict;
    std::vector<std::string> reasons, against;
    auto weight = [&](const char* key) { return m_weights.count(key) ? m_weights.at(key) : 1.0; };

    std::vector<std::string> shared;
    for (const auto& m : current.modalities)
        for (const auto& p : prior.modalities)
            if (familyOf(m) == familyOf(p) && std::find(shared.begin(), shared.end(), p) == shared.end()) shared.push_back(p);
    if (!shared.empty()) {
        reasons.push_back("same modality (" + joined(shared) + ")");
        verdict.score += weight("modality");
    } else if (m_sameModality) {
        against.push_back("different modality (" + joined(prior.modalities, "/") + " vs " + joined(current.modalities, "/") + ")");
    }

    const auto currentRegions = regionsOf(current), priorRegions = regionsOf(prior);
    const double similarity = descriptionSimilarity(current.description, prior.description);
    if (!currentRegions.empty() && !priorRegions.empty()) {
        bool exact = false;
        if (overlap(currentRegions, priorRegions, exact)) {
            reasons.push_back(std::string(exact ? "same" : "overlapping") + " region (" + joined(priorRegions) + ")");
            verdict.score += weight("region") * (exact ? 1.0 : 0.6);
        } else {
            against.push_back("different region (" + joined(priorRegions) + " vs " + joined(currentRegions) + ")");
        }
    } else if (similarity < m_minDescriptionSimilarity && !(currentRegions.empty() && priorRegions.empty())) {
        against.push_back("region unknown and descriptions unlike");
    }
    if (similarity > 0) {
        reasons.push_back("description " + std::to_string(static_cast<int>(similarity * 100 + 0.5)) + "% alike");
        verdict.score += weight("description") * similarity;
    }

    const auto days = daysBetween(prior.date, current.date);
    if (days && *days < 0) {
        against.push_back("after this study");
    } else if (days && m_maxAgeYears > 0 && *days > m_maxAgeYears * 366) {
        against.push_back("older than " + plural(m_maxAgeYears, "year"));
    } else if (days && m_maxAgeYears > 0) {
        verdict.score += weight("recency") * (1.0 - static_cast<double>(*days) / (m_maxAgeYears * 366.0));
    }
    const std::string when = intervalText(prior.date, current.date);

    verdict.relevant = against.empty();
    verdict.reason = joined(verdict.relevant ? reasons : against, "; ");
    verdict.reason += (verdict.reason.empty() ? "" : "; ") + when;
    return verdict;
}

} // namespace lb::app
