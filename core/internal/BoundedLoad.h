#pragma once
// Loads a DICOM file with DCMTK without letting the file decide how much memory we allocate.
// Values longer than `maxLoadedValueBytes` stay on disk. A deflated dataset cannot leave
// values on disk (DCMTK's inflating stream would allocate whatever length the stream
// declares), so we inflate it ourselves, at most 256 MiB, into a private temporary file and
// let DCMTK parse that file like any other. Keep the BoundedLoad alive as long as the
// DcmFileFormat: the temporary file goes with it.
#include <dcmtk/dcmdata/dcfilefo.h>

#include <filesystem>
#include <memory>
#include <string>

namespace lb::core::internal {

struct BoundedLoad {
    OFCondition condition;
    bool deflated = false; // parsed from our own inflated copy
    std::shared_ptr<const std::filesystem::path> inflatedFile;
    // Set when the dataset had to be re-read with the other VR encoding than the file meta
    // declares (a writer bug seen in the wild, e.g. pydicom's SC_rgb_jpeg.dcm); says so in words.
    std::string vrMismatch;
};

BoundedLoad loadBounded(DcmFileFormat& fileFormat, const std::filesystem::path& file, Uint32 maxLoadedValueBytes);

// Whether the file meta header (sniffed from the first bytes) declares Deflated Explicit VR LE.
bool declaresDeflatedTransferSyntax(const std::filesystem::path& file);

} // namespace lb::core::internal
