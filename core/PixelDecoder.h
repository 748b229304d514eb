#pragma once
// Decodes the pixel data of one file into native-endian samples, all frames one after the
// other (frame-major, then row, column, sample). Native transfer syntaxes (implicit/explicit
// little endian, explicit big endian, deflated) are read with DCMTK straight from the file;
// for encapsulated ones (JPEG baseline/extended/lossless, JPEG-LS, JPEG 2000, RLE) DCMTK
// extracts the fragments and GDCM's codecs decode them (DCMTK's JPEG-LS would clash with the
// CharLS GDCM links; see docs/architecture.md).
// Values are as stored: the caller masks BitsStored and applies the modality rescale.
#include "core/Result.h"
#include "core/SeriesFrame.h"

#include <cstdint>
#include <vector>

namespace lb::core {

struct DecodedPixels {
    std::vector<uint8_t> bytes;
    int frames = 0;
    int bitsAllocated = 16; // of the samples in `bytes` (8, 16 or 32)
    std::string colourModel; // of the decoded bytes (a JPEG decoder may have made YBR into RGB)
};

// `frame` describes the file (rows, columns, samples, bits); `frameCount` its frames.
// `out` is reused: its buffer keeps its capacity from one file to the next.
Status decodePixels(const SeriesFrame& frame, int frameCount, DecodedPixels& out);

// Bytes one frame takes as stored uncompressed (YBR_FULL_422 keeps two samples per pixel).
uint64_t nativeFrameBytes(const SeriesFrame& frame);

// Refuses sizes no real image has (and that a hostile header uses to make us allocate).
constexpr uint64_t kMaxDecodedBytes = 4ull << 30;

} // namespace lb::core
