// bench/stored_file_check_bench CACHE_DIR FOLDER [RUNS]: what the check of stored files
// (cache/StoredFileCheck.h) costs next to loading the series. FOLDER is imported into a fresh
// cache at CACHE_DIR; its largest series is then loaded (core::assembleVolumes) and checked,
// each RUNS times (median), warm (files in the page cache) and cold (the files' pages dropped
// with posix_fadvise(DONTNEED) first: clean pages go, as after a reboot). The peer is the load
// itself: the budget is a check of at most +20 % of the load.
#include "cache/Importer.h"
#include "cache/LocalCache.h"
#include "cache/StoredFileCheck.h"
#include "cache/StudyQuery.h"
#include "core/ContentHash.h"
#include "core/VolumeAssembler.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <functional>
#include <unistd.h>

namespace {

double msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

void dropFromPageCache(const std::vector<std::filesystem::path>& files)
{
    for (const auto& file : files) {
        const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        ::fdatasync(fd);
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        ::close(fd);
    }
}

double timed(int runs, const std::function<void()>& before, const std::function<void()>& work)
{
    std::vector<double> ms;
    for (int run = 0; run < runs; ++run) {
        before();
        const auto start = std::chrono::steady_clock::now();
        work();
        ms.push_back(msSince(start));
    }
    return median(ms);
}

} // namespace

int main(int argc, char** argv)
{
    using namespace lb;
    if (argc < 3) {
        std::fprintf(stderr, "usage: stored_file_check_bench CACHE_DIR FOLDER [RUNS]\n");
        return 2;
    }
    const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
    auto cache = cache::LocalCache::open(argv[1]);
    if (!cache) {
        std::fprintf(stderr, "%s\n", cache.error().message().c_str());
        return 1;
    }
    if (auto imported = cache::importIntoCache(**cache, {argv[2]}); !imported) {
        std::fprintf(stderr, "%s\n", imported.error().message().c_str());
        return 1;
    }
    // The largest series of the folder.
    std::vector<cache::InstanceRow> rows;
    cache::StudyQuery query((*cache)->connection());
    auto studies = query.studies({});
    for (const auto& study : studies ? *studies : std::vector<cache::StudyRow>{}) {
        auto series = query.series(study.studyUid);
        for (const auto& one : series ? *series : std::vector<cache::SeriesRow>{})
            if (auto instances = query.instances(one.seriesUid); instances && instances->size() > rows.size()) rows = *instances;
    }
    if (rows.empty()) {
        std::fprintf(stderr, "no series in %s\n", argv[2]);
        return 1;
    }
    std::vector<std::filesystem::path> files;
    uint64_t bytes = 0;
    for (const auto& row : rows) {
        files.push_back((*cache)->store().absolutePath(row.filePath));
        bytes += row.fileSize;
    }

    // The fingerprint alone, in memory, one thread.
    std::vector<char> buffer(64 << 20, 1);
    volatile uint64_t sink = 0;
    const double hashMs = timed(runs, [] {}, [&] {
        core::ContentHash hash;
        hash.update(buffer.data(), buffer.size());
        sink = sink + hash.value();
    });

    bool ok = true;
    auto load = [&] { ok = core::assembleVolumes(files).ok() && ok; };
    auto check = [&](bool content) {
        return [&, content] {
            cache::StoredFileCheckOptions options;
            options.verifyContent = content;
            auto findings = cache::checkStoredFiles((*cache)->store(), rows, options);
            ok = findings.ok() && findings->empty() && ok;
        };
    };
    auto warm = [&] { dropFromPageCache({}); };
    auto cold = [&] { dropFromPageCache(files); };
    const double loadWarm = timed(runs, warm, load), checkWarm = timed(runs, warm, check(true)), sizesWarm = timed(runs, warm, check(false));
    const double loadCold = timed(runs, cold, load), checkCold = timed(runs, cold, check(true));
    // The CLI's order: a cold load, then the check on what the load left in the page cache.
    std::vector<double> afterLoad;
    for (int run = 0; run < runs; ++run) {
        cold();
        load();
        const auto start = std::chrono::steady_clock::now();
        check(true)();
        afterLoad.push_back(msSince(start));
    }
    if (!ok) {
        std::fprintf(stderr, "a load or a check failed (or found damage in a fresh import)\n");
        return 1;
    }
    std::printf("%zu files, %.1f MB; ContentHash %.2f GB/s (one thread, in memory)\n", files.size(), bytes / 1e6,
                buffer.size() / 1e6 / hashMs);
    std::printf("%-34s %9s %9s %8s\n", "median of runs (ms)", "load", "check", "check/load");
    std::printf("%-34s %9.1f %9.1f %7.0f %%\n", "warm (page cache)", loadWarm, checkWarm, 100 * checkWarm / loadWarm);
    std::printf("%-34s %9.1f %9.1f %7.0f %%\n", "warm, sizes only (no read)", loadWarm, sizesWarm, 100 * sizesWarm / loadWarm);
    std::printf("%-34s %9.1f %9.1f %7.0f %%\n", "cold", loadCold, checkCold, 100 * checkCold / loadCold);
    std::printf("%-34s %9.1f %9.1f %7.0f %%\n", "cold load, then check (the CLI)", loadCold, median(afterLoad),
                100 * median(afterLoad) / loadCold);
    return 0;
}
