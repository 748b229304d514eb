// libFuzzer target: any bytes, read as a DICOM file by the header reader, the tag dump and
// the volume assembler (pixel decoding included). None may crash, hang, leak or allocate
// without bound (libFuzzer's -malloc_limit_mb and -rss_limit_mb watch).
#include "core/DicomHeaderReader.h"
#include "core/DicomTagDump.h"
#include "core/VolumeAssembler.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace {
std::string scratchFile()
{
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir && *dir ? dir : "/tmp") + "/lightbox-fuzz-" + std::to_string(::getpid()) + ".dcm";
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const std::string path = scratchFile();
    FILE* file = std::fopen(path.c_str(), "wb");
    if (!file) return 0;
    std::fwrite(data, 1, size, file);
    std::fclose(file);
    auto header = lb::core::readDicomHeader(path);
    if (!header && header.error().reason.empty()) __builtin_trap(); // every error says why
    auto tags = lb::core::dumpDicomTags(path);
    (void)tags;
    lb::core::VolumeLoadOptions options;
    options.threads = 1;
    auto volumes = lb::core::assembleVolumes({path}, options);
    if (!volumes && volumes.error().reason.empty()) __builtin_trap();
    return 0;
}
