#pragma once
// Reads one text-valued element from a Siemens CSA header ("SV10" format, as in
// (0029,1010) CSA Image Header Info). Bounded: every length is checked against the buffer.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lb::core::internal {

// The items of element `name` (e.g. "SliceNormalVector" -> {"0", "0", "1"}); empty if absent.
std::vector<std::string> csaItems(const uint8_t* data, size_t length, const std::string& name);

} // namespace lb::core::internal
