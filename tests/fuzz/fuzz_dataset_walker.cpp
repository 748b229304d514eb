// libFuzzer target: the bounded walk over raw data set bytes, in every encoding it accepts.
// The first input byte picks the encoding (implicit/explicit VR, little/big endian, or deflated
// inside a Part 10 file, read through the header reader); the rest is the data set. The walk
// must never crash, read outside the input or recurse without bound, and whatever it lets
// through must not crash DCMTK either.
#include "core/DicomHeaderReader.h"
#include "core/internal/DatasetWalker.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>
#include <zlib.h>

namespace {

std::string scratchFile()
{
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir && *dir ? dir : "/tmp") + "/lightbox-fuzz-walker-" + std::to_string(::getpid()) + ".dcm";
}

std::string shortElement(uint16_t element, const char* vr, std::string value)
{
    if (value.size() % 2) value += '\0';
    std::string out = {'\x02', '\x00', char(element & 0xFF), char(element >> 8), vr[0], vr[1],
                       char(value.size() & 0xFF), char(value.size() >> 8)};
    return out + value;
}

// A Part 10 file declaring Deflated Explicit VR Little Endian around `dataset`, deflated.
std::string deflatedFile(const uint8_t* data, size_t size)
{
    z_stream stream{};
    deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&stream, uLong(size)), '\0');
    stream.next_in = const_cast<Bytef*>(data);
    stream.avail_in = uInt(size);
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    const std::string meta = shortElement(0x0002, "UI", "1.2.840.10008.5.1.4.1.1.7")
        + shortElement(0x0003, "UI", "1.2.3.4") + shortElement(0x0010, "UI", "1.2.840.10008.1.2.1.99");
    const uint32_t length = uint32_t(meta.size());
    std::string group = {'\x02', '\x00', '\x00', '\x00', 'U', 'L', '\x04', '\x00', char(length & 0xFF),
                         char((length >> 8) & 0xFF), char((length >> 16) & 0xFF), char(length >> 24)};
    return std::string(128, '\0') + "DICM" + group + meta + out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1) return 0;
    const uint8_t mode = data[0] % 4;
    ++data;
    --size;
    if (mode < 3) {
        const lb::core::internal::EncodedSyntax syntax{mode != 0, mode == 2};
        (void)lb::core::internal::checkEncodedDataset({reinterpret_cast<const char*>(data), size}, syntax);
        return 0;
    }
    static const std::string path = scratchFile();
    const std::string file = deflatedFile(data, size);
    FILE* out = std::fopen(path.c_str(), "wb");
    if (!out) return 0;
    std::fwrite(file.data(), 1, file.size(), out);
    std::fclose(out);
    auto header = lb::core::readDicomHeader(path);
    if (!header && header.error().reason.empty()) __builtin_trap();
    return 0;
}
