// bench/first_slice_bench FOLDER: time from the start of loading a series to the first image
// a viewer can show (VolumeLoadOptions::firstSlice = Middle), and to the whole volume.
// Budget from the issue: 50 ms to the first slice.
#include "core/VolumeAssembler.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: first_slice_bench FOLDER\n");
        return 2;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(argv[1]))
        if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::vector<double> first, total;
    for (int run = 0; run < 5; ++run) {
        lb::core::VolumeLoadOptions options;
        options.firstSlice = lb::core::VolumeLoadOptions::FirstSlice::Middle;
        const auto start = std::chrono::steady_clock::now();
        double firstMs = -1;
        options.onFirstSlice = [&](std::shared_ptr<const lb::core::Volume>) {
            firstMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        };
        auto loaded = lb::core::assembleVolumes(files, options);
        total.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        first.push_back(firstMs);
        if (!loaded) {
            std::fprintf(stderr, "%s\n", loaded.error().message().c_str());
            return 1;
        }
    }
    std::sort(first.begin(), first.end());
    std::sort(total.begin(), total.end());
    std::printf("%zu files: first slice %.1f ms (median of 5; / 50 ms budget = %.2f), whole series %.1f ms\n", files.size(),
                first[2], first[2] / 50.0, total[2]);
    return 0;
}
