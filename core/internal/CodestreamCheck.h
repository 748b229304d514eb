#pragma once
// Before a JPEG 2000 or JPEG-LS stream reaches its decoder (OpenJPEG, CharLS through GDCM),
// check that the image size the stream declares is the one the DICOM header declares: the
// decoders allocate whatever the stream says (the fuzzer made OpenJPEG ask for 2.6 GB from a
// few KB). Returns an error text, or nullopt when the sizes agree.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace lb::core::internal {

std::optional<std::string> checkJpeg2000Size(const uint8_t* data, size_t length, int columns, int rows, int samples);
std::optional<std::string> checkJpegLsSize(const uint8_t* data, size_t length, int columns, int rows, int samples);

} // namespace lb::core::internal
