#pragma once
// Reads text attributes out of a DCMTK dataset as UTF-8, following the dataset's
// SpecificCharacterSet. Private to lb_core (DCMTK types never leave the library).
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcspchrs.h>

#include <optional>
#include <string>

namespace lb::core::internal {

// Longest value we load for a text attribute. Real header texts are far shorter; a longer
// declared length is either a report body (not needed here) or hostile.
constexpr Uint32 kMaxTextValueBytes = 64 * 1024;

// The element `tag` of `item` when its declared value length is at most `maxBytes`, else nullptr.
// Every value we read goes through here first: a hostile length must never reach DCMTK's
// loadValue(), which would allocate whatever the file claims.
DcmElement* boundedElement(DcmItem& item, const DcmTagKey& tag, Uint32 maxBytes = kMaxTextValueBytes);

class DatasetText {
public:
    // `charsetItem` is where SpecificCharacterSet is looked up (the dataset).
    explicit DatasetText(DcmItem& charsetItem);

    // All values of `tag` in `item`, '\\'-separated, UTF-8, trailing padding removed.
    // Empty when absent, empty or too long.
    std::string get(DcmItem& item, const DcmTagKey& tag);
    std::string get(const DcmTagKey& tag) { return get(m_item, tag); }

    // Converts raw bytes of an element with VR `vr` (delimiters depend on it) to UTF-8.
    std::string toUtf8(const std::string& raw, DcmEVR vr);

    const std::string& characterSet() const { return m_characterSet; }
    // Set when the character set is unknown to the converter; text then falls back to ISO 8859-1.
    const std::optional<std::string>& conversionProblem() const { return m_problem; }

private:
    DcmItem& m_item;
    std::string m_characterSet;
    bool m_needsConversion = false;
    bool m_converterReady = false;
    DcmSpecificCharacterSet m_converter;
    std::optional<std::string> m_problem;
};

} // namespace lb::core::internal
