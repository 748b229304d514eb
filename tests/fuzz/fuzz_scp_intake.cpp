// libFuzzer target: what the storage SCP does with a received data set. The SCP writes the
// bytes a peer sent behind a File Meta Information header (as DCMTK's receiver does), then the
// intake reads the header and imports the file into a real cache (SQLite on disk, file store).
// The first input byte picks the transfer syntax the peer negotiated. Nothing may crash, and
// the cache must stay usable for the next input.
#include "cache/Importer.h"
#include "cache/LocalCache.h"
#include "core/DicomHeaderReader.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace {

const char* const kSyntaxes[] = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2",
                                 "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.5"};

std::string shortElement(uint16_t element, const char* vr, std::string value)
{
    if (value.size() % 2) value += '\0';
    std::string out = {'\x02', '\x00', char(element & 0xFF), char(element >> 8), vr[0], vr[1],
                       char(value.size() & 0xFF), char(value.size() >> 8)};
    return out + value;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const std::filesystem::path root = [] {
        const char* dir = std::getenv("TMPDIR");
        return std::filesystem::path(dir && *dir ? dir : "/tmp") / ("lightbox-fuzz-scp-" + std::to_string(::getpid()));
    }();
    static auto cache = lb::cache::LocalCache::open(root / "cache");
    if (!cache || size < 1) return 0;
    const char* syntax = kSyntaxes[data[0] % (sizeof kSyntaxes / sizeof *kSyntaxes)];
    const std::string meta = shortElement(0x0002, "UI", "1.2.840.10008.5.1.4.1.1.7")
        + shortElement(0x0003, "UI", "1.2.3.4") + shortElement(0x0010, "UI", syntax);
    const uint32_t length = uint32_t(meta.size());
    const std::string group = {'\x02', '\x00', '\x00', '\x00', 'U', 'L', '\x04', '\x00', char(length & 0xFF),
                               char((length >> 8) & 0xFF), char((length >> 16) & 0xFF), char(length >> 24)};
    const auto file = root / "rx.dcm";
    FILE* out = std::fopen(file.c_str(), "wb");
    if (!out) return 0;
    const std::string head = std::string(128, '\0') + "DICM" + group + meta;
    std::fwrite(head.data(), 1, head.size(), out);
    std::fwrite(data + 1, 1, size - 1, out);
    std::fclose(out);

    auto header = lb::core::readDicomHeader(file);
    if (!header && header.error().reason.empty()) __builtin_trap();
    if (!header) return 0;
    lb::cache::ImportOptions options;
    options.workerThreads = 1;
    options.adoptInputs = true;
    auto report = lb::cache::importIntoCache(**cache, {file}, options);
    if (!report) __builtin_trap(); // the cache itself must never become unwritable
    return 0;
}
