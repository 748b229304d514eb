#include "cache/OwnerLock.h"

#include "core/ContentHash.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sys/file.h>
#include <unistd.h>
#include <utility>

namespace lb::cache {

namespace {
std::filesystem::path lockFile(const std::filesystem::path& locksDir, const std::string& owner)
{
    return locksDir / (owner + ".lock");
}
} // namespace

core::Result<OwnerLock> OwnerLock::acquire(const std::filesystem::path& locksDir)
{
    std::random_device random;
    const uint64_t token = (static_cast<uint64_t>(random()) << 32) ^ random();
    std::string owner = std::to_string(::getpid()) + "-" + core::toHex64(token).substr(0, 8);
    std::filesystem::path file = lockFile(locksDir, owner);
    // Created under a temporary name, locked, then renamed: a lock file under its real name is
    // always locked while its owner lives, so an unlocked one is stale whatever its age (a
    // process killed between create and lock leaves only a temporary name, also unlocked).
    std::filesystem::path creating = locksDir / (owner + ".creating");
    const int fd = ::open(creating.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return core::makeError(core::ErrorCode::Io, file.string(), std::string("cannot create lock: ") + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0 || ::rename(creating.c_str(), file.c_str()) != 0) {
        const int error = errno;
        ::unlink(creating.c_str());
        ::close(fd);
        return core::makeError(core::ErrorCode::Io, file.string(), std::string("cannot lock: ") + std::strerror(error));
    }
    return OwnerLock(std::move(file), std::move(owner), fd);
}

OwnerLock::OwnerLock(OwnerLock&& other) noexcept
    : m_file(std::move(other.m_file)), m_owner(std::move(other.m_owner)), m_fd(std::exchange(other.m_fd, -1)) {}

OwnerLock::~OwnerLock()
{
    if (m_fd < 0) return;
    ::unlink(m_file.c_str()); // unlink first, while we still hold the lock
    ::close(m_fd);
}

bool OwnerLock::isAlive(const std::filesystem::path& locksDir, const std::string& owner)
{
    const int fd = ::open(lockFile(locksDir, owner).c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) return false; // no lock file: the owner finished or never got that far
    const bool locked = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);
    return locked;
}

void OwnerLock::removeStale(const std::filesystem::path& locksDir, const std::string& owner)
{
    ::unlink(lockFile(locksDir, owner).c_str());
}

int OwnerLock::removeUnlockedFiles(const std::filesystem::path& locksDir, const std::string& keep)
{
    int removed = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(locksDir, ec)) {
        const std::string name = entry.path().filename().string();
        // Our own, and the transfer queue's (created and locked in two steps by design: a
        // runner may be between them).
        if (name == keep + ".lock" || name == "transfer-queue.lock") continue;
        // A temporary name may belong to a process between its create and its lock: only an
        // old one is certainly left over from a crash. (Real names are locked before they exist.)
        if (name.size() > 9 && name.compare(name.size() - 9, 9, ".creating") == 0) {
            std::error_code timeError;
            const auto age = std::filesystem::file_time_type::clock::now() - std::filesystem::last_write_time(entry.path(), timeError);
            if (timeError || age < std::chrono::minutes(1)) continue;
        }
        const int fd = ::open(entry.path().c_str(), O_RDWR | O_CLOEXEC);
        if (fd < 0) continue;
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) { // nobody holds it: its process is gone
            ::unlink(entry.path().c_str());
            ++removed;
        }
        ::close(fd);
    }
    return removed;
}

} // namespace lb::cache
