#pragma once
// Folding text for searching: "Müller", "MULLER" and "muller" all fold to "muller".
// Lower-cases and strips diacritics for Latin scripts (Latin-1 Supplement, Latin Extended-A),
// lower-cases Greek and Cyrillic; other characters pass unchanged. Input and output are UTF-8.
#include <string>
#include <string_view>

namespace lb::core {

std::string foldForSearch(std::string_view utf8);

} // namespace lb::core
