#include "core/internal/DatasetText.h"

#include "core/internal/Iso2022Japanese.h"
#include "core/internal/Utf8.h"

#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dctag.h>

namespace lb::core::internal {

namespace {

bool isTextVr(DcmEVR vr)
{
    switch (vr) {
    case EVR_PN: case EVR_LO: case EVR_SH: case EVR_ST: case EVR_LT: case EVR_UT: case EVR_UC:
        return true;
    default:
        return false;
    }
}

const char* delimitersFor(DcmEVR vr)
{
    // PN components and groups may switch character sets under ISO 2022 code extensions,
    // so the converter must reset at '^' and '='; multi-valued texts reset at '\'.
    if (vr == EVR_PN) return "\\^=";
    if (vr == EVR_LO || vr == EVR_SH || vr == EVR_UC) return "\\";
    return "";
}

std::string trimRight(std::string s)
{
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
    return s;
}

// Trailing empty components and groups carry no meaning (PS3.5 6.2): "Wang^XiaoDong=王^小東="
// and "Wang^XiaoDong=王^小東" are the same name. Keep one spelling so names compare equal.
std::string withoutTrailingEmptyNameParts(const std::string& value, DcmEVR vr)
{
    if (vr != EVR_PN) return value;
    std::string out;
    size_t start = 0;
    for (;;) {
        const size_t end = value.find('\\', start);
        std::string one = value.substr(start, end == std::string::npos ? std::string::npos : end - start);
        while (!one.empty() && (one.back() == '=' || one.back() == '^' || one.back() == ' ')) one.pop_back();
        out += one;
        if (end == std::string::npos) return out;
        out += '\\';
        start = end + 1;
    }
}

} // namespace

DcmElement* boundedElement(DcmItem& item, const DcmTagKey& tag, Uint32 maxBytes)
{
    DcmElement* element = nullptr;
    if (item.findAndGetElement(tag, element, OFFalse).bad() || element == nullptr) return nullptr;
    return element->getLengthField() <= maxBytes ? element : nullptr;
}

DatasetText::DatasetText(DcmItem& charsetItem) : m_item(charsetItem)
{
    OFString charset;
    if (DcmElement* element = boundedElement(charsetItem, DCM_SpecificCharacterSet, 1024))
        if (element->getOFStringArray(charset).good()) m_characterSet = charset.c_str();
    // ASCII (default repertoire) and UTF-8 need no conversion.
    std::string trimmed = trimRight(m_characterSet);
    m_needsConversion = !(trimmed.empty() || trimmed == "ISO_IR 6" || trimmed == "ISO_IR 192");
}

std::string DatasetText::toUtf8(const std::string& raw, DcmEVR vr)
{
    if (raw.empty()) return raw;
    if (m_needsConversion && isTextVr(vr) && isJapaneseIso2022(m_characterSet)) {
        if (auto decoded = decodeJapaneseIso2022(raw, m_characterSet)) return *decoded;
        m_problem = "text not valid in SpecificCharacterSet '" + m_characterSet + "'";
    } else if (m_needsConversion && isTextVr(vr)) {
        if (!m_converterReady && !m_problem) {
            OFCondition cond = m_converter.selectCharacterSet(m_characterSet.c_str());
            if (cond.good()) m_converterReady = true;
            else m_problem = "unknown SpecificCharacterSet '" + m_characterSet + "': " + cond.text();
        }
        if (m_converterReady) {
            OFString converted;
            if (m_converter.convertString(OFString(raw.data(), raw.size()), converted, delimitersFor(vr)).good())
                return std::string(converted.c_str(), converted.length());
            m_problem = "text not valid in SpecificCharacterSet '" + m_characterSet + "'";
        }
    }
    if (isValidUtf8(raw)) return raw;
    return latin1ToUtf8(raw);
}

std::string DatasetText::get(DcmItem& item, const DcmTagKey& tag)
{
    DcmElement* element = boundedElement(item, tag);
    if (element == nullptr) return {};
    if (element->getVR() == EVR_UN) {
        // Some writers (e.g. gdcmconv) store standard attributes as UN: read the bytes as the
        // dictionary's VR would, as pydicom does.
        Uint8* bytes = nullptr;
        if (element->getUint8Array(bytes).bad() || bytes == nullptr) return {};
        std::string raw(reinterpret_cast<const char*>(bytes), element->getLengthField());
        const DcmEVR vr = DcmTag(tag).getEVR();
        return withoutTrailingEmptyNameParts(trimRight(toUtf8(trimRight(raw), vr)), vr);
    }
    OFString value;
    if (element->getOFStringArray(value).bad()) return {};
    return withoutTrailingEmptyNameParts(trimRight(toUtf8(std::string(value.c_str(), value.length()), element->getVR())),
                                         element->getVR());
}

} // namespace lb::core::internal
