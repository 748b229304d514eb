#include "core/internal/ColourFrame.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace lb::core::internal {

namespace {

uint8_t clamp8(double v) { return static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L)); }

void ybrToRgb(uint8_t y, uint8_t cb, uint8_t cr, uint8_t* rgb)
{
    const double b = cb - 128.0, r = cr - 128.0;
    rgb[0] = clamp8(y + 1.402 * r);
    rgb[1] = clamp8(y - 0.344136 * b - 0.714136 * r);
    rgb[2] = clamp8(y + 1.772 * b);
}

} // namespace

std::optional<std::string> colourFrameToRgb(const uint8_t* in, size_t inBytes, size_t pixels, int bytesPerSample,
                                            const std::string& photometric, bool planar, uint8_t* out)
{
    const size_t sample = static_cast<size_t>(bytesPerSample);
    const size_t needed = photometric == "YBR_FULL_422" && !planar ? (pixels + 1) / 2 * 4 * sample : pixels * 3 * sample;
    if (inBytes < needed)
        return "decoded colour frame has " + std::to_string(inBytes) + " bytes, " + std::to_string(needed) + " needed (" + photometric + ")";
    if (photometric == "RGB" || photometric == "YBR_RCT" || photometric == "YBR_ICT") {
        // J2K's RCT/ICT are undone by the codec: what comes out is RGB.
        if (!planar) {
            std::memcpy(out, in, pixels * 3 * sample);
        } else {
            for (size_t p = 0; p < pixels; ++p)
                for (size_t c = 0; c < 3; ++c) std::memcpy(out + (p * 3 + c) * sample, in + (c * pixels + p) * sample, sample);
        }
        return std::nullopt;
    }
    if (bytesPerSample != 1) return "colour model " + photometric + " with 16-bit samples is not supported";
    if (photometric == "YBR_FULL") {
        for (size_t p = 0; p < pixels; ++p) {
            const uint8_t y = planar ? in[p] : in[p * 3];
            const uint8_t cb = planar ? in[pixels + p] : in[p * 3 + 1];
            const uint8_t cr = planar ? in[2 * pixels + p] : in[p * 3 + 2];
            ybrToRgb(y, cb, cr, out + p * 3);
        }
        return std::nullopt;
    }
    if (photometric == "YBR_FULL_422") {
        // Uncompressed 4:2:2: each pair of pixels is stored as Y1 Y2 Cb Cr (PS3.3 C.7.6.3.1.2).
        for (size_t p = 0; p + 1 < pixels + 1; p += 2) {
            const uint8_t* group = in + p * 2;
            ybrToRgb(group[0], group[2], group[3], out + p * 3);
            if (p + 1 < pixels) ybrToRgb(group[1], group[2], group[3], out + (p + 1) * 3);
        }
        return std::nullopt;
    }
    return "colour model '" + photometric + "' is not supported";
}

} // namespace lb::core::internal
