#include "cache/StoredFileCheck.h"

#include "core/ContentHash.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace lb::cache {

namespace {

constexpr size_t kReadChunk = 1 << 20;

std::string systemReason(int error) { return std::string("cannot be read: ") + std::strerror(error); }

std::string sizeReason(uint64_t now, uint64_t atImport)
{
    if (now < atImport) return "truncated: " + std::to_string(now) + " of " + std::to_string(atImport) + " bytes";
    return std::to_string(now) + " bytes, " + std::to_string(atImport) + " at import";
}

struct Outcome {
    std::optional<StoredFileProblem> kind;
    std::string reason;
};

// Reads the whole file and compares its fingerprint with the import's (the same ContentHash
// over the same bytes as FileStore::stage; the hash does not depend on how reads are cut).
Outcome compareContent(const std::filesystem::path& file, const InstanceRow& row, const StoredFileCheckOptions& options, bool& cancelled)
{
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? Outcome{StoredFileProblem::Missing, "missing from the store"}
                                       : Outcome{StoredFileProblem::Unreadable, systemReason(errno)};
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    thread_local std::vector<char> buffer(kReadChunk);
    core::ContentHash hash;
    uint64_t size = 0;
    Outcome outcome;
    for (;;) {
        if (options.cancel && options.cancel->isCancelled()) {
            cancelled = true;
            break;
        }
        const ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got < 0) {
            if (errno == EINTR) continue;
            outcome = {StoredFileProblem::Unreadable, systemReason(errno)};
            break;
        }
        if (got == 0) {
            if (size != row.fileSize) outcome = {StoredFileProblem::Changed, sizeReason(size, row.fileSize)}; // changed since the stat
            else if (hash.hex() != row.contentHash) outcome = {StoredFileProblem::Changed, "changed on disk since import (content differs)"};
            break;
        }
        hash.update(buffer.data(), static_cast<size_t>(got));
        size += static_cast<uint64_t>(got);
    }
    ::close(fd);
    return outcome;
}

Outcome checkOne(const std::filesystem::path& storeDir, const InstanceRow& row, const StoredFileCheckOptions& options, bool& cancelled)
{
    const std::filesystem::path file = storeDir / row.filePath;
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0)
        return errno == ENOENT || errno == ENOTDIR ? Outcome{StoredFileProblem::Missing, "missing from the store"}
                                                   : Outcome{StoredFileProblem::Unreadable, systemReason(errno)};
    if (!S_ISREG(info.st_mode)) return {StoredFileProblem::Unreadable, "cannot be read: not a regular file"};
    if (static_cast<uint64_t>(info.st_size) != row.fileSize)
        return {StoredFileProblem::Changed, sizeReason(static_cast<uint64_t>(info.st_size), row.fileSize)};
    if (!options.verifyContent || row.contentHash.empty()) return {};
    return compareContent(file, row, options, cancelled);
}

} // namespace

const char* storedFileProblemName(StoredFileProblem problem)
{
    switch (problem) {
    case StoredFileProblem::Changed: return "changed";
    case StoredFileProblem::Missing: return "missing";
    case StoredFileProblem::Unreadable: return "unreadable";
    }
    return "changed";
}

std::string describeStoredInstance(std::optional<int> instanceNumber, const std::string& sopInstanceUid)
{
    if (!instanceNumber) return sopInstanceUid;
    return "instance " + std::to_string(*instanceNumber) + " (" + sopInstanceUid + ")";
}

core::Result<std::vector<StoredFileFinding>> checkStoredFiles(const std::filesystem::path& storeDir, const std::vector<InstanceRow>& rows,
                                                             const StoredFileCheckOptions& options)
{
    std::vector<Outcome> outcomes(rows.size());
    std::atomic<size_t> next{0};
    std::atomic<bool> cancelled{false};
    auto worker = [&] {
        for (size_t i = next.fetch_add(1); i < rows.size(); i = next.fetch_add(1)) {
            if (cancelled || (options.cancel && options.cancel->isCancelled())) {
                cancelled = true;
                return;
            }
            bool stopped = false;
            outcomes[i] = checkOne(storeDir, rows[i], options, stopped);
            if (stopped) cancelled = true;
        }
    };
    const int cores = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const size_t threads = std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(cores), rows.size()));
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& thread : pool) thread.join();
    if (cancelled) return core::makeError(core::ErrorCode::Cancelled, storeDir.string(), "check of stored files cancelled");

    std::vector<StoredFileFinding> findings;
    for (size_t i = 0; i < rows.size(); ++i) {
        if (!outcomes[i].kind) continue;
        findings.push_back({rows[i].sopInstanceUid, rows[i].instanceNumber, rows[i].filePath, *outcomes[i].kind, outcomes[i].reason});
    }
    return findings;
}

} // namespace lb::cache
