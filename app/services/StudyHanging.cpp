#include "app/services/StudyHanging.h"

#include "app/services/PriorRules.h"
#include "app/services/StudyCatalogue.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace lb::app {

namespace {

std::string upper(std::string text)
{
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

bool isLocalizer(const SeriesChoice& series)
{
    const auto& type = series.traits.imageType;
    return std::find(type.begin(), type.end(), "LOCALIZER") != type.end();
}

bool matchesStudy(const StudyMatch& match, const StudyForHanging& study, size_t priors)
{
    if (static_cast<int>(priors) < match.minPriors) return false;
    if (!match.modality.empty()
        && std::none_of(study.modalities.begin(), study.modalities.end(), [&](const std::string& m) {
               return std::find(match.modality.begin(), match.modality.end(), upper(m)) != match.modality.end();
           }))
        return false;
    if (!match.bodyPart.empty()) {
        std::string text = " " + upper(study.description) + " ";
        for (const auto& series : study.series)
            text += " " + upper(series.traits.bodyPart) + " " + upper(series.traits.description) + " ";
        if (std::none_of(match.bodyPart.begin(), match.bodyPart.end(),
                         [&](const std::string& keyword) { return text.find(keyword) != std::string::npos; }))
            return false;
    }
    if (!match.description.empty()
        && std::none_of(match.description.begin(), match.description.end(),
                        [&](const std::string& pattern) { return patternMatches(pattern, study.description); }))
        return false;
    return true;
}

int specificity(const StudyMatch& match)
{
    return (match.modality.empty() ? 0 : 1) + (match.bodyPart.empty() ? 0 : 1) + (match.description.empty() ? 0 : 1)
           + match.minPriors;
}

// How a series is shown in a view: radiographs and mammograms (no patient orientation) as images.
std::string viewFor(const SeriesChoice& series, const std::string& asked)
{
    if (asked == "3d") return asked;
    return series.traits.orientation.empty() ? "image" : asked;
}

std::string planeOf(const SeriesChoice& series)
{
    const std::string& plane = series.traits.orientation;
    if (plane.empty()) return "image";
    return plane == "oblique" ? "axial" : plane;
}

// The series a reader looks at first: not a localizer, the most images (a volume before a
// single image), then the lowest number.
const SeriesChoice* mainSeries(const StudyForHanging& study)
{
    const SeriesChoice* best = nullptr;
    for (const auto& series : study.series) {
        if (isLocalizer(series) && study.series.size() > 1) continue;
        if (!best || series.images > best->images
            || (series.images == best->images && series.number.value_or(1 << 30) < best->number.value_or(1 << 30)))
            best = &series;
    }
    return best;
}

// The prior's series most like `like`: same modality, then same plane, alike description and
// thickness, then the most images.
const SeriesChoice* sameKind(const StudyForHanging& prior, const SeriesChoice& like)
{
    const SeriesChoice* best = nullptr;
    double bestScore = -1;
    for (const auto& series : prior.series) {
        if (isLocalizer(series) || upper(series.traits.modality) != upper(like.traits.modality)) continue;
        double score = (series.traits.orientation == like.traits.orientation ? 2.0 : 0.0)
                       + descriptionSimilarity(series.traits.description, like.traits.description);
        if (series.traits.sliceThickness && like.traits.sliceThickness)
            score += 1.0 / (1.0 + std::abs(*series.traits.sliceThickness - *like.traits.sliceThickness));
        if (series.traits.viewPosition == like.traits.viewPosition && !like.traits.viewPosition.empty()) score += 2.0;
        if (!best || score > bestScore || (score == bestScore && series.images > best->images)) {
            best = &series;
            bestScore = score;
        }
    }
    return best;
}

HangingResult generic(const StudyForHanging& current, const std::vector<StudyForHanging>& priors)
{
    HangingResult result;
    result.protocol = kGenericProtocol;
    result.stepName = priors.empty() ? "main series" : "main series beside the prior";
    const SeriesChoice* main = mainSeries(current);
    HungViewport first;
    first.label = "current";
    if (main) {
        first.studyUid = current.studyUid;
        first.seriesUid = main->seriesUid;
        first.view = planeOf(*main);
    }
    result.viewports.push_back(first);
    if (!priors.empty()) {
        HungViewport second;
        second.index = 1;
        second.study = 1;
        second.label = "prior 1";
        if (const SeriesChoice* match = main ? sameKind(priors.front(), *main) : mainSeries(priors.front())) {
            second.studyUid = priors.front().studyUid;
            second.seriesUid = match->seriesUid;
            second.view = main ? first.view : planeOf(*match);
        }
        result.viewports.push_back(second);
        result.sync.push_back({0, 1});
    }
    result.layout = priors.empty() ? "1x1" : "1x2";
    return result;
}

const StudyForHanging* studyAt(int index, const StudyForHanging& current, const std::vector<StudyForHanging>& priors)
{
    if (index == 0) return &current;
    if (index <= static_cast<int>(priors.size())) return &priors[index - 1];
    return nullptr;
}

bool showsCurrent(const HangingResult& result)
{
    return std::any_of(result.viewports.begin(), result.viewports.end(),
                       [](const HungViewport& v) { return v.study == 0 && !v.seriesUid.empty(); });
}

const HangingProtocol* bestMatching(const std::vector<const HangingProtocol*>& protocols, const StudyForHanging& current,
                                    const std::vector<StudyForHanging>& priors)
{
    const HangingProtocol* best = nullptr;
    for (const HangingProtocol* protocol : protocols) {
        if (!matchesStudy(protocol->match, current, priors.size())) continue;
        if (!best || protocol->priority > best->priority
            || (protocol->priority == best->priority && specificity(protocol->match) > specificity(best->match)))
            best = protocol;
    }
    return best;
}

} // namespace

const HangingProtocol* chooseProtocol(const std::vector<HangingProtocol>& protocols, const StudyForHanging& current,
                                      const std::vector<StudyForHanging>& priors)
{
    std::vector<const HangingProtocol*> candidates;
    for (const auto& protocol : protocols) candidates.push_back(&protocol);
    return bestMatching(candidates, current, priors);
}

HangingResult applyProtocol(const HangingProtocol& protocol, const StudyForHanging& current,
                            const std::vector<StudyForHanging>& priors, int step)
{
    HangingResult result;
    result.protocol = protocol.name;
    result.steps = static_cast<int>(protocol.steps.size());
    result.step = std::clamp(step, 1, result.steps);
    const ProtocolStep& chosen = protocol.steps[result.step - 1];
    result.stepName = chosen.name;
    result.layout = chosen.layout;
    result.sync = chosen.sync;

    auto hang = [&](const ViewportRule& rule, int index, const std::string& view) {
        HungViewport viewport;
        viewport.index = index;
        viewport.study = rule.study;
        viewport.preset = rule.preset;
        viewport.mirror = rule.mirror;
        viewport.label = rule.label;
        viewport.view = view;
        if (const StudyForHanging* study = studyAt(rule.study, current, priors))
            if (const SeriesChoice* series = bestSeries(rule.series, study->series)) {
                viewport.studyUid = study->studyUid;
                viewport.seriesUid = series->seriesUid;
                viewport.view = viewFor(*series, view);
            }
        return viewport;
    };
    if (chosen.layout == "mpr") { // the three planes and 3D of one series, as the session state lists them
        int index = 0;
        for (const char* view : {"axial", "coronal", "sagittal", "3d"}) result.viewports.push_back(hang(chosen.viewports.front(), index++, view));
        result.sync = {{0, 1, 2}};
        return result;
    }
    for (size_t i = 0; i < chosen.viewports.size(); ++i)
        result.viewports.push_back(hang(chosen.viewports[i], static_cast<int>(i), chosen.viewports[i].view));
    return result;
}

HangingResult hangStudies(const std::vector<HangingProtocol>& protocols, const StudyForHanging& current,
                          const std::vector<StudyForHanging>& priors, int step)
{
    // Matching protocols best first; one that finds nothing of the current study in its first
    // step is the wrong one for it (an MR brain protocol on a spine), not an empty screen.
    std::vector<const HangingProtocol*> candidates;
    for (const auto& protocol : protocols) candidates.push_back(&protocol);
    while (const HangingProtocol* chosen = bestMatching(candidates, current, priors)) {
        if (showsCurrent(applyProtocol(*chosen, current, priors, 1))) return applyProtocol(*chosen, current, priors, step);
        candidates.erase(std::find(candidates.begin(), candidates.end(), chosen));
    }
    return generic(current, priors);
}

core::Result<StudyForHanging> studyForHanging(const StudyCatalogue& catalogue, const std::string& studyUid)
{
    auto summary = catalogue.study(studyUid);
    if (!summary) return core::makeError(core::ErrorCode::NotFound, studyUid, "no such study in the cache");
    StudyForHanging study;
    study.studyUid = studyUid;
    study.description = summary->description;
    for (const auto& series : catalogue.seriesOf(studyUid)) {
        SeriesChoice choice;
        choice.seriesUid = series.seriesUid;
        choice.number = series.seriesNumber;
        choice.images = series.instanceCount;
        const auto files = catalogue.seriesFiles(series.seriesUid);
        if (!files.empty())
            if (auto traits = core::readSeriesTraits(files[files.size() / 2])) choice.traits = *traits;
        if (choice.traits.modality.empty()) choice.traits.modality = series.modality;
        if (choice.traits.description.empty()) choice.traits.description = series.description;
        if (choice.traits.bodyPart.empty()) choice.traits.bodyPart = upper(series.bodyPart);
        const std::string modality = upper(choice.traits.modality);
        if (!modality.empty() && std::find(study.modalities.begin(), study.modalities.end(), modality) == study.modalities.end())
            study.modalities.push_back(modality);
        study.series.push_back(choice);
    }
    return study;
}

} // namespace lb::app
