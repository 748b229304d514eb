#pragma once
// Query identifiers by DICOM keyword: building them and reading matches back as UTF-8 text.
#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dcdatset.h"

#include <string>
#include <utility>
#include <vector>

namespace lb::netclient::internal {

// Inserts `keyword` with `value` (empty: a return key). False for an unknown keyword.
bool putKey(DcmDataset& dataset, const std::string& keyword, const std::string& value);

// Every keyword of `keywords` the dataset holds, as UTF-8 text (converted from its
// SpecificCharacterSet when DCMTK can; values kept as sent otherwise).
std::vector<std::pair<std::string, std::string>> readKeys(DcmDataset& dataset, const std::vector<std::string>& keywords);

} // namespace lb::netclient::internal
