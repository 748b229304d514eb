#pragma once
// Instances received from the network are written whole into <root>/incoming/<owner>/ and
// answered; the importer then indexes them in batches. A process killed in between leaves
// complete files in its spool folder: the next receiver imports them (nothing received and
// acknowledged is lost), and drops files that were still being written (they were never
// acknowledged, so the sender counts them as failed and a resume fetches them again).
#include "cache/Importer.h"
#include "cache/LocalCache.h"

namespace lb::cache {

// <root>/incoming/<owner of this LocalCache>/, created 0700.
core::Result<std::filesystem::path> incomingFolder(LocalCache& cache);

// Imports what dead owners left in their spool folders, then removes those folders.
core::Result<ImportReport> importOrphanedIncoming(LocalCache& cache);

} // namespace lb::cache
