#pragma once
// Loads a DICOM file with DCMTK without letting the file decide how much memory we allocate or
// how deep DCMTK recurses. Before DCMTK sees a byte, DatasetWalker checks the encoded data set
// (nesting depth, element count, lengths against their containers); a file over a limit is
// refused (`refused` says why) and DCMTK never parses it. Values longer than
// `maxLoadedValueBytes` stay on disk. A deflated data set cannot leave values on disk (DCMTK's
// inflating stream would allocate whatever length the stream declares), so we inflate it
// ourselves, at most kMaxInflatedBytes, walk it, and let DCMTK parse it from an unnamed
// temporary file (nothing is left behind, even by a killed process). Keep the BoundedLoad alive
// as long as the DcmFileFormat: that file goes with it.
#include <dcmtk/dcmdata/dcfilefo.h>

#include <filesystem>
#include <memory>
#include <string>

namespace lb::core::internal {

struct BoundedLoad {
    OFCondition condition;
    std::string refused; // not parsed at all: a limit of DatasetWalker, or a deflate bomb
    bool deflated = false; // parsed from our own inflated copy
    std::shared_ptr<const std::filesystem::path> inflatedFile;
    // Set when the dataset had to be re-read with the other VR encoding than the file meta
    // declares (a writer bug seen in the wild, e.g. pydicom's SC_rgb_jpeg.dcm); says so in words.
    std::string vrMismatch;
};

// A deflated data set inflates to at most this: deflate is used for reports and small objects;
// 64 MiB is far above them, and the bound on what a hostile stream (1 MB can inflate to 1 GB)
// makes us allocate.
inline constexpr size_t kMaxInflatedBytes = 64u << 20;

BoundedLoad loadBounded(DcmFileFormat& fileFormat, const std::filesystem::path& file, Uint32 maxLoadedValueBytes);

// Whether the file meta header (sniffed from the first bytes) declares Deflated Explicit VR LE.
bool declaresDeflatedTransferSyntax(const std::filesystem::path& file);

} // namespace lb::core::internal
