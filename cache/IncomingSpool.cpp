#include "cache/IncomingSpool.h"

namespace lb::cache {

core::Result<std::filesystem::path> incomingFolder(LocalCache& cache)
{
    const auto folder = cache.layout().incomingDir() / cache.owner();
    if (auto ok = createPrivateDirectories(folder); !ok) return ok.error();
    return folder;
}

} // namespace lb::cache
