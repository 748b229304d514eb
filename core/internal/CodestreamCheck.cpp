#include "core/internal/CodestreamCheck.h"

namespace lb::core::internal {

namespace {

uint32_t bigEndian16(const uint8_t* p) { return static_cast<uint32_t>(p[0] << 8 | p[1]); }
uint32_t bigEndian32(const uint8_t* p) { return static_cast<uint32_t>(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

// The first occurrence of marker 0xFF `second` followed by `third`... within `limit` bytes.
std::optional<size_t> find(const uint8_t* data, size_t length, const uint8_t* pattern, size_t patternLength, size_t limit)
{
    for (size_t at = 0; at + patternLength <= length && at < limit; ++at) {
        size_t k = 0;
        while (k < patternLength && data[at + k] == pattern[k]) ++k;
        if (k == patternLength) return at;
    }
    return std::nullopt;
}

std::string sizes(uint32_t columns, uint32_t rows, uint32_t samples)
{
    return std::to_string(columns) + " x " + std::to_string(rows) + " x " + std::to_string(samples);
}

} // namespace

std::optional<std::string> checkJpeg2000Size(const uint8_t* data, size_t length, int columns, int rows, int samples)
{
    // Codestream: SOC (FF4F) then SIZ (FF51); a JP2 wrapper holds the codestream in its jp2c box.
    static const uint8_t socSiz[] = {0xFF, 0x4F, 0xFF, 0x51};
    const auto at = find(data, length, socSiz, 4, 4096);
    if (!at) return "no JPEG 2000 codestream header (SOC/SIZ) in the first fragment";
    const uint8_t* siz = data + *at + 4; // Lsiz(2) Rsiz(2) Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz YTOsiz (4 each) Csiz(2)
    if (*at + 4 + 38 > length) return "JPEG 2000 SIZ marker is truncated";
    const uint32_t x = bigEndian32(siz + 4), y = bigEndian32(siz + 8), xo = bigEndian32(siz + 12), yo = bigEndian32(siz + 16);
    const uint32_t components = bigEndian16(siz + 36);
    if (x < xo || y < yo || x - xo != static_cast<uint32_t>(columns) || y - yo != static_cast<uint32_t>(rows)
        || components != static_cast<uint32_t>(samples))
        return "JPEG 2000 stream declares " + sizes(x - xo, y - yo, components) + ", the header "
            + sizes(static_cast<uint32_t>(columns), static_cast<uint32_t>(rows), static_cast<uint32_t>(samples));
    return std::nullopt;
}

std::optional<std::string> checkJpegLsSize(const uint8_t* data, size_t length, int columns, int rows, int samples)
{
    // SOF55 (FFF7): Lf(2) P(1) Y(2) X(2) Nf(1).
    static const uint8_t sof55[] = {0xFF, 0xF7};
    const auto at = find(data, length, sof55, 2, 4096);
    if (!at) return "no JPEG-LS frame header (SOF55) in the first fragment";
    if (*at + 2 + 8 > length) return "JPEG-LS frame header is truncated";
    const uint8_t* sof = data + *at + 2;
    const uint32_t y = bigEndian16(sof + 3), x = bigEndian16(sof + 5), components = sof[7];
    if (x != static_cast<uint32_t>(columns) || y != static_cast<uint32_t>(rows) || components != static_cast<uint32_t>(samples))
        return "JPEG-LS stream declares " + sizes(x, y, components) + ", the header "
            + sizes(static_cast<uint32_t>(columns), static_cast<uint32_t>(rows), static_cast<uint32_t>(samples));
    return std::nullopt;
}

} // namespace lb::core::internal
