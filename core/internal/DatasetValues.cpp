#include "core/internal/DatasetValues.h"

#include "core/internal/DatasetText.h"

#include <dcmtk/dcmdata/dcelem.h>

namespace lb::core::internal {

int unsignedShort(DcmItem& item, const DcmTagKey& tag, int fallback)
{
    DcmElement* element = boundedElement(item, tag, 2);
    if (element == nullptr) return fallback;
    // UN, or no VR at all: an implicit VR file with an element the dictionary does not know
    // (a private one such as Siemens' NumberOfImagesInMosaic) or OB written by a converter.
    const DcmEVR vr = element->getVR();
    if (vr == EVR_UN || vr == EVR_UNKNOWN || vr == EVR_UNKNOWN2B || vr == EVR_OB) {
        Uint8* bytes = nullptr;
        if (element->getLengthField() != 2 || element->getUint8Array(bytes).bad() || bytes == nullptr) return fallback;
        return bytes[0] | (bytes[1] << 8);
    }
    Uint16 value = 0;
    return element->getUint16(value).good() ? value : fallback;
}

std::optional<DcmTagKey> privateTag(DcmItem& item, Uint16 group, const std::string& creator, Uint8 element)
{
    DatasetText text(item);
    for (Uint16 block = 0x10; block <= 0xFF; ++block) {
        const DcmTagKey creatorTag(group, block);
        if (!item.tagExists(creatorTag)) continue;
        std::string value = text.get(item, creatorTag);
        while (!value.empty() && value.back() == ' ') value.pop_back();
        if (value == creator) return DcmTagKey(group, static_cast<Uint16>((block << 8) | element));
    }
    return std::nullopt;
}

DcmItem* sequenceItem(DcmItem* item, const DcmTagKey& sequenceTag, unsigned long index)
{
    if (item == nullptr) return nullptr;
    DcmItem* found = nullptr;
    if (item->findAndGetSequenceItem(sequenceTag, found, static_cast<signed long>(index)).bad()) return nullptr;
    return found;
}

} // namespace lb::core::internal
