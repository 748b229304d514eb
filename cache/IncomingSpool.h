#pragma once
// Instances received from the network are written whole into <root>/incoming/<owner>/, then
// validated, made durable and indexed before the sender is answered. A process killed in
// between leaves files that were never acknowledged: the next receiver moves them to
// quarantine (quarantineOrphanedIncoming) instead of importing them behind anyone's back.
#include "cache/LocalCache.h"

namespace lb::cache {

// <root>/incoming/<owner of this LocalCache>/, created 0700.
core::Result<std::filesystem::path> incomingFolder(LocalCache& cache);

} // namespace lb::cache
