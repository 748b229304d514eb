#pragma once
// Reads the header of one DICOM file (everything but the pixel data values) with DCMTK.
//
// Accepts what DCMTK can parse: Part 10 files with or without the 128-byte preamble and file
// meta information, any little/big endian, explicit/implicit or deflated transfer syntax.
// Values larger than a few KiB are never loaded into memory, so a hostile declared length
// cannot make us allocate. A file is rejected (with the reason) when it is not DICOM or lacks
// the identifying UIDs (Study, Series and SOP Instance UID) the cache needs.
#include "core/DicomHeader.h"
#include "core/Result.h"

#include <filesystem>

namespace lb::core {

Result<DicomHeader> readDicomHeader(const std::filesystem::path& file);

// Silences DCMTK's own logger (it writes warnings about every odd file to stderr).
// Called by every entry point into DCMTK in lb_core; idempotent and thread-safe.
void quietDcmtkLogging();

} // namespace lb::core
