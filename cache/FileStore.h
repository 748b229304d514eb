#pragma once
// The file store: DICOM files under <cache>/store/, one per SOP Instance UID, at a path derived
// from the UID alone (so two processes storing the same instance meet at the same path).
//
// Writing is crash-safe in three steps, driven by the importer:
//   stage()   copies the source into <cache>/tmp/<owner>/ and fingerprints it;
//   publish() hard-links the staged file to its final path, never replacing an existing file
//             (link() fails with EEXIST: the no-replace rename POSIX gives us), then unlinks
//             the temp name;
//   syncAll() makes bytes and names durable (one syncfs for a whole batch, not one fsync each).
// The index row is committed only after publish() and syncAll(); the importer's pending rows,
// committed before publish(), let recovery remove what a crash leaves in between.
#include "core/Result.h"

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>

namespace lb::cache {

struct StagedFile {
    std::filesystem::path tempPath;
    uint64_t size = 0;
    std::string contentHash;
};

enum class PublishOutcome {
    Stored,          // the file is now in the store
    IdenticalThere,  // the same bytes were already at that path
    DifferentThere,  // another file with this UID is there: a conflict, nothing was replaced;
                     // the staged file stays where it is, for the caller to quarantine
};

class FileStore {
public:
    FileStore(std::filesystem::path storeDir, std::filesystem::path stagingDir);

    // "ab/<uid>.dcm": the bucket comes from a hash of the UID; the name is the UID itself
    // when it is a well-formed UID, else its hex encoding (hostile UIDs never reach the path).
    static core::Result<std::string> relativePathFor(const std::string& sopInstanceUid);

    core::Result<StagedFile> stage(const std::filesystem::path& source) const;
    // Like stage(), for a file that is ours to take and on the store's file system (the network
    // spool): fingerprinted, then moved into staging instead of copied (falls back to a copy
    // across file systems).
    core::Result<StagedFile> adopt(const std::filesystem::path& source) const;
    core::Status syncAll() const;
    core::Result<PublishOutcome> publish(const StagedFile& staged, const std::string& relativePath);
    core::Status remove(const std::string& relativePath) const;

    std::filesystem::path absolutePath(const std::string& relativePath) const { return m_storeDir / relativePath; }
    const std::filesystem::path& storeDir() const { return m_storeDir; }

private:
    core::Status ensureBucket(const std::filesystem::path& dir);
    std::filesystem::path m_storeDir;
    std::filesystem::path m_stagingDir;
    std::mutex m_bucketsMutex;
    std::set<std::string> m_knownBuckets;
};

// Size and fingerprint of a file as it is on disk.
core::Result<StagedFile> fingerprintFile(const std::filesystem::path& file);
// true when both files have exactly the same bytes.
core::Result<bool> filesHaveSameContent(const std::filesystem::path& a, const std::filesystem::path& b);

} // namespace lb::cache
