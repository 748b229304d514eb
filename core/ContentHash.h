#pragma once
// A fast 64-bit content fingerprint, used to detect that a stored file changed on disk or that
// two files claiming the same SOP Instance UID differ. Not cryptographic: equality decisions
// that matter (duplicate vs conflict) also compare the bytes.
#include <cstddef>
#include <cstdint>
#include <string>

namespace lb::core {

class ContentHash {
public:
    void update(const void* data, size_t size);
    uint64_t value() const;
    std::string hex() const; // 16 lower-case hex digits

private:
    uint64_t m_state = 0x243F6A8885A308D3ull; // pi's fraction: a seed with no structure
    uint64_t m_length = 0;
    unsigned char m_tail[8] = {};
    size_t m_tailSize = 0;
    void mixWord(uint64_t word);
};

std::string toHex64(uint64_t value);

} // namespace lb::core
