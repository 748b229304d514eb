// libFuzzer target: any bytes read as a DICOMDIR. Records are followed only inside the medium,
// never crash, never recurse without bound (the records' nesting goes through the walk too).
#include "core/DicomDirReader.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const std::filesystem::path folder = [] {
        const char* dir = std::getenv("TMPDIR");
        auto path = std::filesystem::path(dir && *dir ? dir : "/tmp") / ("lightbox-fuzz-dicomdir-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path);
        return path;
    }();
    const auto file = folder / "DICOMDIR";
    FILE* out = std::fopen(file.c_str(), "wb");
    if (!out) return 0;
    std::fwrite(data, 1, size, out);
    std::fclose(out);
    auto contents = lb::core::readDicomDir(file);
    if (!contents && contents.error().reason.empty()) __builtin_trap();
    return 0;
}
