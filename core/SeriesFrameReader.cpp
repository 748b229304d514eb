#include "core/SeriesFrameReader.h"

#include "core/DicomHeaderReader.h"
#include "core/PixelDecoder.h"
#include "core/internal/BoundedLoad.h"
#include "core/internal/DatasetText.h"
#include "core/internal/DatasetValues.h"
#include "core/internal/SiemensCsa.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcmetinf.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <cmath>
#include <fstream>
#include <cstdlib>

namespace lb::core {

namespace {

constexpr Uint32 kMaxLoadedValueBytes = 4096;
constexpr int kMaxFrames = 100000; // more frames than any real object: refuse, do not allocate

std::vector<double> numbers(internal::DatasetText& text, DcmItem& item, const DcmTagKey& tag)
{
    std::vector<double> out;
    const std::string value = text.get(item, tag);
    const char* cursor = value.c_str();
    while (*cursor) {
        char* end = nullptr;
        const double v = std::strtod(cursor, &end);
        if (end == cursor) break;
        if (std::isfinite(v)) out.push_back(v);
        cursor = end;
        while (*cursor == ' ' || *cursor == '\\') ++cursor;
    }
    return out;
}

std::optional<int> integer(internal::DatasetText& text, DcmItem& item, const DcmTagKey& tag)
{
    const auto values = numbers(text, item, tag);
    if (values.empty()) return std::nullopt;
    return static_cast<int>(values[0]);
}

// Applies the functional groups of one frame (shared first, then per-frame on top).
void applyFunctionalGroup(DcmItem* group, internal::DatasetText& text, SeriesFrame& frame)
{
    if (group == nullptr) return;
    if (DcmItem* plane = internal::sequenceItem(group, DCM_PlanePositionSequence)) {
        const auto v = numbers(text, *plane, DCM_ImagePositionPatient);
        if (v.size() >= 3) frame.position = std::array<double, 3>{v[0], v[1], v[2]};
    }
    if (DcmItem* orientation = internal::sequenceItem(group, DCM_PlaneOrientationSequence)) {
        const auto v = numbers(text, *orientation, DCM_ImageOrientationPatient);
        if (v.size() >= 6) frame.orientation = std::array<double, 6>{v[0], v[1], v[2], v[3], v[4], v[5]};
    }
    if (DcmItem* measures = internal::sequenceItem(group, DCM_PixelMeasuresSequence)) {
        const auto spacing = numbers(text, *measures, DCM_PixelSpacing);
        if (spacing.size() >= 2 && spacing[0] > 0 && spacing[1] > 0) {
            frame.pixelSpacing = {spacing[0], spacing[1]};
            frame.pixelSpacingSource = "patient";
        }
        const auto thickness = numbers(text, *measures, DCM_SliceThickness);
        if (!thickness.empty()) frame.sliceThickness = thickness[0];
    }
    if (DcmItem* transform = internal::sequenceItem(group, DCM_PixelValueTransformationSequence)) {
        const auto slope = numbers(text, *transform, DCM_RescaleSlope);
        const auto intercept = numbers(text, *transform, DCM_RescaleIntercept);
        if (!slope.empty() && slope[0] != 0) frame.rescaleSlope = slope[0];
        if (!intercept.empty()) frame.rescaleIntercept = intercept[0];
    }
    if (DcmItem* voi = internal::sequenceItem(group, DCM_FrameVOILUTSequence)) {
        const auto center = numbers(text, *voi, DCM_WindowCenter);
        const auto width = numbers(text, *voi, DCM_WindowWidth);
        if (!center.empty() && !width.empty() && width[0] >= 1) frame.window = std::array<double, 2>{center[0], width[0]};
        if (const std::string function = text.get(*voi, DCM_VOILUTFunction); !function.empty()) frame.voiFunction = function;
    }
    if (DcmItem* content = internal::sequenceItem(group, DCM_FrameContentSequence)) {
        if (auto index = integer(text, *content, DCM_TemporalPositionIndex)) frame.temporalIndex = index;
    }
}

bool hasValue(const std::string& multiValued, const std::string& wanted)
{
    size_t start = 0;
    for (;;) {
        const size_t end = multiValued.find('\\', start);
        if (multiValued.substr(start, end == std::string::npos ? std::string::npos : end - start) == wanted) return true;
        if (end == std::string::npos) return false;
        start = end + 1;
    }
}

// PALETTE COLOR: three descriptors (entries, first mapped value, bits) and three OW tables.
std::shared_ptr<const PaletteLut> readPalette(DcmItem& dataset)
{
    auto lut = std::make_shared<PaletteLut>();
    const DcmTagKey descriptors[3] = {DCM_RedPaletteColorLookupTableDescriptor, DCM_GreenPaletteColorLookupTableDescriptor,
                                      DCM_BluePaletteColorLookupTableDescriptor};
    const DcmTagKey tables[3] = {DCM_RedPaletteColorLookupTableData, DCM_GreenPaletteColorLookupTableData,
                                 DCM_BluePaletteColorLookupTableData};
    for (int c = 0; c < 3; ++c) {
        DcmElement* descriptor = internal::boundedElement(dataset, descriptors[c], 6);
        Uint16 values[3] = {0, 0, 0};
        for (unsigned long v = 0; v < 3; ++v)
            if (descriptor == nullptr || descriptor->getUint16(values[v], v).bad()) return nullptr;
        const size_t count = values[0] == 0 ? 65536 : values[0];
        lut->firstMapped = values[1];
        lut->bits = values[2] <= 8 ? 8 : 16;
        DcmElement* table = internal::boundedElement(dataset, tables[c], 65536 * 2);
        Uint16* data = nullptr;
        if (table == nullptr || table->getUint16Array(data).bad() || data == nullptr) return nullptr;
        const size_t available = table->getLengthField() / 2;
        if (lut->bits == 8 && available * 2 >= count && available < count) {
            // 8-bit entries packed two per 16-bit word (little end first)
            for (size_t i = 0; i < count; ++i) lut->entries[c].push_back(static_cast<uint16_t>((data[i / 2] >> ((i % 2) * 8)) & 0xFF));
        } else {
            if (available < count) return nullptr;
            lut->entries[c].assign(data, data + count);
        }
    }
    return lut;
}

// The first LUT of the VOI LUT Sequence, or null when absent or not usable (a broken table is
// left out: the window, or an automatic one, is shown instead).
std::shared_ptr<const VoiLutTable> readVoiLut(DcmItem& dataset, internal::DatasetText& text, bool signedInput)
{
    DcmItem* item = internal::sequenceItem(&dataset, DCM_VOILUTSequence);
    if (item == nullptr) return nullptr;
    DcmElement* descriptor = internal::boundedElement(*item, DCM_LUTDescriptor, 6);
    Uint16 values[3] = {0, 0, 0};
    for (unsigned long v = 0; v < 3; ++v) {
        if (descriptor == nullptr) return nullptr;
        Sint16 asSigned = 0; // written as SS by some: the same 16 bits
        if (descriptor->getUint16(values[v], v).bad()) {
            if (descriptor->getSint16(asSigned, v).bad()) return nullptr;
            values[v] = static_cast<Uint16>(asSigned);
        }
    }
    auto lut = std::make_shared<VoiLutTable>();
    const size_t count = values[0] == 0 ? 65536 : values[0];
    // The first mapped value is US or SS as the input is (PS3.3 C.11.2.1.1).
    lut->firstMapped = signedInput ? static_cast<int16_t>(values[1]) : values[1];
    lut->bits = values[2];
    if (lut->bits < 8 || lut->bits > 16) return nullptr;
    DcmElement* table = internal::boundedElement(*item, DCM_LUTData, 65536 * 2);
    Uint16* data = nullptr;
    if (table == nullptr || table->getUint16Array(data).bad() || data == nullptr) return nullptr;
    const size_t available = table->getLengthField() / 2;
    if (lut->bits == 8 && available < count && available * 2 >= count) {
        // 8-bit entries packed two per 16-bit word (little end first)
        for (size_t i = 0; i < count; ++i) lut->entries.push_back(static_cast<uint16_t>((data[i / 2] >> ((i % 2) * 8)) & 0xFF));
    } else {
        if (available < count) return nullptr;
        lut->entries.assign(data, data + count);
    }
    lut->explanation = text.get(*item, DCM_LUTExplanation);
    return lut;
}

// Siemens mosaic: the tile count sits in private element 0A of the block reserved for
// "SIEMENS MR HEADER" (whichever block that is, and whatever VR the file gives it: none in
// implicit VR); the order of the tiles along the normal comes from the CSA image header.
void readMosaicInfo(DcmItem& dataset, internal::DatasetText& text, SeriesFrame& frame)
{
    if (auto images = internal::privateTag(dataset, 0x0019, "SIEMENS MR HEADER", 0x0A)) {
        frame.mosaicImages = internal::unsignedShort(dataset, *images, 0);
        if (frame.mosaicImages == 0) { // written as text (IS) by some converters
            const auto asText = numbers(text, dataset, *images);
            if (!asText.empty() && asText[0] > 0 && asText[0] < 10000) frame.mosaicImages = static_cast<int>(asText[0]);
        }
    }
    if (auto csaTag = internal::privateTag(dataset, 0x0029, "SIEMENS CSA HEADER", 0x10)) {
        if (DcmElement* csa = internal::boundedElement(dataset, *csaTag, 1u << 20)) {
            Uint8* bytes = nullptr;
            if (csa->getUint8Array(bytes).good() && bytes) {
                const auto items = internal::csaItems(bytes, csa->getLengthField(), "SliceNormalVector");
                if (items.size() == 3)
                    frame.csaSliceNormal = std::array<double, 3>{std::atof(items[0].c_str()), std::atof(items[1].c_str()),
                                                                 std::atof(items[2].c_str())};
            }
        }
    }
}

// UIH grid: Manufacturer UIH and a tile count in (0065,xx50) of "Image Private Header"; the
// tiles' positions are the ImagePositionPatient of the items of (0065,xx51).
void readUihGrid(DcmItem& dataset, internal::DatasetText& text, SeriesFrame& frame)
{
    const std::string manufacturer = text.get(dataset, DCM_Manufacturer);
    if (manufacturer.rfind("UIH", 0) != 0 && manufacturer.rfind("United Imaging", 0) != 0) return;
    const auto countTag = internal::privateTag(dataset, 0x0065, "Image Private Header", 0x50);
    if (!countTag) return;
    const auto count = numbers(text, dataset, *countTag);
    if (count.empty() || count[0] < 2 || count[0] > 10000) return;
    frame.mosaic = true;
    frame.uihGrid = true;
    frame.mosaicImages = static_cast<int>(count[0]);
    if (const auto framesTag = internal::privateTag(dataset, 0x0065, "Image Private Header", 0x51)) {
        for (unsigned long i = 0; i < static_cast<unsigned long>(frame.mosaicImages); ++i) {
            DcmItem* item = internal::sequenceItem(&dataset, *framesTag, i);
            const auto position = item ? numbers(text, *item, DCM_ImagePositionPatient) : std::vector<double>{};
            if (position.size() < 3) {
                frame.tilePositions.clear();
                break;
            }
            frame.tilePositions.push_back({position[0], position[1], position[2]});
        }
    }
}

bool hasDicomMagic(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    char magic[4] = {};
    in.seekg(128);
    return in.read(magic, 4) && std::string(magic, 4) == "DICM";
}

} // namespace

// Whether (and how) the pixels were compressed with loss: LossyImageCompression "01" (PS3.3
// C.7.6.1.1.5) says so for any transfer syntax; JPEG baseline/extended, JPEG-LS near-lossless
// and the video syntaxes are lossy whatever the attribute says.
std::string lossyCompression(internal::DatasetText& text, const std::string& transferSyntax)
{
    static const std::pair<const char*, const char*> alwaysLossy[] = {
        {"1.2.840.10008.1.2.4.50", "JPEG baseline"}, {"1.2.840.10008.1.2.4.51", "JPEG extended"},
        {"1.2.840.10008.1.2.4.81", "JPEG-LS near-lossless"}, {"1.2.840.10008.1.2.4.100", "MPEG2"},
        {"1.2.840.10008.1.2.4.101", "MPEG2"}, {"1.2.840.10008.1.2.4.102", "MPEG-4"}, {"1.2.840.10008.1.2.4.103", "MPEG-4"},
        {"1.2.840.10008.1.2.4.104", "MPEG-4"}, {"1.2.840.10008.1.2.4.105", "MPEG-4"}, {"1.2.840.10008.1.2.4.106", "MPEG-4"},
        {"1.2.840.10008.1.2.4.107", "HEVC"}, {"1.2.840.10008.1.2.4.108", "HEVC"}};
    std::string method;
    for (const auto& [uid, name] : alwaysLossy)
        if (transferSyntax == uid) method = name;
    const bool said = text.get(DCM_LossyImageCompression) == "01";
    if (method.empty() && !said) return {};
    if (method.empty()) {
        const std::string named = text.get(DCM_LossyImageCompressionMethod);
        method = named == "ISO_10918_1" ? "JPEG" : named == "ISO_15444_1" ? "JPEG 2000" : named == "ISO_14495_1" ? "JPEG-LS"
               : named.empty() ? "method not stated" : named;
    }
    std::string ratio = text.get(DCM_LossyImageCompressionRatio);
    if (const size_t split = ratio.find('\\'); split != std::string::npos) ratio = ratio.substr(0, split);
    return ratio.empty() ? method : method + ", ratio " + ratio + ":1";
}

Result<std::vector<SeriesFrame>> readSeriesFrames(const std::filesystem::path& file)
{
    quietDcmtkLogging();
    DcmFileFormat fileFormat;
    const internal::BoundedLoad loaded = internal::loadBounded(fileFormat, file, kMaxLoadedValueBytes);
    if (!loaded.refused.empty()) return makeError(ErrorCode::Malformed, file.string(), loaded.refused);
    DcmDataset& dataset = *fileFormat.getDataset();
    if (loaded.condition.bad() && !dataset.tagExists(DCM_SOPInstanceUID)) {
        // A DICOM file (preamble + "DICM") cut short is damaged, not "not DICOM": it counts as unreadable.
        if (loaded.condition == EC_StreamNotifyClient && hasDicomMagic(file))
            return makeError(ErrorCode::Malformed, file.string(), "truncated: the file ends inside its header");
        return makeError(ErrorCode::NotDicom, file.string(),
                         loaded.condition == EC_StreamNotifyClient ? std::string("not a DICOM file")
                                                                   : std::string("unreadable: ") + loaded.condition.text());
    }
    if (!dataset.tagExists(DCM_PixelData)) {
        if (loaded.condition == EC_StreamNotifyClient)
            return makeError(ErrorCode::Malformed, file.string(), "truncated: the file ends before its pixel data");
        return makeError(ErrorCode::Unsupported, file.string(), "no pixel data (not an image)");
    }

    internal::DatasetText text(dataset);
    internal::DatasetText metaText(*fileFormat.getMetaInfo());
    SeriesFrame base;
    base.file = file;
    base.seriesUid = text.get(DCM_SeriesInstanceUID);
    base.sopInstanceUid = text.get(DCM_SOPInstanceUID);
    base.rows = internal::unsignedShort(dataset, DCM_Rows, 0);
    base.columns = internal::unsignedShort(dataset, DCM_Columns, 0);
    base.samplesPerPixel = internal::unsignedShort(dataset, DCM_SamplesPerPixel, 1);
    base.photometricInterpretation = text.get(DCM_PhotometricInterpretation);
    base.planarConfiguration = internal::unsignedShort(dataset, DCM_PlanarConfiguration, 0);
    base.bitsAllocated = internal::unsignedShort(dataset, DCM_BitsAllocated, 16);
    base.bitsStored = internal::unsignedShort(dataset, DCM_BitsStored, base.bitsAllocated);
    base.highBit = internal::unsignedShort(dataset, DCM_HighBit, base.bitsStored - 1);
    base.signedPixels = internal::unsignedShort(dataset, DCM_PixelRepresentation, 0) == 1;
    base.transferSyntaxUid = metaText.get(DCM_TransferSyntaxUID);
    if (base.transferSyntaxUid.empty()) base.transferSyntaxUid = DcmXfer(dataset.getOriginalXfer()).getXferID();
    if (base.samplesPerPixel != 1 && base.samplesPerPixel != 3)
        return makeError(ErrorCode::Unsupported, file.string(), "SamplesPerPixel " + std::to_string(base.samplesPerPixel));
    if (base.rows <= 0 || base.columns <= 0)
        return makeError(ErrorCode::Malformed, file.string(), "image without Rows/Columns");
    if (base.bitsAllocated != 1 && base.bitsAllocated != 8 && base.bitsAllocated != 16 && base.bitsAllocated != 32)
        return makeError(ErrorCode::Unsupported, file.string(), "BitsAllocated " + std::to_string(base.bitsAllocated));
    if (base.bitsStored < 1 || base.bitsStored > base.bitsAllocated) base.bitsStored = base.bitsAllocated;
    if (base.highBit < base.bitsStored - 1 || base.highBit >= base.bitsAllocated) base.highBit = base.bitsStored - 1;

    const auto position = numbers(text, dataset, DCM_ImagePositionPatient);
    if (position.size() >= 3) base.position = std::array<double, 3>{position[0], position[1], position[2]};
    const auto orientation = numbers(text, dataset, DCM_ImageOrientationPatient);
    if (orientation.size() >= 6)
        base.orientation = std::array<double, 6>{orientation[0], orientation[1], orientation[2],
                                                 orientation[3], orientation[4], orientation[5]};
    const auto spacing = numbers(text, dataset, DCM_PixelSpacing);
    const auto imagerSpacing = numbers(text, dataset, DCM_ImagerPixelSpacing);
    if (spacing.size() >= 2 && spacing[0] > 0 && spacing[1] > 0) {
        base.pixelSpacing = {spacing[0], spacing[1]};
        base.pixelSpacingSource = "patient";
    } else if (imagerSpacing.size() >= 2 && imagerSpacing[0] > 0 && imagerSpacing[1] > 0) {
        base.pixelSpacing = {imagerSpacing[0], imagerSpacing[1]};
        base.pixelSpacingSource = "detector";
    }
    if (const std::string orientationLetters = text.get(DCM_PatientOrientation); !orientationLetters.empty()) {
        const size_t split = orientationLetters.find('\\');
        if (split != std::string::npos) base.patientOrientation = {orientationLetters.substr(0, split), orientationLetters.substr(split + 1)};
    }
    base.lossy = lossyCompression(text, base.transferSyntaxUid);
    base.voiFunction = text.get(DCM_VOILUTFunction);
    base.frameOfReferenceUid = text.get(DCM_FrameOfReferenceUID);
    base.modality = text.get(DCM_Modality);
    const auto thickness = numbers(text, dataset, DCM_SliceThickness);
    if (!thickness.empty()) base.sliceThickness = thickness[0];
    const auto slope = numbers(text, dataset, DCM_RescaleSlope);
    const auto intercept = numbers(text, dataset, DCM_RescaleIntercept);
    if (!slope.empty() && slope[0] != 0) base.rescaleSlope = slope[0];
    if (!intercept.empty()) base.rescaleIntercept = intercept[0];
    base.voiLut = readVoiLut(dataset, text, base.signedPixels || base.rescaleIntercept < 0);
    const auto windowCenter = numbers(text, dataset, DCM_WindowCenter);
    const auto windowWidth = numbers(text, dataset, DCM_WindowWidth);
    if (!windowCenter.empty() && !windowWidth.empty() && windowWidth[0] >= 1)
        base.window = std::array<double, 2>{windowCenter[0], windowWidth[0]};
    base.temporalIndex = integer(text, dataset, DCM_TemporalPositionIdentifier);
    base.instanceNumber = integer(text, dataset, DCM_InstanceNumber);
    base.echoNumber = integer(text, dataset, DCM_EchoNumbers);
    const std::string imageType = text.get(DCM_ImageType);
    base.localizer = hasValue(imageType, "LOCALIZER");
    base.mosaic = hasValue(imageType, "MOSAIC");

    // SpacingBetweenSlices places the tiles of a mosaic or grid (Siemens, UIH) along the normal.
    if (const auto between = numbers(text, dataset, DCM_SpacingBetweenSlices); !between.empty() && between[0] > 0)
        base.spacingBetweenSlices = between[0];
    if (base.mosaic) readMosaicInfo(dataset, text, base);
    else readUihGrid(dataset, text, base);
    if (base.photometricInterpretation == "PALETTE COLOR" && base.samplesPerPixel == 1) base.palette = readPalette(dataset);

    const int frames = std::max(1, integer(text, dataset, DCM_NumberOfFrames).value_or(1));
    if (frames > kMaxFrames) return makeError(ErrorCode::Malformed, file.string(), "NumberOfFrames " + std::to_string(frames));
    // Uncompressed pixels cannot be bigger than the file: refuse before anyone allocates for them.
    if (!loaded.deflated && DcmXfer(base.transferSyntaxUid.c_str()).isNotEncapsulated()) {
        const uint64_t needed = (nativeFrameBytes(base) * static_cast<uint64_t>(frames) + 7) / 8;
        std::error_code ec;
        const uint64_t size = std::filesystem::file_size(file, ec);
        if (!ec && needed > size)
            return makeError(ErrorCode::Malformed, file.string(),
                             "pixel data truncated: " + std::to_string(base.rows) + " x " + std::to_string(base.columns) + " x "
                                 + std::to_string(frames) + " frames need " + std::to_string(needed) + " bytes, the file has "
                                 + std::to_string(size));
    }
    std::vector<SeriesFrame> out;
    out.reserve(static_cast<size_t>(frames));
    DcmItem* shared = internal::sequenceItem(&dataset, DCM_SharedFunctionalGroupsSequence);
    for (int f = 0; f < frames; ++f) {
        SeriesFrame frame = base;
        frame.frameIndex = f;
        applyFunctionalGroup(shared, text, frame);
        applyFunctionalGroup(internal::sequenceItem(&dataset, DCM_PerFrameFunctionalGroupsSequence, static_cast<unsigned long>(f)), text, frame);
        out.push_back(std::move(frame));
    }
    return out;
}

} // namespace lb::core
