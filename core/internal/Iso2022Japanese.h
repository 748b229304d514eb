#pragma once
// Decoder for DICOM's Japanese ISO 2022 text (ISO 2022 IR 13 / IR 87 / IR 159, PS3.5 Annex H).
// DCMTK delegates these to iconv under the names ISO-IR-87 / ISO-IR-159, which glibc's iconv
// does not know, so Debian's DCMTK cannot convert them. We walk the escape sequences ourselves;
// the two-byte JIS X 0208 / 0212 runs go through glibc's ISO-2022-JP-2 converter, half-width
// katakana (JIS X 0201, G1) is mapped directly.
#include <optional>
#include <string>

namespace lb::core::internal {

bool isJapaneseIso2022(const std::string& specificCharacterSet);

// nullopt when the bytes cannot be decoded (the caller falls back).
std::optional<std::string> decodeJapaneseIso2022(const std::string& raw, const std::string& specificCharacterSet);

} // namespace lb::core::internal
