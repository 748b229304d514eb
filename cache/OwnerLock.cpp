#include "cache/OwnerLock.h"

#include "core/ContentHash.h"

#include <cerrno>
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
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return core::makeError(core::ErrorCode::Io, file.string(), std::string("cannot create lock: ") + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return core::makeError(core::ErrorCode::Io, file.string(), std::string("cannot lock: ") + std::strerror(errno));
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

} // namespace lb::cache
