#include "core/internal/Iso2022Japanese.h"

#include "core/internal/Utf8.h"

#include <iconv.h>

namespace lb::core::internal {

namespace {

enum class G0 { Ascii, JisX0208, JisX0212 };

// Converts one run of two-byte characters (7-bit pairs) through glibc's ISO-2022-JP-2.
std::optional<std::string> convertTwoByteRun(const std::string& pairs, G0 set)
{
    std::string input = (set == G0::JisX0208 ? "\x1b$B" : "\x1b$(D") + pairs + "\x1b(B";
    iconv_t converter = iconv_open("UTF-8", "ISO-2022-JP-2");
    if (converter == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    std::string output(input.size() * 3 + 16, '\0');
    char* in = input.data();
    size_t inLeft = input.size();
    char* out = output.data();
    size_t outLeft = output.size();
    const size_t result = iconv(converter, &in, &inLeft, &out, &outLeft);
    iconv_close(converter);
    if (result == static_cast<size_t>(-1)) return std::nullopt;
    output.resize(output.size() - outLeft);
    return output;
}

bool hasTerm(const std::string& specificCharacterSet, const std::string& term)
{
    // Values are '\'-separated defined terms; compare whole values (IR 13 is not IR 138).
    size_t start = 0;
    for (;;) {
        const size_t end = specificCharacterSet.find('\\', start);
        std::string value = specificCharacterSet.substr(start, end == std::string::npos ? std::string::npos : end - start);
        while (!value.empty() && value.back() == ' ') value.pop_back();
        if (value.size() >= term.size() && value.compare(value.size() - term.size(), term.size(), term) == 0
            && (value.size() == term.size() || value[value.size() - term.size() - 1] == ' ' || value[value.size() - term.size() - 1] == '_'))
            return true;
        if (end == std::string::npos) return false;
        start = end + 1;
    }
}

} // namespace

bool isJapaneseIso2022(const std::string& specificCharacterSet)
{
    return hasTerm(specificCharacterSet, "IR 87") || hasTerm(specificCharacterSet, "IR 159")
        || hasTerm(specificCharacterSet, "IR 13");
}



std::optional<std::string> decodeJapaneseIso2022(const std::string& raw, const std::string& specificCharacterSet)
{
    // Katakana sits in G1 (bytes 0xA1..0xDF) when IR 13 is among the character sets.
    const bool katakanaInG1 = hasTerm(specificCharacterSet, "IR 13");
    std::string out;
    std::string run;
    G0 set = G0::Ascii;
    auto flushRun = [&]() -> bool {
        if (run.empty()) return true;
        auto converted = convertTwoByteRun(run, set);
        if (!converted) return false;
        out += *converted;
        run.clear();
        return true;
    };
    for (size_t i = 0; i < raw.size();) {
        const auto byte = static_cast<unsigned char>(raw[i]);
        if (byte == 0x1B) {
            if (!flushRun()) return std::nullopt;
            const std::string rest = raw.substr(i + 1, 3);
            if (rest.rfind("(B", 0) == 0 || rest.rfind("(J", 0) == 0) { set = G0::Ascii; i += 3; }
            else if (rest.rfind("$B", 0) == 0 || rest.rfind("$@", 0) == 0) { set = G0::JisX0208; i += 3; }
            else if (rest.rfind("$(D", 0) == 0) { set = G0::JisX0212; i += 4; }
            else if (rest.rfind(")I", 0) == 0) { i += 3; } // katakana into G1: bytes decide below
            else return std::nullopt; // an escape we do not know: let the caller fall back
            continue;
        }
        if (byte >= 0x80) {
            if (!flushRun()) return std::nullopt;
            if (katakanaInG1 && byte >= 0xA1 && byte <= 0xDF) appendUtf8(out, 0xFF61 + (byte - 0xA1));
            else return std::nullopt;
            ++i;
            continue;
        }
        if (set == G0::Ascii) {
            out.push_back(static_cast<char>(byte));
            ++i;
        } else {
            if (i + 1 >= raw.size()) return std::nullopt;
            run.push_back(raw[i]);
            run.push_back(raw[i + 1]);
            i += 2;
        }
    }
    if (!flushRun()) return std::nullopt;
    return out;
}

} // namespace lb::core::internal
