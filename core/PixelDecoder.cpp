#include "core/PixelDecoder.h"

#include "core/DicomHeaderReader.h"
#include "core/internal/BoundedLoad.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <gdcmImage.h>
#include <gdcmImageReader.h>

#include <cstring>

namespace lb::core {

namespace {

bool isNativeSyntax(const std::string& uid)
{
    return uid.empty() || uid == "1.2.840.10008.1.2" || uid == "1.2.840.10008.1.2.1" || uid == "1.2.840.10008.1.2.2"
        || uid == "1.2.840.10008.1.2.1.99";
}

Result<DecodedPixels> decodeNative(const SeriesFrame& frame, uint64_t expected)
{
    DcmFileFormat fileFormat;
    // Pixel data stays on disk until asked for; DCMTK checks its length against the file.
    const internal::BoundedLoad loaded = internal::loadBounded(fileFormat, frame.file, 4096);
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
    DecodedPixels out;
    out.bitsAllocated = frame.bitsAllocated;
    out.bytes.resize(static_cast<size_t>(expected));
    OFCondition status;
    if (frame.bitsAllocated == 8) {
        Uint8* data = nullptr;
        status = pixels->getUint8Array(data);
        if (status.good() && data) std::memcpy(out.bytes.data(), data, out.bytes.size());
    } else {
        // DCMTK hands OW data in the machine's byte order (big endian files are swapped).
        Uint16* data = nullptr;
        status = pixels->getUint16Array(data);
        if (status.good() && data) std::memcpy(out.bytes.data(), data, out.bytes.size());
    }
    if (status.bad()) return makeError(ErrorCode::Malformed, frame.file.string(), std::string("pixel data: ") + status.text());
    return out;
}

Result<DecodedPixels> decodeWithGdcm(const SeriesFrame& frame, uint64_t expected)
{
    gdcm::ImageReader reader;
    reader.SetFileName(frame.file.c_str());
    if (!reader.Read())
        return makeError(ErrorCode::Malformed, frame.file.string(), "GDCM cannot decode the pixel data (" + frame.transferSyntaxUid + ")");
    const gdcm::Image& image = reader.GetImage();
    const unsigned long length = image.GetBufferLength();
    if (length < expected || length > kMaxDecodedBytes)
        return makeError(ErrorCode::Malformed, frame.file.string(),
                         "decoded " + std::to_string(length) + " bytes where " + std::to_string(expected) + " were expected");
    DecodedPixels out;
    out.bitsAllocated = image.GetPixelFormat().GetBitsAllocated();
    out.bytes.resize(length);
    if (!image.GetBuffer(reinterpret_cast<char*>(out.bytes.data())))
        return makeError(ErrorCode::Malformed, frame.file.string(), "corrupt compressed pixel data (" + frame.transferSyntaxUid + ")");
    out.bytes.resize(static_cast<size_t>(expected));
    return out;
}

} // namespace

Result<DecodedPixels> decodePixels(const SeriesFrame& frame, int frameCount)
{
    quietDcmtkLogging();
    const uint64_t expected = static_cast<uint64_t>(frame.rows) * frame.columns * frame.samplesPerPixel
        * static_cast<uint64_t>(frameCount) * (frame.bitsAllocated / 8);
    if (expected == 0 || expected > kMaxDecodedBytes)
        return makeError(ErrorCode::Malformed, frame.file.string(),
                         "absurd image size: " + std::to_string(frame.rows) + " x " + std::to_string(frame.columns) + " x "
                             + std::to_string(frameCount) + " frames");
    auto decoded = isNativeSyntax(frame.transferSyntaxUid) ? decodeNative(frame, expected) : decodeWithGdcm(frame, expected);
    if (decoded) decoded->frames = frameCount;
    return decoded;
}

} // namespace lb::core
