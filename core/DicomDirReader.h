#pragma once
// Reads a DICOMDIR (PS3.10 media directory) and lists the files its records reference.
// Referenced File IDs are untrusted: a component that is empty, "." or "..", or that contains a
// path separator, and any path that resolves (through symlinks) outside the folder holding the
// DICOMDIR, is refused with a reason; nothing outside the medium is ever read.
// Media written on other systems often differ in case ("IMAGES/IM0" vs "images/im0"): a
// component that does not exist as written is matched case-insensitively.
#include "core/Result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace lb::core {

struct DicomDirReference {
    std::string fileId; // as written in the record, components joined with '/'
    std::filesystem::path resolved;  // set when usable
    std::string problem;             // set when refused
};

struct DicomDirContents {
    std::filesystem::path root; // the folder that holds the DICOMDIR
    std::vector<DicomDirReference> references;
};

Result<DicomDirContents> readDicomDir(const std::filesystem::path& dicomDirFile);

// Whether a file's name says it is a DICOMDIR (the name is fixed by PS3.10).
bool looksLikeDicomDir(const std::filesystem::path& file);

} // namespace lb::core
