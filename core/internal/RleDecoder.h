#pragma once
// DICOM RLE Lossless (PS3.5 Annex G) decoder for one frame: a 64-byte header of segment
// offsets, then one PackBits-compressed segment per byte plane (most significant byte of each
// sample first). Written here rather than taken from GDCM, whose RLE codec asserts (aborts the
// process) on malformed streams.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lb::core::internal {

// Decodes `frame` (the concatenated fragments of one frame) into `pixels` samples of
// `bytesPerSample` bytes, `samplesPerPixel` each, interleaved, native (little endian) order.
// Returns an error text, or nullopt on success.
std::optional<std::string> decodeRleFrame(const std::vector<uint8_t>& frame, size_t pixels, int samplesPerPixel,
                                          int bytesPerSample, uint8_t* out);

} // namespace lb::core::internal
