// network_bench CACHE NODE PATIENT_ID STUDY_UID RUNS: our network operations in-process (no
// process start, unlike the dcmtk tools bench/network.sh runs beside it), against a node
// configured in CACHE. Prints "name seconds" lines (medians of RUNS):
//   find_patient   C-FIND of one patient's studies
//   find_all       C-FIND of every study (count printed too)
//   get / move     retrieve of STUDY_UID into a fresh cache next to CACHE
//   get_first      from the start of that retrieve to the first instance in the cache
#include "app/services/NetworkProfile.h"
#include "app/services/RetrieveIntoCache.h"
#include "cache/LocalCache.h"
#include "netclient/Echo.h"
#include "netclient/Find.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <unistd.h>
#include <vector>

using namespace lb;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0 : values[values.size() / 2];
}

double since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

int fail(const core::Error& error)
{
    std::fprintf(stderr, "network_bench: %s\n", error.message().c_str());
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 6) {
        std::fprintf(stderr, "usage: network_bench CACHE NODE PATIENT_ID STUDY_UID RUNS\n");
        return 2;
    }
    const std::filesystem::path cacheDir = argv[1];
    const std::string nodeName = argv[2], patientId = argv[3], studyUid = argv[4];
    const int runs = std::max(1, std::atoi(argv[5]));
    auto cache = cache::LocalCache::open(cacheDir);
    if (!cache) return fail(cache.error());
    auto peer = app::peerNamed((*cache)->connection(), nodeName);
    if (!peer) return fail(peer.error());
    const netclient::RemoteNode* node = &peer->node;
    const netclient::LocalIdentity* local = &peer->local;

    // Once per process DCMTK reads its data dictionary (~15-40 ms): a workstation has done so
    // long before the user's first query, so a warm-up C-ECHO pays it here.
    if (auto warm = netclient::echo(*local, *node); !warm) return fail(warm.error());

    std::vector<double> findPatient, findAll;
    int studies = 0;
    for (int i = 0; i < runs; ++i) {
        netclient::FindQuery byPatient;
        byPatient.patientId = patientId;
        auto start = Clock::now();
        auto found = netclient::find(*local, *node, byPatient, {});
        if (!found) return fail(found.error());
        findPatient.push_back(since(start));
        start = Clock::now();
        found = netclient::find(*local, *node, netclient::FindQuery{}, {});
        if (!found) return fail(found.error());
        findAll.push_back(since(start));
        studies = found->matches;
    }
    std::printf("find_patient %.4f\nfind_all %.4f\nfind_all_matches %d\n", median(findPatient), median(findAll), studies);

    for (auto method : {netclient::RetrieveMethod::Get, netclient::RetrieveMethod::Move}) {
        std::vector<double> total, first;
        for (int i = 0; i < runs; ++i) {
            const auto target = cacheDir.parent_path() / ("retrieve-" + std::string(netclient::retrieveMethodName(method)) +
                                                          "-" + std::to_string(i));
            auto into = cache::LocalCache::open(target);
            if (!into) return fail(into.error());
            if (auto ok = cache::saveNode((*into)->connection(), app::toNodeRecord(*node)); !ok) return fail(ok.error());
            if (auto ok = cache::writeSetting((*into)->connection(), app::kStoragePortSetting,
                                              std::to_string(local->storagePort)); !ok)
                return fail(ok.error());
            ::sync(); // start clean: syncfs must not pay for what the previous run left dirty
            app::RetrieveJob job{nodeName, studyUid, {}, method};
            app::RetrieveCallbacks callbacks;
            const auto start = Clock::now();
            double firstInCache = -1;
            callbacks.onImported = [&](const cache::ImportReport& report) {
                if (firstInCache < 0 && report.imported > 0) firstInCache = since(start);
            };
            auto outcome = app::retrieveIntoCache(**into, job, callbacks);
            if (!outcome) return fail(outcome.error());
            if (!outcome->complete) {
                std::fprintf(stderr, "network_bench: %s retrieve incomplete\n", netclient::retrieveMethodName(method));
                return 1;
            }
            total.push_back(since(start));
            first.push_back(firstInCache);
        }
        const char* name = netclient::retrieveMethodName(method);
        std::printf("%s %.4f\n%s_first %.4f\n", name, median(total), name, median(first));
    }
    return 0;
}
