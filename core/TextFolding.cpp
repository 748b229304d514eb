#include "core/TextFolding.h"

#include "core/internal/Utf8.h"

#include <cstdint>

namespace lb::core {

namespace {

using namespace std::string_view_literals;

// Base letters of U+00C0..U+017F, lower case; '\0' where the character has no Latin base
// (x, division sign) and stays as it is. Written out once so the mapping can be reviewed.
constexpr std::string_view kLatinBase =
    // U+00C0..U+00FF
    "aaaaaaaceeeeiiii"  // C0-CF: ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏ (Æ -> a)
    "dnooooo\0ouuuuyts" // D0-DF: ÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞß (Þ -> t, ß -> s)
    "aaaaaaaceeeeiiii"  // E0-EF
    "dnooooo\0ouuuuyty" // F0-FF
    // U+0100..U+017F
    "aaaaaaccccccccdd"  // 100-10F
    "ddeeeeeeeeeegggg"  // 110-11F
    "gggghhhhiiiiiiii"  // 120-12F
    "iiiijjkkklllllll"  // 130-13F (Ĳ -> i)
    "lllnnnnnnnnnoooo"  // 140-14F
    "oooorrrrrrssssss"  // 150-15F
    "ssttttttuuuuuuuu"  // 160-16F
    "uuuuwwyyyzzzzzzs"sv; // 170-17F (ſ -> s)
static_assert(kLatinBase.size() == 0x180 - 0xC0);

char32_t foldCodePoint(char32_t c)
{
    if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    if (c >= 0xC0 && c <= 0x17F) {
        const char base = kLatinBase[c - 0xC0];
        return base ? static_cast<char32_t>(base) : c;
    }
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;  // Greek capitals
    if (c == 0x3C2) return 0x3C3;                                // final sigma searches as sigma
    if (c >= 0x410 && c <= 0x42F) return c + 32;                 // Cyrillic А..Я
    if (c >= 0x400 && c <= 0x40F) return c + 80;                 // Cyrillic Ѐ..Џ
    return c;
}

} // namespace

std::string foldForSearch(std::string_view utf8)
{
    std::string out;
    out.reserve(utf8.size());
    size_t i = 0;
    while (i < utf8.size()) {
        const auto lead = static_cast<unsigned char>(utf8[i]);
        size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
        if (i + length > utf8.size()) length = 1;
        char32_t c = length == 1 ? lead : (lead & (0x7F >> length));
        for (size_t k = 1; k < length; ++k) c = (c << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
        if (length == 1 && lead >= 0x80) out.push_back(static_cast<char>(lead)); // invalid byte: keep
        else internal::appendUtf8(out, foldCodePoint(c));
        i += length;
    }
    return out;
}

} // namespace lb::core
