#include "core/internal/SiemensCsa.h"

#include <cstring>

namespace lb::core::internal {

namespace {
uint32_t littleEndian32(const uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24); }
constexpr uint32_t kMaxTags = 1000;
constexpr uint32_t kMaxItems = 1000;
} // namespace

std::vector<std::string> csaItems(const uint8_t* data, size_t length, const std::string& name)
{
    // "SV10" + 4 bytes, tag count, 77, then per tag: name[64], vm, vr[4], syngodt, nitems, 77|205
    // (84 bytes) and per item: four int32 (the second is the value length), value padded to 4.
    if (length < 16 || std::memcmp(data, "SV10", 4) != 0) return {};
    const uint32_t tags = littleEndian32(data + 8);
    if (tags > kMaxTags) return {};
    size_t at = 16;
    for (uint32_t t = 0; t < tags; ++t) {
        if (at + 84 > length) return {};
        const char* tagName = reinterpret_cast<const char*>(data + at);
        const std::string current(tagName, strnlen(tagName, 64));
        const uint32_t items = littleEndian32(data + at + 76);
        if (items > kMaxItems) return {};
        at += 84;
        std::vector<std::string> values;
        for (uint32_t i = 0; i < items; ++i) {
            if (at + 16 > length) return {};
            const uint32_t itemLength = littleEndian32(data + at + 4);
            at += 16;
            if (itemLength > length - at) return {};
            const char* value = reinterpret_cast<const char*>(data + at);
            values.emplace_back(value, strnlen(value, itemLength));
            at += (static_cast<size_t>(itemLength) + 3) / 4 * 4;
        }
        if (current == name) {
            while (!values.empty() && values.back().empty()) values.pop_back();
            return values;
        }
    }
    return {};
}

} // namespace lb::core::internal
