#include "cache/FileStore.h"

#include "cache/CacheLayout.h"
#include "core/ContentHash.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace lb::cache {

using core::ErrorCode;
using core::makeError;

namespace {

constexpr size_t kCopyChunk = 1 << 20;
constexpr uint64_t kStagingFolders = 16;
constexpr size_t kMaxUidBytes = 100; // UI is at most 64; anything much longer is not a UID

core::Error ioError(const std::filesystem::path& path, const std::string& what)
{
    return makeError(ErrorCode::Io, path.string(), what + ": " + std::strerror(errno));
}

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    ~FileDescriptor() { if (m_fd >= 0) ::close(m_fd); }
    FileDescriptor(const FileDescriptor&) = delete;
    int get() const { return m_fd; }
    int release() { int fd = m_fd; m_fd = -1; return fd; }
private:
    int m_fd;
};

std::vector<char>& copyBuffer()
{
    thread_local std::vector<char> buffer(kCopyChunk);
    return buffer;
}

// Reads `in` to its end, fingerprinting every byte and, when `out` is open, copying it there.
core::Status readHashAndCopy(int in, const std::filesystem::path& source, int out, const std::filesystem::path& target,
                             uint64_t& size, std::string& contentHash)
{
    core::ContentHash hash;
    std::vector<char>& buffer = copyBuffer();
    size = 0;
    for (;;) {
        const ssize_t got = ::read(in, buffer.data(), buffer.size());
        if (got < 0) {
            if (errno == EINTR) continue;
            return ioError(source, "read failed");
        }
        if (got == 0) break;
        hash.update(buffer.data(), static_cast<size_t>(got));
        size += static_cast<uint64_t>(got);
        for (ssize_t written = 0; out >= 0 && written < got;) {
            const ssize_t put = ::write(out, buffer.data() + written, static_cast<size_t>(got - written));
            if (put < 0) {
                if (errno == EINTR) continue;
                return ioError(target, "write failed");
            }
            written += put;
        }
    }
    contentHash = hash.hex();
    return {};
}

bool isWellFormedUid(const std::string& uid)
{
    if (uid.empty() || uid.size() > 64) return false;
    for (char c : uid)
        if (!(c == '.' || (c >= '0' && c <= '9'))) return false;
    return uid.front() != '.' && uid.back() != '.';
}

uint32_t fnv1a(const std::string& text)
{
    uint32_t hash = 2166136261u;
    for (unsigned char c : text) hash = (hash ^ c) * 16777619u;
    return hash;
}

} // namespace

FileStore::FileStore(std::filesystem::path storeDir, std::filesystem::path stagingDir)
    : m_storeDir(std::move(storeDir)), m_stagingDir(std::move(stagingDir)) {}

core::Result<std::string> FileStore::relativePathFor(const std::string& sopInstanceUid)
{
    if (sopInstanceUid.empty() || sopInstanceUid.size() > kMaxUidBytes)
        return makeError(ErrorCode::Malformed, sopInstanceUid.substr(0, 80), "SOPInstanceUID is empty or too long");
    std::string name;
    if (isWellFormedUid(sopInstanceUid)) {
        name = sopInstanceUid;
    } else {
        static const char* digits = "0123456789abcdef";
        name = "x";
        for (unsigned char c : sopInstanceUid) {
            name.push_back(digits[c >> 4]);
            name.push_back(digits[c & 0xF]);
        }
    }
    const uint32_t hash = fnv1a(sopInstanceUid);
    const std::string hex = core::toHex64(hash);
    // One level of 256 buckets: few folders to create (mkdir is a durable metadata write)
    // while a folder holds ~4,000 files at a million instances.
    return hex.substr(14, 2) + "/" + name + ".dcm";
}

core::Result<StagedFile> FileStore::stage(const std::filesystem::path& source) const
{
    static std::atomic<uint64_t> counter{0};
    FileDescriptor in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.get() < 0) return ioError(source, "cannot open");

    StagedFile staged;
    // Spread staging files over a few folders: creating and unlinking many files in one folder
    // from several threads serialises on that folder's lock in the kernel.
    const uint64_t number = counter.fetch_add(1);
    const std::filesystem::path folder = m_stagingDir / std::to_string(number % kStagingFolders);
    if (auto ok = const_cast<FileStore*>(this)->ensureBucket(folder); !ok) return ok.error();
    staged.tempPath = folder / ("s" + std::to_string(number) + ".part");
    FileDescriptor out(::open(staged.tempPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (out.get() < 0) return ioError(staged.tempPath, "cannot create staging file");

    if (auto ok = readHashAndCopy(in.get(), source, out.get(), staged.tempPath, staged.size, staged.contentHash); !ok) {
        ::unlink(staged.tempPath.c_str());
        return ok.error();
    }
    if (::close(out.release()) != 0) {
        core::Error error = ioError(staged.tempPath, "write failed at close");
        ::unlink(staged.tempPath.c_str());
        return error;
    }
    return staged;
}

core::Result<StagedFile> FileStore::adopt(const std::filesystem::path& source) const
{
    static std::atomic<uint64_t> counter{0};
    auto staged = fingerprintFile(source);
    if (!staged) return staged.error();
    const uint64_t number = counter.fetch_add(1);
    const std::filesystem::path folder = m_stagingDir / std::to_string(number % kStagingFolders);
    if (auto ok = const_cast<FileStore*>(this)->ensureBucket(folder); !ok) return ok.error();
    staged->tempPath = folder / ("a" + std::to_string(number) + ".part");
    if (::rename(source.c_str(), staged->tempPath.c_str()) != 0) {
        if (errno == EXDEV) return stage(source);
        return ioError(source, "cannot move into the store");
    }
    ::chmod(staged->tempPath.c_str(), 0600); // whoever wrote it, the store's copy is private
    return staged;
}

core::Status FileStore::syncAll() const
{
    // syncfs flushes the whole file system holding the store in one call; far cheaper than an
    // fsync per small file, and it also makes the new directory entries durable.
    FileDescriptor dir(::open(m_storeDir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0) return ioError(m_storeDir, "cannot open store");
    if (::syncfs(dir.get()) != 0) return ioError(m_storeDir, "syncfs failed");
    return {};
}

core::Status FileStore::ensureBucket(const std::filesystem::path& dir)
{
    const std::string key = dir.string();
    {
        std::lock_guard lock(m_bucketsMutex);
        if (m_knownBuckets.count(key)) return {};
    }
    if (auto ok = createPrivateDirectories(dir); !ok) return ok;
    std::lock_guard lock(m_bucketsMutex);
    m_knownBuckets.insert(key);
    return {};
}

core::Result<PublishOutcome> FileStore::publish(const StagedFile& staged, const std::string& relativePath)
{
    const std::filesystem::path target = m_storeDir / relativePath;
    if (auto ok = ensureBucket(target.parent_path()); !ok) return ok.error();
    PublishOutcome outcome = PublishOutcome::Stored;
    if (::link(staged.tempPath.c_str(), target.c_str()) != 0) {
        if (errno != EEXIST) return ioError(target, "cannot link into the store");
        auto same = filesHaveSameContent(staged.tempPath, target);
        if (!same) return same.error();
        outcome = *same ? PublishOutcome::IdenticalThere : PublishOutcome::DifferentThere;
    }
    if (outcome != PublishOutcome::DifferentThere) ::unlink(staged.tempPath.c_str());
    return outcome;
}

core::Status FileStore::remove(const std::string& relativePath) const
{
    const std::filesystem::path target = m_storeDir / relativePath;
    if (::unlink(target.c_str()) != 0 && errno != ENOENT) return ioError(target, "cannot remove");
    return {};
}

core::Result<StagedFile> fingerprintFile(const std::filesystem::path& file)
{
    FileDescriptor in(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.get() < 0) return ioError(file, "cannot open");
    StagedFile result;
    result.tempPath = file;
    if (auto ok = readHashAndCopy(in.get(), file, -1, {}, result.size, result.contentHash); !ok) return ok.error();
    return result;
}

core::Result<bool> filesHaveSameContent(const std::filesystem::path& a, const std::filesystem::path& b)
{
    struct stat infoA {}, infoB {};
    if (::stat(a.c_str(), &infoA) != 0) return ioError(a, "cannot stat");
    if (::stat(b.c_str(), &infoB) != 0) return ioError(b, "cannot stat");
    if (infoA.st_size != infoB.st_size) return false;
    if (infoA.st_dev == infoB.st_dev && infoA.st_ino == infoB.st_ino) return true;
    FileDescriptor inA(::open(a.c_str(), O_RDONLY | O_CLOEXEC));
    FileDescriptor inB(::open(b.c_str(), O_RDONLY | O_CLOEXEC));
    if (inA.get() < 0) return ioError(a, "cannot open");
    if (inB.get() < 0) return ioError(b, "cannot open");
    std::vector<char> bufferA(1 << 16), bufferB(1 << 16);
    for (;;) {
        const ssize_t gotA = ::read(inA.get(), bufferA.data(), bufferA.size());
        if (gotA < 0) return ioError(a, "read failed");
        if (gotA == 0) return true;
        ssize_t gotB = 0;
        while (gotB < gotA) {
            const ssize_t got = ::read(inB.get(), bufferB.data() + gotB, static_cast<size_t>(gotA - gotB));
            if (got < 0) return ioError(b, "read failed");
            if (got == 0) return false;
            gotB += got;
        }
        if (std::memcmp(bufferA.data(), bufferB.data(), static_cast<size_t>(gotA)) != 0) return false;
    }
}

} // namespace lb::cache
