#pragma once
// Every attribute of a DICOM file (file meta + dataset, sequences nested), as UTF-8 text:
// what `lightbox-cli tags` prints. Bulk values (pixel data, long binary) are summarised by
// their length and never loaded.
#include "core/Result.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lb::core {

struct TagEntry {
    uint16_t group = 0;
    uint16_t element = 0;
    std::string keyword; // from DCMTK's dictionary; "" for unknown private tags
    std::string vr;
    uint32_t length = 0; // value length in bytes as stored (0xFFFFFFFF: undefined)
    std::string value;   // text; "" for sequences; "(N bytes)" for bulk data
    std::vector<std::vector<TagEntry>> items; // sequence items
};

Result<std::vector<TagEntry>> dumpDicomTags(const std::filesystem::path& file);

} // namespace lb::core
