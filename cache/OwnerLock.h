#pragma once
// Who is writing: every process that writes into a cache holds an OwnerLock, a flock()ed file
// <cache>/locks/<owner>.lock. The kernel drops the lock when the process dies (even by SIGKILL),
// so another process can tell a live writer's pending work from a dead one's leftovers.
#include "core/Result.h"

#include <filesystem>
#include <string>

namespace lb::cache {

class OwnerLock {
public:
    static core::Result<OwnerLock> acquire(const std::filesystem::path& locksDir);
    OwnerLock(OwnerLock&& other) noexcept;
    OwnerLock(const OwnerLock&) = delete;
    OwnerLock& operator=(const OwnerLock&) = delete;
    ~OwnerLock();

    const std::string& owner() const { return m_owner; }

    // true while the process that took `owner`'s lock is alive.
    static bool isAlive(const std::filesystem::path& locksDir, const std::string& owner);
    static void removeStale(const std::filesystem::path& locksDir, const std::string& owner);
    // Removes every lock file nobody holds (owners killed at any point; temporary names only
    // when older than a minute: they may be mid-creation), except `keep`'s. Returns how many.
    static int removeUnlockedFiles(const std::filesystem::path& locksDir, const std::string& keep);

private:
    OwnerLock(std::filesystem::path file, std::string owner, int fd)
        : m_file(std::move(file)), m_owner(std::move(owner)), m_fd(fd) {}
    std::filesystem::path m_file;
    std::string m_owner;
    int m_fd = -1;
};

} // namespace lb::cache
