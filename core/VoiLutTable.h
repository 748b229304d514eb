#pragma once
// A VOI LUT of the VOI LUT Sequence (PS3.3 C.11.2.1.1): modality values from firstMapped on,
// one entry each, to display values of `bits` bits. Values below the first entry take the first,
// above the last the last.
#include <cstdint>
#include <string>
#include <vector>

namespace lb::core {

struct VoiLutTable {
    int firstMapped = 0;
    int bits = 16; // of each entry's value: the display range is 0 .. 2^bits - 1
    std::vector<uint16_t> entries;
    std::string explanation; // LUTExplanation, e.g. "NORMAL"
};

} // namespace lb::core
