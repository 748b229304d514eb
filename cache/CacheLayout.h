#pragma once
// Where a cache keeps what: <root>/index.sqlite, <root>/store/ (the DICOM files, in folders
// hashed from the SOP Instance UID), <root>/tmp/<owner>/ (files being written), <root>/locks/,
// <root>/incoming/<owner>/ (instances received from the network, waiting to be imported).
// Everything is private to the user: folders 0700, files 0600.
#include "core/Result.h"

#include <filesystem>
#include <string>

namespace lb::cache {

class CacheLayout {
public:
    explicit CacheLayout(std::filesystem::path root) : m_root(std::move(root)) {}

    // Creates the folders (0700) if needed.
    core::Status create() const;

    const std::filesystem::path& root() const { return m_root; }
    std::filesystem::path indexFile() const { return m_root / "index.sqlite"; }
    std::filesystem::path storeDir() const { return m_root / "store"; }
    std::filesystem::path tmpDir() const { return m_root / "tmp"; }
    std::filesystem::path locksDir() const { return m_root / "locks"; }
    std::filesystem::path incomingDir() const { return m_root / "incoming"; }
    std::filesystem::path quarantineDir() const { return m_root / "quarantine"; }

    // The default cache: $LIGHTBOX_CACHE, else $XDG_DATA_HOME/lightbox, else ~/.local/share/lightbox.
    static std::filesystem::path defaultRoot();

private:
    std::filesystem::path m_root;
};

// Creates `dir` and missing parents with mode 0700 (existing folders are left as they are).
core::Status createPrivateDirectories(const std::filesystem::path& dir);

} // namespace lb::cache
