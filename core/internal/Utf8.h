#pragma once
// Small UTF-8 helpers shared by the text code of lb_core.
#include <string>

namespace lb::core::internal {

void appendUtf8(std::string& out, char32_t codePoint);
bool isValidUtf8(const std::string& text);
// Bytes as ISO 8859-1 -> UTF-8 (the fallback pydicom also uses); ASCII passes unchanged.
std::string latin1ToUtf8(const std::string& raw);

} // namespace lb::core::internal
