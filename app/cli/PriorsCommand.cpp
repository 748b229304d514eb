// lightbox-cli priors STUDY_UID [--remote] [--fetch N]: the patient's other studies, most
// relevant first (app/services/PriorSearch.h), and optionally the N most relevant remote ones
// fetched through the transfer queue.
#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"
#include "app/cli/InterruptCancels.h"
#include "app/services/PriorSearch.h"
#include "app/services/Workstation.h"

#include <chrono>
#include <cstdio>
#include <map>
#include <thread>

namespace lb::app::cli {

namespace {

// What became of a prior that was queued for fetching.
struct Fetch {
    QString job;       // "T<n>", or "" when it could not be queued
    std::string state; // done | failed | cancelled | queued (interrupted)
    std::string error;
};

QJsonObject priorJson(const PriorStudy& prior, const std::map<std::string, Fetch>& fetched)
{
    QJsonArray modalities;
    for (const auto& modality : prior.modalities) modalities.append(qs(modality));
    QJsonObject object{{"study_uid", qs(prior.studyUid)},
                       {"study_date", qs(prior.studyDate)},
                       {"modalities", modalities},
                       {"description", qs(prior.description)},
                       {"where", qs(prior.where)},
                       {"relevant", prior.relevant},
                       {"reason", qs(prior.reason)},
                       {"match", qs(prior.match)},
                       {"interval", qs(prior.interval)},
                       {"local_instances", prior.localInstances}};
    auto fetch = fetched.find(prior.studyUid);
    if (fetch != fetched.end())
        object["fetch"] = QJsonObject{{"job", fetch->second.job.isEmpty() ? QJsonValue() : QJsonValue(fetch->second.job)},
                                      {"state", qs(fetch->second.state)},
                                      {"error", fetch->second.error.empty() ? QJsonValue() : QJsonValue(qs(fetch->second.error))}};
    return object;
}

// Queues each prior at low priority and waits until every one has finished (or Ctrl-C).
std::map<std::string, Fetch> fetchPriors(Workstation& workstation, const std::vector<PriorStudy>& priors,
                                         const core::CancelToken& stop)
{
    constexpr int kPriorFetchPriority = -10; // behind anything a user asked for
    std::map<std::string, Fetch> fetched;
    for (const auto& prior : priors) {
        auto job = workstation.retrieve(prior.where, prior.studyUid, {}, kPriorFetchPriority);
        fetched[prior.studyUid] = job ? Fetch{*job, "queued", {}} : Fetch{{}, "failed", job.error().message()};
    }
    for (;;) {
        bool pending = false;
        for (auto& [uid, fetch] : fetched) {
            if (fetch.job.isEmpty()) continue;
            if (auto state = workstation.transferState(fetch.job)) {
                fetch.state = state->first;
                fetch.error = state->second;
            }
            pending = pending || fetch.state == "queued" || fetch.state == "running";
        }
        if (!pending || stop.isCancelled()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return fetched;
}

} // namespace

int runPriors(const CliOptions& options)
{
    if (options.arguments.size() != 1) return fail("usage: priors STUDY_UID [--remote] [--fetch N]", kExitUsage);
    std::optional<int> fetchCount;
    if (auto text = options.value("fetch")) {
        fetchCount = parseInteger(*text);
        if (!fetchCount || *fetchCount < 0) return fail("--fetch takes a number (0 or more)", kExitUsage);
    }
    const bool remote = options.has("remote") || fetchCount.has_value();
    auto rules = PriorRules::load();
    if (!rules) return fail(rules.error());
    auto workstation = Workstation::open(options.cacheDir, fetchCount.value_or(0) > 0);
    if (!workstation) return fail(workstation.error());
    PriorSearch search((*workstation)->catalogue(), (*workstation)->nodes(), *rules);

    core::CancelToken cancel;
    InterruptCancels interrupt(cancel);
    auto list = search.find(options.arguments[0], remote, &cancel);
    if (!list) {
        if (list.error().code == core::ErrorCode::NotFound) return fail(list.error().message(), kExitNotFound);
        return fail(list.error());
    }
    for (const auto& problem : list->problems) std::fprintf(stderr, "lightbox-cli: %s\n", problem.c_str());

    std::map<std::string, Fetch> fetched;
    bool allFetched = true;
    if (fetchCount && *fetchCount > 0) {
        fetched = fetchPriors(**workstation, PriorSearch::toFetch(*list, *fetchCount), cancel);
        for (auto& prior : list->priors) {
            auto fetch = fetched.find(prior.studyUid);
            if (fetch == fetched.end()) continue;
            if (fetch->second.state == "done") {
                prior.where = "local";
                prior.localInstances = (*workstation)->catalogue().instancesOfStudy(prior.studyUid);
            } else {
                allFetched = false;
            }
        }
    }

    if (options.json) {
        QJsonArray array;
        for (const auto& prior : list->priors) array.append(priorJson(prior, fetched));
        printJson(array);
    } else {
        for (const auto& prior : list->priors) {
            std::printf("%s  %-8s %-10s %-18s %s%s  %s\n", prior.relevant ? "*" : " ", prior.studyDate.c_str(),
                        prior.where.c_str(), prior.interval.c_str(), terminalSafe(prior.description).c_str(),
                        prior.match == "id" ? "" : " (possible)", prior.studyUid.c_str());
            std::printf("     %s\n", terminalSafe(prior.reason).c_str());
            if (auto fetch = fetched.find(prior.studyUid); fetch != fetched.end())
                std::printf("     fetch: %s%s%s\n", fetch->second.state.c_str(), fetch->second.error.empty() ? "" : ": ",
                            fetch->second.error.c_str());
        }
        if (list->priors.empty()) std::printf("no other studies of this patient\n");
    }
    if (!list->problems.empty() || !allFetched) return kExitIncomplete;
    return kExitOk;
}

} // namespace lb::app::cli
