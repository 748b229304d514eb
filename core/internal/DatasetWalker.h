#pragma once
// A cheap walk over the raw bytes of a DICOM data set, before DCMTK builds one. DCMTK parses
// nested sequences recursively with no depth limit (~6,000 nested items in a 200 KB file
// overflow the stack) and allocates an object per element: the walk refuses what would make
// it do either, without allocating anything itself. Values are skipped, never read, so a
// header read stays as cheap as before (the pixel data is not touched).
//
// Covers implicit and explicit VR, little and big endian, defined and undefined lengths,
// encapsulated pixel data, and UN values that hold a sequence (PS3.5 6.2.2). A deflated data
// set is walked after it is inflated (BoundedLoad inflates it, bounded, into memory).
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace lb::core::internal {

// Real objects nest a handful of sequences (an enhanced multi-frame object: 4; an RT plan or a
// structured report: up to ~20); 64 leaves room for any writer and keeps DCMTK's recursion far
// below the thread's stack.
inline constexpr int kMaxSequenceDepth = 64;
// About 150 bytes of DCMTK objects per element: a million is ~150 MB, above the largest real
// enhanced multi-frame headers (~300k elements for 10,000 frames).
inline constexpr size_t kMaxElements = 1'000'000;

struct EncodedSyntax {
    bool explicitVr = true;
    bool bigEndian = false;
};

// Empty when the data set in `bytes` stays within the limits; else the reason, e.g.
// "Malformed: sequence nesting deeper than 64". A value that runs past the end of `bytes` ends the walk
// quietly (a truncated file is DCMTK's to report); one that runs past the end of the item or
// sequence holding it is refused (the two parsers would no longer agree on where things are).
std::string checkEncodedDataset(std::string_view bytes, EncodedSyntax syntax);


// Maps `file` read-only and checks its data set as the file declares it: after the File Meta
// Information when there is one (its transfer syntax decides the encoding; `otherVr` checks
// the other VR encoding than declared, for the re-read of files whose meta lies), else as
// DCMTK would guess it. Deflated data sets are not checked here (inflate first).
std::string checkDicomFile(const std::filesystem::path& file, bool otherVr = false);

// The TransferSyntaxUID of the File Meta Information (empty without one).
std::string declaredTransferSyntax(const std::filesystem::path& file);

} // namespace lb::core::internal
