#include "app/services/SendFromCache.h"

#include "cache/StudyQuery.h"

namespace lb::app {

core::Result<std::vector<netclient::SendItem>> sendItemsFor(cache::SqliteConnection& reader,
                                                            const std::filesystem::path& storeDir,
                                                            const std::string& studyUid, const std::string& seriesUid)
{
    cache::StudyQuery query(reader);
    std::vector<std::string> seriesUids;
    if (!seriesUid.empty()) {
        seriesUids.push_back(seriesUid);
    } else {
        auto rows = query.series(studyUid);
        if (!rows) return rows.error();
        for (const auto& row : *rows) seriesUids.push_back(row.seriesUid);
    }
    std::vector<netclient::SendItem> items;
    for (const std::string& uid : seriesUids) {
        auto instances = query.instances(uid);
        if (!instances) return instances.error();
        for (const auto& row : *instances)
            items.push_back({storeDir / row.filePath, row.sopClassUid, row.sopInstanceUid, row.transferSyntaxUid});
    }
    return items;
}

} // namespace lb::app
