#include "netclient/internal/DatasetKeys.h"

#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dctag.h"

namespace lb::netclient::internal {

bool putKey(DcmDataset& dataset, const std::string& keyword, const std::string& value)
{
    DcmTag tag;
    if (DcmTag::findTagFromName(keyword.c_str(), tag).bad()) return false;
    return dataset.putAndInsertString(tag, value.c_str()).good();
}

std::vector<std::pair<std::string, std::string>> readKeys(DcmDataset& dataset, const std::vector<std::string>& keywords)
{
    if (dataset.tagExistsWithValue(DCM_SpecificCharacterSet)) {
        // Ignored failure: an unknown charset leaves the bytes as they came (mostly ASCII).
        (void)dataset.convertToUTF8();
    }
    std::vector<std::pair<std::string, std::string>> values;
    for (const std::string& keyword : keywords) {
        DcmTag tag;
        if (DcmTag::findTagFromName(keyword.c_str(), tag).bad()) continue;
        OFString text;
        if (dataset.findAndGetOFStringArray(tag, text).good()) values.emplace_back(keyword, text.c_str());
    }
    return values;
}

} // namespace lb::netclient::internal
