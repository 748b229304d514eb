#include "app/services/PriorSearch.h"

#include "app/services/NodeDirectory.h"
#include "app/services/RemoteQuery.h"
#include "app/services/StudyCatalogue.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace lb::app {

namespace {

std::vector<std::string> splitModalities(const std::string& text)
{
    std::vector<std::string> values;
    std::string value;
    for (char c : text + "\\") {
        if (c == '\\' || c == ',' || c == ' ') {
            if (!value.empty() && std::find(values.begin(), values.end(), value) == values.end()) values.push_back(value);
            value.clear();
        } else {
            value += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
    }
    return values;
}

std::string foldedName(const std::string& name)
{
    std::string folded;
    for (char c : name)
        if (c != ' ' && c != '^') folded += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return folded;
}

// The patient a study belongs to, as the matching rules see it.
struct Identity {
    std::string id, issuer, name, birthDate;
};

// "id" when the same patient by ID (and issuer), "name+birthdate" when only name and birth date
// agree, "" when another patient.
std::string matchOf(const Identity& current, const Identity& other)
{
    const bool issuersAgree = current.issuer.empty() || other.issuer.empty() || current.issuer == other.issuer;
    if (!current.id.empty() && current.id == other.id && issuersAgree) return "id";
    if (!current.name.empty() && !current.birthDate.empty() && foldedName(current.name) == foldedName(other.name)
        && current.birthDate == other.birthDate)
        return "name+birthdate";
    return {};
}

StudyTraits traitsOfLocal(const StudyCatalogue& catalogue, const StudySummary& study)
{
    StudyTraits traits{study.studyDate, splitModalities(study.modalities), study.description, {}, {}};
    for (const auto& series : catalogue.seriesOf(study.studyUid)) {
        if (!series.bodyPart.empty()) traits.bodyParts.push_back(series.bodyPart);
        if (!series.description.empty()) traits.seriesDescriptions.push_back(series.description);
        for (const auto& modality : splitModalities(series.modality))
            if (std::find(traits.modalities.begin(), traits.modalities.end(), modality) == traits.modalities.end())
                traits.modalities.push_back(modality);
    }
    return traits;
}

// A candidate while the search gathers them: one per study UID.
struct Candidate {
    PriorStudy study;
    StudyTraits traits;
};

void addLocal(const StudyCatalogue& catalogue, const Identity& current, const std::string& currentUid, const StudySearch& search,
              std::map<std::string, Candidate>& found)
{
    auto studies = catalogue.studies(search);
    if (!studies) return;
    for (const auto& row : *studies) {
        if (row.studyUid == currentUid || found.count(row.studyUid)) continue;
        const std::string match = matchOf(current, {row.patientId, row.patientIssuer, row.patientName, row.patientBirthDate});
        if (match.empty()) continue;
        Candidate candidate;
        candidate.traits = traitsOfLocal(catalogue, row);
        candidate.study = {row.studyUid, row.studyDate, candidate.traits.modalities, row.description, "local", match};
        candidate.study.localInstances = row.instanceCount;
        found[row.studyUid] = std::move(candidate);
    }
}

void addRemote(const std::string& node, const std::vector<RemoteStudy>& rows, const Identity& current,
               const std::string& currentUid, std::map<std::string, Candidate>& found)
{
    for (const auto& row : rows) {
        if (row.studyUid.empty() || row.studyUid == currentUid) continue;
        const std::string match = matchOf(current, {row.patientId, row.patientIssuer, row.patientName, row.patientBirthDate});
        if (match.empty()) continue;
        auto existing = found.find(row.studyUid);
        if (existing != found.end()) {
            PriorStudy& study = existing->second.study;
            study.remoteInstances = std::max(study.remoteInstances, row.instanceCount);
            // Partly local: the node has what is missing.
            if (study.where == "local" && row.instanceCount > study.localInstances) study.where = node;
            if (match == "id") study.match = "id";
            continue;
        }
        Candidate candidate;
        candidate.traits = {row.studyDate, splitModalities(row.modalities), row.description, {}, {}};
        candidate.study = {row.studyUid, row.studyDate, candidate.traits.modalities, row.description, node, match};
        candidate.study.remoteInstances = row.instanceCount;
        found[row.studyUid] = std::move(candidate);
    }
}

bool moreRelevant(const PriorStudy& a, const PriorStudy& b)
{
    if (a.relevant != b.relevant) return a.relevant;
    if ((a.match == "id") != (b.match == "id")) return a.match == "id";
    if (a.score != b.score) return a.score > b.score;
    if (a.studyDate != b.studyDate) return a.studyDate > b.studyDate;
    return a.studyUid < b.studyUid;
}

} // namespace

PriorSearch::PriorSearch(const StudyCatalogue& catalogue, const NodeDirectory& nodes, PriorRules rules)
    : m_catalogue(catalogue), m_nodes(nodes), m_rules(std::move(rules))
{
}

core::Result<PriorList> PriorSearch::find(const std::string& studyUid, bool remote, const core::CancelToken* cancel) const
{
    auto current = m_catalogue.study(studyUid);
    if (!current) return core::makeError(core::ErrorCode::NotFound, studyUid, "no such study in the cache");
    const Identity identity{current->patientId, current->patientIssuer, current->patientName, current->patientBirthDate};
    const StudyTraits currentTraits = traitsOfLocal(m_catalogue, *current);

    std::map<std::string, Candidate> found;
    if (!identity.id.empty()) {
        StudySearch byId;
        byId.patientId = identity.id;
        addLocal(m_catalogue, identity, studyUid, byId, found);
    }
    if (!identity.name.empty() && !identity.birthDate.empty()) {
        StudySearch byName;
        byName.patientName = identity.name;
        addLocal(m_catalogue, identity, studyUid, byName, found);
    }

    PriorList list;
    if (remote) {
        for (const auto& node : m_nodes.names()) {
            if (cancel && cancel->isCancelled()) return core::makeError(core::ErrorCode::Cancelled, studyUid, "cancelled");
            std::vector<RemoteSearch> searches;
            if (!identity.id.empty()) searches.push_back(RemoteSearch{"", identity.id, "", "", ""});
            if (!identity.name.empty() && !identity.birthDate.empty())
                searches.push_back(RemoteSearch{identity.name, "", "", "", identity.birthDate});
            for (const auto& search : searches) {
                auto rows = RemoteQuery::findStudiesNow(m_nodes, node, search, cancel);
                if (!rows) {
                    list.problems.push_back(node + ": " + rows.error().message());
                    break; // the node is down or refuses us: one line is enough
                }
                addRemote(node, *rows, identity, studyUid, found);
            }
        }
    }

    for (auto& [uid, candidate] : found) {
        const PriorVerdict verdict = m_rules.judge(currentTraits, candidate.traits);
        PriorStudy& study = candidate.study;
        study.relevant = verdict.relevant;
        study.score = verdict.score;
        study.reason = verdict.reason;
        if (study.match != "id") study.reason = "possibly the same patient (name and birth date only); " + study.reason;
        study.interval = intervalText(study.studyDate, current->studyDate);
        list.priors.push_back(study);
    }
    std::sort(list.priors.begin(), list.priors.end(), moreRelevant);
    return list;
}

std::vector<PriorStudy> PriorSearch::toFetch(const PriorList& list, int count)
{
    std::vector<PriorStudy> chosen;
    for (const auto& prior : list.priors) {
        if (static_cast<int>(chosen.size()) >= count) break;
        if (prior.relevant && prior.match == "id" && prior.where != "local") chosen.push_back(prior);
    }
    return chosen;
}

} // namespace lb::app
