#pragma once
// Small typed readers over a DCMTK item shared by the header and frame readers. Lengths are
// checked before anything is loaded (see boundedElement).
#include <dcmtk/dcmdata/dcitem.h>

#include <optional>
#include <string>

namespace lb::core::internal {

// A US attribute such as Rows, also when a writer stored it as UN (two little endian bytes);
// `fallback` when absent or malformed.
int unsignedShort(DcmItem& item, const DcmTagKey& tag, int fallback = 0);

// The tag of a private element by its creator, in whichever block the writer reserved for
// that creator: (group, block << 8 | element) where (group, block) holds `creator`.
std::optional<DcmTagKey> privateTag(DcmItem& item, Uint16 group, const std::string& creator, Uint8 element);

// Item `index` of sequence `sequenceTag` inside `item` (which may be null), or null.
DcmItem* sequenceItem(DcmItem* item, const DcmTagKey& sequenceTag, unsigned long index = 0);

} // namespace lb::core::internal
