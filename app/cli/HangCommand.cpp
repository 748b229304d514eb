// lightbox-cli hang STUDY_UID [--prior STUDY_UID|auto] [--step N]: which hanging protocol the
// workstation applies to a study (and its prior), and what each viewport of a step shows.
#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"
#include "app/services/PriorSearch.h"
#include "app/services/ProtocolLibrary.h"
#include "app/services/StudyHanging.h"
#include "app/services/Workstation.h"

#include <cstdio>

namespace lb::app::cli {

namespace {

QJsonValue textOrNull(const std::string& text)
{
    return text.empty() ? QJsonValue() : QJsonValue(qs(text));
}

QJsonObject hangingJson(const HangingResult& result, const std::vector<StudyForHanging>& priors)
{
    QJsonArray viewports, sync, priorUids;
    for (const auto& v : result.viewports)
        viewports.append(QJsonObject{{"index", v.index},
                                     {"study_uid", textOrNull(v.studyUid)},
                                     {"series_uid", textOrNull(v.seriesUid)},
                                     {"view", textOrNull(v.view)},
                                     {"preset", textOrNull(v.preset)},
                                     {"study", v.study == 0 ? QString("current") : QString("prior%1").arg(v.study)},
                                     {"label", qs(v.label)},
                                     {"mirror", v.mirror}});
    for (const auto& group : result.sync) {
        QJsonArray indexes;
        for (int i : group) indexes.append(i);
        sync.append(indexes);
    }
    for (const auto& prior : priors) priorUids.append(qs(prior.studyUid));
    return QJsonObject{{"protocol", qs(result.protocol)}, {"step", result.step},    {"steps", result.steps},
                       {"step_name", qs(result.stepName)}, {"layout", qs(result.layout)}, {"viewports", viewports},
                       {"sync", sync},                     {"priors", priorUids}};
}

// --prior auto: the relevant priors of the same patient (by ID) that the cache holds, most
// relevant first; --prior UID: that study.
core::Result<std::vector<StudyForHanging>> priorsFor(Workstation& workstation, const std::string& studyUid,
                                                     const std::string& choice)
{
    std::vector<StudyForHanging> priors;
    if (choice.empty()) return priors;
    if (choice != "auto") {
        auto prior = studyForHanging(workstation.catalogue(), choice);
        if (!prior) return prior.error();
        priors.push_back(*prior);
        return priors;
    }
    auto rules = PriorRules::load();
    if (!rules) return rules.error();
    PriorSearch search(workstation.catalogue(), workstation.nodes(), *rules);
    auto list = search.find(studyUid, false);
    if (!list) return list.error();
    constexpr size_t kMostPriors = 3;
    for (const auto& prior : list->priors) {
        if (priors.size() >= kMostPriors) break;
        if (!prior.relevant || prior.match != "id" || prior.where != "local") continue;
        if (auto study = studyForHanging(workstation.catalogue(), prior.studyUid)) priors.push_back(*study);
    }
    return priors;
}

} // namespace

int runHang(const CliOptions& options)
{
    if (options.arguments.size() != 1) return fail("usage: hang STUDY_UID [--prior STUDY_UID|auto] [--step N]", kExitUsage);
    int step = 1;
    if (auto text = options.value("step")) {
        auto value = parseInteger(*text);
        if (!value || *value < 1) return fail("--step takes a step number (1 is the first)", kExitUsage);
        step = *value;
    }
    auto library = ProtocolLibrary::load();
    if (!library) return fail(library.error());
    auto workstation = Workstation::open(options.cacheDir, false);
    if (!workstation) return fail(workstation.error());
    auto notFoundOr = [](const core::Error& error) {
        return error.code == core::ErrorCode::NotFound ? fail(error.message(), kExitNotFound) : fail(error);
    };
    auto current = studyForHanging((*workstation)->catalogue(), options.arguments[0]);
    if (!current) return notFoundOr(current.error());
    auto priors = priorsFor(**workstation, options.arguments[0], options.value("prior").value_or(""));
    if (!priors) return notFoundOr(priors.error());

    const HangingResult result = hangStudies(library->protocols(), *current, *priors, step);
    if (step > result.steps)
        return fail("protocol '" + result.protocol + "' has " + std::to_string(result.steps) + " step(s)", kExitUsage);
    if (options.json) {
        printJson(hangingJson(result, *priors));
        return kExitOk;
    }
    std::printf("%s, step %d of %d (%s), layout %s\n", result.protocol.c_str(), result.step, result.steps,
                result.stepName.c_str(), result.layout.c_str());
    for (const auto& v : result.viewports)
        std::printf("  %d  %-8s %-8s %-12s %s%s\n", v.index, v.study == 0 ? "current" : ("prior" + std::to_string(v.study)).c_str(),
                    v.view.empty() ? "-" : v.view.c_str(), v.preset.empty() ? "-" : v.preset.c_str(),
                    v.seriesUid.empty() ? ("(nothing for " + v.label + ")").c_str() : v.seriesUid.c_str(), v.mirror ? " mirrored" : "");
    return kExitOk;
}

} // namespace lb::app::cli
