#include "core/internal/DatasetValues.h"

#include "core/internal/DatasetText.h"

#include <dcmtk/dcmdata/dcelem.h>

namespace lb::core::internal {

int unsignedShort(DcmItem& item, const DcmTagKey& tag, int fallback)
{
    DcmElement* element = boundedElement(item, tag, 2);
    if (element == nullptr) return fallback;
    if (element->getVR() == EVR_UN) {
        Uint8* bytes = nullptr;
        if (element->getLengthField() != 2 || element->getUint8Array(bytes).bad() || bytes == nullptr) return fallback;
        return bytes[0] | (bytes[1] << 8);
    }
    Uint16 value = 0;
    return element->getUint16(value).good() ? value : fallback;
}

DcmItem* sequenceItem(DcmItem* item, const DcmTagKey& sequenceTag, unsigned long index)
{
    if (item == nullptr) return nullptr;
    DcmItem* found = nullptr;
    if (item->findAndGetSequenceItem(sequenceTag, found, static_cast<signed long>(index)).bad()) return nullptr;
    return found;
}

} // namespace lb::core::internal
