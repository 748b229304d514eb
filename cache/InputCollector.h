#pragma once
// Turns what the user named (files, folders, DICOMDIRs) into the list of files to import.
// Folders are walked recursively without following directory symlinks (no loops); a DICOMDIR
// named directly is followed record by record; a DICOMDIR met while walking a folder is skipped
// (the folder walk already finds the files it lists).
#include <filesystem>
#include <string>
#include <vector>

namespace lb::cache {

struct CollectedInputs {
    std::vector<std::filesystem::path> files;
    std::vector<std::pair<std::string, std::string>> rejected; // (path, reason)
};

CollectedInputs collectImportInputs(const std::vector<std::filesystem::path>& paths);

} // namespace lb::cache
