#pragma once
// What `send` transmits: the cached instances of a study (or one series), as netclient items.
#include "cache/SqliteConnection.h"
#include "netclient/Send.h"

namespace lb::app {

core::Result<std::vector<netclient::SendItem>> sendItemsFor(cache::SqliteConnection& reader,
                                                            const std::filesystem::path& storeDir,
                                                            const std::string& studyUid, const std::string& seriesUid);

} // namespace lb::app
