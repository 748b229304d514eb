#include "cache/CacheLayout.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>

namespace lb::cache {

core::Status createPrivateDirectories(const std::filesystem::path& dir)
{
    if (dir.empty()) return {};
    struct stat info {};
    if (::stat(dir.c_str(), &info) == 0) {
        if (S_ISDIR(info.st_mode)) return {};
        return core::makeError(core::ErrorCode::Io, dir.string(), "exists and is not a folder");
    }
    if (dir.has_parent_path() && dir.parent_path() != dir)
        if (auto ok = createPrivateDirectories(dir.parent_path()); !ok) return ok;
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        return core::makeError(core::ErrorCode::Io, dir.string(), std::string("cannot create folder: ") + std::strerror(errno));
    return {};
}

core::Status CacheLayout::create() const
{
    // A folder the user gave keeps its permissions (it may be shared on purpose); what we create
    // is private to the user.
    for (const auto& dir : {m_root, storeDir(), tmpDir(), locksDir(), incomingDir(), quarantineDir()})
        if (auto ok = createPrivateDirectories(dir); !ok) return ok;
    return {};
}

std::filesystem::path CacheLayout::defaultRoot()
{
    if (const char* explicitCache = std::getenv("LIGHTBOX_CACHE"); explicitCache && *explicitCache)
        return explicitCache;
    if (const char* dataHome = std::getenv("XDG_DATA_HOME"); dataHome && *dataHome)
        return std::filesystem::path(dataHome) / "lightbox";
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home && *home ? home : ".") / ".local" / "share" / "lightbox";
}

} // namespace lb::cache
