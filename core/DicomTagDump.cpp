#include "core/DicomTagDump.h"

#include "core/DicomHeaderReader.h"
#include "core/internal/BoundedLoad.h"
#include "core/internal/DatasetText.h"

#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcsequen.h>

namespace lb::core {

namespace {

constexpr Uint32 kMaxShownValueBytes = 1024;
constexpr int kMaxNestingDepth = 32; // hostile files can nest sequences deeply

bool isBulkVr(DcmEVR vr)
{
    switch (vr) {
    case EVR_OB: case EVR_OW: case EVR_OF: case EVR_OD: case EVR_OL: case EVR_OV: case EVR_UN:
    case EVR_pixelSQ: case EVR_pixelItem: case EVR_ox: case EVR_px:
        return true;
    default:
        return false;
    }
}

std::vector<TagEntry> dumpItem(DcmItem& item, internal::DatasetText& text, int depth)
{
    std::vector<TagEntry> entries;
    for (unsigned long i = 0; i < item.card(); ++i) {
        DcmElement* element = item.getElement(i);
        if (element == nullptr) continue;
        DcmTag tag = element->getTag();
        TagEntry entry;
        entry.group = tag.getGTag();
        entry.element = tag.getETag();
        entry.keyword = tag.getTagName();
        if (entry.keyword == DcmTag_ERROR_TagName) entry.keyword.clear();
        entry.vr = DcmVR(element->getVR()).getVRName();
        entry.length = element->getLengthField();
        const DcmEVR vr = element->getVR();
        if (vr == EVR_SQ) {
            auto* sequence = static_cast<DcmSequenceOfItems*>(element);
            if (depth < kMaxNestingDepth)
                for (unsigned long k = 0; k < sequence->card(); ++k)
                    entry.items.push_back(dumpItem(*sequence->getItem(k), text, depth + 1));
        } else if (isBulkVr(vr) || element->getLengthField() > kMaxShownValueBytes) {
            entry.value = "(" + std::to_string(element->getLengthField()) + " bytes)";
        } else {
            OFString value;
            if (element->getOFStringArray(value).good())
                entry.value = text.toUtf8(std::string(value.c_str(), value.length()), vr);
        }
        entries.push_back(std::move(entry));
    }
    return entries;
}

} // namespace

Result<std::vector<TagEntry>> dumpDicomTags(const std::filesystem::path& file)
{
    // The header reader validates the file (and explains why when it is not DICOM).
    auto header = readDicomHeader(file);
    if (!header) return header.error();

    DcmFileFormat fileFormat;
    // What could be read is shown; the header reader already reported damage.
    const internal::BoundedLoad loaded = internal::loadBounded(fileFormat, file, kMaxShownValueBytes);
    internal::DatasetText metaText(*fileFormat.getMetaInfo());
    internal::DatasetText text(*fileFormat.getDataset());
    std::vector<TagEntry> all = dumpItem(*fileFormat.getMetaInfo(), metaText, 0);
    std::vector<TagEntry> dataset = dumpItem(*fileFormat.getDataset(), text, 0);
    all.insert(all.end(), std::make_move_iterator(dataset.begin()), std::make_move_iterator(dataset.end()));
    return all;
}

} // namespace lb::core
