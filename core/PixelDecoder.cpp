#include "core/PixelDecoder.h"

#include "core/DicomHeaderReader.h"
#include "core/internal/BoundedLoad.h"
#include "core/internal/CodestreamCheck.h"
#include "core/internal/RleDecoder.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcfcache.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <gdcmDataElement.h>
#include <gdcmFragment.h>
#include <gdcmJPEG2000Codec.h>
#include <gdcmJPEGLSCodec.h>
#include <gdcmSequenceOfFragments.h>

#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <memory>
#include <mutex>

namespace lb::core {

namespace {

bool isNativeSyntax(const std::string& uid)
{
    return uid.empty() || uid == "1.2.840.10008.1.2" || uid == "1.2.840.10008.1.2.1" || uid == "1.2.840.10008.1.2.2"
        || uid == "1.2.840.10008.1.2.1.99";
}

// The fast path for the common case: little endian native pixel data as the last element of
// the file. Its header (tag, VR, length) is checked right before the bytes we read, so a
// file laid out otherwise simply takes the DCMTK path. One pread into our buffer, no parse.
bool readTrailingPixelData(const SeriesFrame& frame, uint64_t expected, DecodedPixels& out)
{
    const bool explicitVr = frame.transferSyntaxUid == "1.2.840.10008.1.2.1";
    const bool implicitVr = frame.transferSyntaxUid == "1.2.840.10008.1.2" || frame.transferSyntaxUid.empty();
    if (!(explicitVr || implicitVr) || frame.bitsAllocated == 1) return false;
    const int fd = ::open(frame.file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat info {};
    bool done = false;
    if (::fstat(fd, &info) == 0) {
        const uint64_t size = static_cast<uint64_t>(info.st_size);
        for (uint64_t length : {expected, expected + 1}) {
            const uint64_t headerBytes = explicitVr ? 12 : 8;
            if (length + headerBytes > size) continue;
            const uint64_t offset = size - length;
            uint8_t header[12];
            if (::pread(fd, header, headerBytes, static_cast<off_t>(offset - headerBytes)) != static_cast<ssize_t>(headerBytes)) break;
            const uint8_t tag[4] = {0xE0, 0x7F, 0x10, 0x00};
            if (std::memcmp(header, tag, 4) != 0) continue;
            if (explicitVr && !(header[4] == 'O' && (header[5] == 'W' || header[5] == 'B') && header[6] == 0 && header[7] == 0)) continue;
            const uint8_t* lengthField = header + (explicitVr ? 8 : 4);
            const uint64_t declared = lengthField[0] | (lengthField[1] << 8) | (lengthField[2] << 16) | (static_cast<uint64_t>(lengthField[3]) << 24);
            if (declared != length) continue;
            out.bytes.resize(static_cast<size_t>(expected));
            done = ::pread(fd, out.bytes.data(), out.bytes.size(), static_cast<off_t>(offset)) == static_cast<ssize_t>(expected);
            break;
        }
    }
    ::close(fd);
    return done;
}

Result<DecodedPixels> decodeNative(const SeriesFrame& frame, int frameCount, uint64_t expected)
{

    DcmFileFormat fileFormat;
    // Pixel data stays on disk until asked for; DCMTK checks its length against the file.
    const internal::BoundedLoad loaded = internal::loadBounded(fileFormat, frame.file, 4096);
    if (loaded.condition == EC_StreamNotifyClient) // DCMTK's "I/O suspension or premature end of stream"
        return makeError(ErrorCode::Malformed, frame.file.string(), "pixel data truncated: the file ends before its pixel data does");
    if (loaded.condition.bad())
        return makeError(ErrorCode::Malformed, frame.file.string(), std::string("pixel data unreadable: ") + loaded.condition.text());
    DcmElement* pixels = nullptr;
    if (fileFormat.getDataset()->findAndGetElement(DCM_PixelData, pixels).bad() || pixels == nullptr)
        return makeError(ErrorCode::Malformed, frame.file.string(),
                         std::string("pixel data unreadable") + (loaded.condition.bad() ? std::string(": ") + loaded.condition.text() : ""));
    const Uint32 length = pixels->getLengthField();
    if (length == DCM_UndefinedLength)
        return makeError(ErrorCode::Malformed, frame.file.string(), "encapsulated pixel data in a native transfer syntax");
    if (length < expected)
        return makeError(ErrorCode::Malformed, frame.file.string(),
                         "pixel data truncated: " + std::to_string(length) + " of " + std::to_string(expected) + " bytes");
    std::error_code sizeError;
    if (!loaded.deflated && length > std::filesystem::file_size(frame.file, sizeError))
        return makeError(ErrorCode::Malformed, frame.file.string(),
                         "pixel data claims " + std::to_string(length) + " bytes, more than the file holds");
    DecodedPixels out;
    out.bitsAllocated = frame.bitsAllocated;
    out.bytes.resize(static_cast<size_t>(expected));
    OFCondition status;
    if (frame.bitsAllocated == 1) {
        // Segmentations: bits packed little end first, frames back to back (a frame may start
        // inside a byte). Unpacked to one byte per pixel.
        Uint8* data = nullptr;
        status = pixels->getUint8Array(data);
        const size_t pixelsTotal = static_cast<size_t>(frame.rows) * frame.columns * frame.samplesPerPixel * static_cast<size_t>(frameCount);
        if (status.good() && data) {
            std::vector<uint8_t> unpacked(pixelsTotal);
            for (size_t i = 0; i < pixelsTotal; ++i) unpacked[i] = (data[i / 8] >> (i % 8)) & 1;
            out.bytes = std::move(unpacked);
            out.bitsAllocated = 8;
        }
    } else if (frame.bitsAllocated == 8) {
        Uint8* data = nullptr;
        status = pixels->getUint8Array(data);
        if (status.good() && data) std::memcpy(out.bytes.data(), data, out.bytes.size());
    } else {
        // DCMTK hands OW data in the machine's byte order (big endian files are swapped).
        Uint16* data = nullptr;
        status = pixels->getUint16Array(data);
        if (status.good() && data) std::memcpy(out.bytes.data(), data, out.bytes.size());
        // 32-bit samples of a big endian file came back as swapped 16-bit words: swap the halves.
        if (status.good() && frame.bitsAllocated == 32 && frame.transferSyntaxUid == "1.2.840.10008.1.2.2")
            for (size_t at = 0; at + 4 <= out.bytes.size(); at += 4) {
                std::swap(out.bytes[at], out.bytes[at + 2]);
                std::swap(out.bytes[at + 1], out.bytes[at + 3]);
            }
    }
    if (status.bad()) return makeError(ErrorCode::Malformed, frame.file.string(), std::string("pixel data: ") + status.text());
    return out;
}

enum class Codec { Jpeg, JpegLs, Jpeg2000, Rle, None };

Codec codecFor(const std::string& uid)
{
    if (uid == "1.2.840.10008.1.2.4.50" || uid == "1.2.840.10008.1.2.4.51" || uid == "1.2.840.10008.1.2.4.57"
        || uid == "1.2.840.10008.1.2.4.70")
        return Codec::Jpeg;
    if (uid == "1.2.840.10008.1.2.4.80" || uid == "1.2.840.10008.1.2.4.81") return Codec::JpegLs;
    if (uid == "1.2.840.10008.1.2.4.90" || uid == "1.2.840.10008.1.2.4.91") return Codec::Jpeg2000;
    if (uid == "1.2.840.10008.1.2.5") return Codec::Rle;
    return Codec::None;
}

std::unique_ptr<gdcm::ImageCodec> makeCodec(Codec codec)
{
    switch (codec) {
    case Codec::Jpeg: break; // DCMTK's dcmjpeg, see decodeJpegFrames
    case Codec::JpegLs: return std::make_unique<gdcm::JPEGLSCodec>();
    case Codec::Jpeg2000: return std::make_unique<gdcm::JPEG2000Codec>();
    case Codec::Rle: break; // our own decoder, see internal/RleDecoder.h
    case Codec::None: break;
    }
    return nullptr;
}

struct Fragment {
    const Uint8* data;
    Uint32 length;
    Uint32 offset; // from the first fragment's item tag, as the Basic Offset Table counts
};

// Which fragments make each frame: one each, all for a single frame, or per the offset table.
Result<std::vector<std::vector<Fragment>>> framesOf(const std::vector<Fragment>& fragments, const std::vector<Uint32>& offsetTable,
                                                    int frameCount, const std::string& file)
{
    std::vector<std::vector<Fragment>> frames(static_cast<size_t>(frameCount));
    if (frameCount == 1) {
        frames[0] = fragments;
    } else if (fragments.size() == static_cast<size_t>(frameCount)) {
        for (size_t f = 0; f < fragments.size(); ++f) frames[f] = {fragments[f]};
    } else if (offsetTable.size() == static_cast<size_t>(frameCount)) {
        for (const auto& fragment : fragments) {
            size_t frame = 0;
            while (frame + 1 < offsetTable.size() && offsetTable[frame + 1] <= fragment.offset) ++frame;
            frames[frame].push_back(fragment);
        }
    } else {
        return makeError(ErrorCode::Malformed, file,
                         std::to_string(fragments.size()) + " fragments for " + std::to_string(frameCount)
                             + " frames and no usable offset table");
    }
    for (size_t f = 0; f < frames.size(); ++f)
        if (frames[f].empty()) return makeError(ErrorCode::Malformed, file, "frame " + std::to_string(f + 1) + " has no data");
    return frames;
}

// JPEG (baseline, extended, lossless) through DCMTK's dcmjpeg, frame by frame. GDCM's JPEG
// codecs assert (abort the process) on corrupt streams; DCMTK reports an error instead.
Status decodeJpegFrames(DcmDataset& dataset, DcmPixelData& pixelData, const SeriesFrame& frame, int frameCount,
                        size_t frameBytes, DecodedPixels& out)
{
    static std::once_flag registered;
    std::call_once(registered, [] { DJDecoderRegistration::registerCodecs(); });
    Uint32 startFragment = 0;
    DcmFileCache cache;
    // DCMTK wants an even buffer; an odd frame (3 x 3 RGB) is decoded into a padded one.
    std::vector<uint8_t> padded((frameBytes + 1) & ~static_cast<size_t>(1));
    for (int f = 0; f < frameCount; ++f) {
        OFString colourModel;
        const OFCondition status = pixelData.getUncompressedFrame(&dataset, static_cast<Uint32>(f), startFragment, padded.data(),
                                                                  static_cast<Uint32>(padded.size()), colourModel, &cache);
        if (status.good()) std::memcpy(out.bytes.data() + static_cast<size_t>(f) * frameBytes, padded.data(), frameBytes);
        if (status.bad())
            return makeError(ErrorCode::Malformed, frame.file.string(),
                             "corrupt JPEG data in frame " + std::to_string(f + 1) + ": " + status.text());
        if (!colourModel.empty()) out.colourModel = colourModel.c_str();
    }
    return {};
}

// Encapsulated pixel data: DCMTK parses the file and hands us the fragments (validated against
// the file size); GDCM's codecs decode each frame. We never let GDCM parse the file itself:
// Debian's GDCM aborts on assertions when a hostile header's attributes are malformed.
Result<DecodedPixels> decodeEncapsulated(const SeriesFrame& frame, int frameCount, uint64_t expected)
{
    const Codec codecKind = codecFor(frame.transferSyntaxUid);
    if (codecKind == Codec::None)
        return makeError(ErrorCode::Unsupported, frame.file.string(), "transfer syntax " + frame.transferSyntaxUid + " is not supported");
    DcmFileFormat fileFormat;
    const internal::BoundedLoad loaded = internal::loadBounded(fileFormat, frame.file, 4096);
    DcmElement* element = nullptr;
    if (fileFormat.getDataset()->findAndGetElement(DCM_PixelData, element).bad() || element == nullptr)
        return makeError(ErrorCode::Malformed, frame.file.string(), "no pixel data");
    if (element->ident() != EVR_PixelData) // e.g. stored as UN: DCMTK made it a plain element
        return makeError(ErrorCode::Malformed, frame.file.string(), "pixel data is not encapsulated as the transfer syntax says");
    auto* pixelData = static_cast<DcmPixelData*>(element);
    DcmPixelSequence* sequence = nullptr;
    const E_TransferSyntax xfer = DcmXfer(frame.transferSyntaxUid.c_str()).getXfer();
    if (pixelData->getEncapsulatedRepresentation(xfer, nullptr, sequence).bad() || sequence == nullptr) {
        // A dataset re-read with the other VR (BoundedLoad::vrMismatch) has its fragments filed
        // under that syntax: file them under the syntax they really are in.
        E_TransferSyntax original = EXS_Unknown;
        const DcmRepresentationParameter* parameter = nullptr;
        pixelData->getOriginalRepresentationKey(original, parameter);
        DcmPixelSequence* found = nullptr;
        if (!loaded.vrMismatch.empty() && original != xfer
            && pixelData->getEncapsulatedRepresentation(original, parameter, found).good() && found != nullptr) {
            pixelData->putOriginalRepresentation(xfer, nullptr, new DcmPixelSequence(*found));
            sequence = nullptr;
            (void)pixelData->getEncapsulatedRepresentation(xfer, nullptr, sequence);
        }
    }
    if (sequence == nullptr || sequence->card() < 2)
        return makeError(ErrorCode::Malformed, frame.file.string(), "encapsulated pixel data without fragments");

    std::error_code sizeError;
    const uint64_t fileSize = std::filesystem::file_size(frame.file, sizeError);
    std::vector<Uint32> offsetTable;
    std::vector<Fragment> fragments;
    Uint32 offset = 0;
    for (unsigned long i = 0; i < sequence->card(); ++i) {
        DcmPixelItem* item = nullptr;
        if (sequence->getItem(item, i).bad() || item == nullptr) break;
        Uint8* data = nullptr;
        const Uint32 length = item->getLengthField();
        if (length > fileSize) // a declared length DCMTK would allocate before finding the bytes missing
            return makeError(ErrorCode::Malformed, frame.file.string(),
                             "fragment " + std::to_string(i) + " claims " + std::to_string(length) + " bytes, more than the file");
        if (length > 0 && (item->getUint8Array(data).bad() || data == nullptr))
            return makeError(ErrorCode::Malformed, frame.file.string(), "unreadable fragment " + std::to_string(i));
        if (i == 0) {
            for (Uint32 at = 0; at + 4 <= length; at += 4) offsetTable.push_back(data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (static_cast<Uint32>(data[at + 3]) << 24));
            continue;
        }
        fragments.push_back({data, length, offset});
        offset += 8 + length;
    }
    auto frames = framesOf(fragments, offsetTable, frameCount, frame.file.string());
    if (!frames) return frames.error();

    DecodedPixels out;
    out.bitsAllocated = frame.bitsAllocated;
    out.bytes.resize(static_cast<size_t>(expected));
    const size_t frameBytes = static_cast<size_t>(expected / static_cast<uint64_t>(frameCount));
    if (codecKind == Codec::Jpeg) {
        if (auto ok = decodeJpegFrames(*fileFormat.getDataset(), *pixelData, frame, frameCount, frameBytes, out); !ok)
            return ok.error();
        return out;
    }
    for (size_t f = 0; f < frames->size(); ++f) {
        if (codecKind == Codec::Rle) {
            std::vector<uint8_t> joined;
            for (const auto& fragment : (*frames)[f]) joined.insert(joined.end(), fragment.data, fragment.data + fragment.length);
            const size_t pixels = static_cast<size_t>(frame.rows) * frame.columns;
            if (auto problem = internal::decodeRleFrame(joined, pixels, frame.samplesPerPixel, frame.bitsAllocated / 8,
                                                        out.bytes.data() + f * frameBytes))
                return makeError(ErrorCode::Malformed, frame.file.string(), "frame " + std::to_string(f + 1) + ": " + *problem);
            continue;
        }
        const Fragment& head = (*frames)[f].front();
        const auto sizeProblem = codecKind == Codec::Jpeg2000
            ? internal::checkJpeg2000Size(head.data, head.length, frame.columns, frame.rows, frame.samplesPerPixel)
            : internal::checkJpegLsSize(head.data, head.length, frame.columns, frame.rows, frame.samplesPerPixel);
        if (sizeProblem) return makeError(ErrorCode::Malformed, frame.file.string(), "frame " + std::to_string(f + 1) + ": " + *sizeProblem);
        auto codec = makeCodec(codecKind);
        const unsigned int dims[3] = {static_cast<unsigned int>(frame.columns), static_cast<unsigned int>(frame.rows), 1};
        codec->SetDimensions(dims);
        codec->SetNumberOfDimensions(2);
        codec->SetPlanarConfiguration(0);
        codec->SetPixelFormat(gdcm::PixelFormat(static_cast<unsigned short>(frame.samplesPerPixel),
                                                static_cast<unsigned short>(frame.bitsAllocated),
                                                static_cast<unsigned short>(frame.bitsStored),
                                                static_cast<unsigned short>(frame.highBit), frame.signedPixels ? 1 : 0));
        // Only photometric interpretations GDCM knows: it asserts (aborts) on anything else.
        using Pi = gdcm::PhotometricInterpretation;
        Pi::PIType photometric = frame.samplesPerPixel == 3 ? Pi::RGB : Pi::MONOCHROME2;
        for (Pi::PIType known : {Pi::MONOCHROME1, Pi::MONOCHROME2, Pi::RGB, Pi::YBR_FULL, Pi::YBR_FULL_422, Pi::YBR_RCT,
                                 Pi::YBR_ICT, Pi::PALETTE_COLOR})
            if (frame.photometricInterpretation == Pi::GetPIString(known) && Pi(known).GetSamplesPerPixel() == frame.samplesPerPixel)
                photometric = known;
        codec->SetPhotometricInterpretation(Pi(photometric));
        // DataElement::SetValue takes ownership through GDCM's intrusive SmartPointer: heap only.
        gdcm::SmartPointer<gdcm::SequenceOfFragments> sequenceIn = new gdcm::SequenceOfFragments;
        for (const auto& fragment : (*frames)[f]) {
            gdcm::Fragment piece;
            piece.SetByteValue(reinterpret_cast<const char*>(fragment.data), fragment.length);
            sequenceIn->AddFragment(piece);
        }
        gdcm::DataElement in(gdcm::Tag(0x7fe0, 0x0010));
        in.SetVLToUndefined();
        in.SetValue(*sequenceIn);
        gdcm::DataElement decoded;
        const gdcm::ByteValue* bytes = nullptr;
        if (!codec->Decode(in, decoded) || (bytes = decoded.GetByteValue()) == nullptr || bytes->GetLength() < frameBytes)
            return makeError(ErrorCode::Malformed, frame.file.string(),
                             "corrupt compressed data in frame " + std::to_string(f + 1) + " (" + frame.transferSyntaxUid + ")");
        std::memcpy(out.bytes.data() + f * frameBytes, bytes->GetPointer(), frameBytes);
    }
    return out;
}

} // namespace

uint64_t nativeFrameBytes(const SeriesFrame& frame)
{
    const uint64_t samples = frame.samplesPerPixel == 3 && frame.photometricInterpretation == "YBR_FULL_422" ? 2 : frame.samplesPerPixel;
    return static_cast<uint64_t>(frame.rows) * frame.columns * samples * static_cast<uint64_t>(frame.bitsAllocated);
}

Status decodePixels(const SeriesFrame& frame, int frameCount, DecodedPixels& out)
{
    quietDcmtkLogging();
    const bool native = isNativeSyntax(frame.transferSyntaxUid);
    const uint64_t bits = native ? nativeFrameBytes(frame) * static_cast<uint64_t>(frameCount)
                                 : static_cast<uint64_t>(frame.rows) * frame.columns * frame.samplesPerPixel
                                       * static_cast<uint64_t>(frameCount) * static_cast<uint64_t>(frame.bitsAllocated);
    const uint64_t expected = (bits + 7) / 8;
    if (expected == 0 || expected > kMaxDecodedBytes)
        return makeError(ErrorCode::Malformed, frame.file.string(),
                         "absurd image size: " + std::to_string(frame.rows) + " x " + std::to_string(frame.columns) + " x "
                             + std::to_string(frameCount) + " frames");
    out.frames = frameCount;
    out.bitsAllocated = frame.bitsAllocated;
    out.colourModel = frame.photometricInterpretation;
    if (native && readTrailingPixelData(frame, expected, out)) return {};
    auto decoded = isNativeSyntax(frame.transferSyntaxUid) ? decodeNative(frame, frameCount, expected)
                                                           : decodeEncapsulated(frame, frameCount, expected);
    if (!decoded) return decoded.error();
    out.bitsAllocated = decoded->bitsAllocated;
    out.bytes = std::move(decoded->bytes);
    if (!decoded->colourModel.empty()) out.colourModel = decoded->colourModel;
    return {};
}

} // namespace lb::core
