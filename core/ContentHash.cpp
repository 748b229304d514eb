#include "core/ContentHash.h"

#include <cstring>

namespace lb::core {

namespace {
constexpr uint64_t kMultiplier1 = 0x9E3779B97F4A7C15ull; // golden ratio
constexpr uint64_t kMultiplier2 = 0xC2B2AE3D27D4EB4Full;

uint64_t rotateLeft(uint64_t x, int bits) { return (x << bits) | (x >> (64 - bits)); }

uint64_t finalMix(uint64_t x)
{
    x ^= x >> 33;
    x *= kMultiplier2;
    x ^= x >> 29;
    x *= kMultiplier1;
    x ^= x >> 32;
    return x;
}
} // namespace

void ContentHash::mixWord(uint64_t word)
{
    m_state = rotateLeft(m_state ^ (word * kMultiplier2), 31) * kMultiplier1;
}

void ContentHash::update(const void* data, size_t size)
{
    auto* bytes = static_cast<const unsigned char*>(data);
    m_length += size;
    if (m_tailSize > 0) {
        const size_t take = std::min(size, 8 - m_tailSize);
        std::memcpy(m_tail + m_tailSize, bytes, take);
        m_tailSize += take;
        bytes += take;
        size -= take;
        if (m_tailSize < 8) return;
        uint64_t word;
        std::memcpy(&word, m_tail, 8);
        mixWord(word);
        m_tailSize = 0;
    }
    while (size >= 8) {
        uint64_t word;
        std::memcpy(&word, bytes, 8);
        mixWord(word);
        bytes += 8;
        size -= 8;
    }
    std::memcpy(m_tail, bytes, size);
    m_tailSize = size;
}

uint64_t ContentHash::value() const
{
    uint64_t state = m_state;
    if (m_tailSize > 0) {
        uint64_t word = 0;
        std::memcpy(&word, m_tail, m_tailSize);
        state = rotateLeft(state ^ (word * kMultiplier2), 31) * kMultiplier1;
    }
    return finalMix(state ^ m_length);
}

std::string toHex64(uint64_t value)
{
    static const char* digits = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, value >>= 4) out[i] = digits[value & 0xF];
    return out;
}

std::string ContentHash::hex() const { return toHex64(value()); }

} // namespace lb::core
