#include "core/internal/RleDecoder.h"

#include <cstring>

namespace lb::core::internal {

namespace {

uint32_t readLittleEndian32(const uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24); }

// PackBits into `plane` (exactly `count` bytes). Returns false when the segment runs out early.
bool unpackSegment(const uint8_t* data, size_t length, uint8_t* plane, size_t count)
{
    size_t in = 0, out = 0;
    while (out < count && in < length) {
        const int8_t header = static_cast<int8_t>(data[in++]);
        // A run past the end of the plane means the stream is corrupt: no encoder writes one.
        if (header >= 0) {
            const size_t run = static_cast<size_t>(header) + 1;
            if (in + run > length || run > count - out) return false;
            std::memcpy(plane + out, data + in, run);
            in += run;
            out += run;
        } else if (header != -128) {
            const size_t run = static_cast<size_t>(1 - header);
            if (in >= length || run > count - out) return false;
            std::memset(plane + out, data[in++], run);
            out += run;
        }
    }
    return out == count;
}

} // namespace

std::optional<std::string> decodeRleFrame(const std::vector<uint8_t>& frame, size_t pixels, int samplesPerPixel,
                                          int bytesPerSample, uint8_t* out)
{
    if (frame.size() < 64) return "RLE frame shorter than its 64-byte header";
    const uint32_t segments = readLittleEndian32(frame.data());
    const uint32_t expected = static_cast<uint32_t>(samplesPerPixel * bytesPerSample);
    if (segments != expected)
        return "RLE frame has " + std::to_string(segments) + " segments, " + std::to_string(expected) + " expected";
    std::vector<uint8_t> plane(pixels);
    for (uint32_t s = 0; s < segments; ++s) {
        const uint32_t begin = readLittleEndian32(frame.data() + 4 + 4 * s);
        const uint32_t end = s + 1 < segments ? readLittleEndian32(frame.data() + 8 + 4 * s) : static_cast<uint32_t>(frame.size());
        if (begin < 64 || begin > end || end > frame.size()) return "RLE segment " + std::to_string(s + 1) + " has a bad offset";
        if (!unpackSegment(frame.data() + begin, end - begin, plane.data(), pixels))
            return "RLE segment " + std::to_string(s + 1) + " is truncated or corrupt";
        const int sample = static_cast<int>(s) / bytesPerSample;
        const int byteInSample = bytesPerSample - 1 - static_cast<int>(s) % bytesPerSample; // MSB segment first
        for (size_t p = 0; p < pixels; ++p)
            out[(p * samplesPerPixel + sample) * bytesPerSample + byteInSample] = plane[p];
    }
    return std::nullopt;
}

} // namespace lb::core::internal
