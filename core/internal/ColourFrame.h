#pragma once
// Turns one decoded colour frame into interleaved RGB of the same sample size: RGB is copied
// (planar planes are interleaved), YBR_FULL and YBR_FULL_422 are converted with the full-range
// BT.601 equations of PS3.3 C.7.6.3.1.2 (rounded, clipped). `photometric` is the colour model
// of the decoded bytes (a JPEG decoder may already have produced RGB).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace lb::core::internal {

std::optional<std::string> colourFrameToRgb(const uint8_t* in, size_t inBytes, size_t pixels, int bytesPerSample,
                                            const std::string& photometric, bool planar, uint8_t* out);

} // namespace lb::core::internal
