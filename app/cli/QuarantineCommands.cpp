// lightbox-cli quarantine list | restore ID | purge ID|--all
#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"
#include "cache/Quarantine.h"

#include <cstdio>

namespace lb::app::cli {
namespace {

const char* kQuarantineUsage = "usage: quarantine list | quarantine restore ID | quarantine purge ID|--all";

std::optional<int64_t> entryId(const std::string& text)
{
    const auto id = parseInteger(text);
    if (!id || *id < 1) return std::nullopt;
    return *id;
}

int listEntries(const CliOptions& options, cache::LocalCache& cache)
{
    auto entries = cache::listQuarantine(cache);
    if (!entries) return fail(entries.error());
    if (options.json) {
        QJsonArray array;
        for (const auto& e : *entries)
            array.append(QJsonObject{{"id", static_cast<qint64>(e.id)},
                                     {"reason", qs(e.facts.reason)},
                                     {"received", qs(e.receivedAt)},
                                     {"patient_id", qs(e.facts.patientId)},
                                     {"study_uid", qs(e.facts.studyUid)},
                                     {"sop_uid", qs(e.facts.sopUid)},
                                     {"source", qs(e.facts.source)}});
        printJson(array);
        return kExitOk;
    }
    for (const auto& e : *entries)
        std::printf("%lld  %s  patient %s  study %s  sop %s\n    %s\n", static_cast<long long>(e.id), e.receivedAt.c_str(),
                    terminalSafe(e.facts.patientId).c_str(), terminalSafe(e.facts.studyUid).c_str(),
                    terminalSafe(e.facts.sopUid).c_str(), terminalSafe(e.facts.reason).c_str());
    std::printf("%zu in quarantine\n", entries->size());
    return kExitOk;
}

int restoreEntry(const CliOptions& options, cache::LocalCache& cache, int64_t id)
{
    auto outcome = cache::restoreQuarantined(cache, id);
    if (!outcome) return fail(outcome.error());
    if (options.json)
        printJson(QJsonObject{{"id", static_cast<qint64>(id)}, {"restored", outcome->restored}, {"problem", qs(outcome->problem)}});
    else if (outcome->restored)
        std::printf("restored %lld into the cache\n", static_cast<long long>(id));
    else
        std::printf("not restored: %s\n", terminalSafe(outcome->problem).c_str());
    return outcome->restored ? kExitOk : kExitIncomplete;
}

int purgeEntries(const CliOptions& options, cache::LocalCache& cache, std::optional<int64_t> id)
{
    auto purged = cache::purgeQuarantine(cache, id);
    if (!purged) return fail(purged.error());
    if (options.json) printJson(QJsonObject{{"purged", static_cast<qint64>(*purged)}});
    else std::printf("purged %lld\n", static_cast<long long>(*purged));
    return kExitOk;
}

} // namespace

int runQuarantine(const CliOptions& options)
{
    const auto& args = options.arguments;
    const std::string action = args.empty() ? "" : args[0];
    const bool valid = (action == "list" && args.size() == 1) || (action == "restore" && args.size() == 2)
        || (action == "purge" && (args.size() == 2) != options.has("all"));
    if (!valid) return fail(kQuarantineUsage, kExitUsage);
    std::optional<int64_t> id;
    if (args.size() == 2) {
        id = entryId(args[1]);
        if (!id) return fail("a quarantine ID is a positive number (see quarantine list)", kExitUsage);
    }
    auto cache = cache::LocalCache::open(options.cacheDir);
    if (!cache) return fail(cache.error());
    if (action == "list") return listEntries(options, **cache);
    if (action == "restore") return restoreEntry(options, **cache, *id);
    return purgeEntries(options, **cache, id);
}

} // namespace lb::app::cli
