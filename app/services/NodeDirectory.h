#pragma once
// The remote nodes this workstation talks to and its own identity (AE title, storage port), as
// stored in the cache's index (the same settings as `lightbox-cli nodes` and `settings`).
#include "core/Result.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lb::app {

struct NodeEntry {
    std::string name;
    std::string aeTitle;
    std::string host;
    int port = 104;
    std::string retrieveMethod = "move"; // "move" | "get"
    int connectTimeoutSeconds = 10;
    int dimseTimeoutSeconds = 30;
    int maxAssociations = 2;
    bool tls = false;
    std::string tlsCa; // PEM files
    std::string tlsCert;
    std::string tlsKey;
};

class NodeDirectory {
public:
    explicit NodeDirectory(std::filesystem::path indexFile);

    std::vector<std::string> names() const; // empty when unreadable
    std::optional<NodeEntry> find(const std::string& name) const;
    core::Status save(const NodeEntry& node) const; // adds, or replaces the node of that name
    core::Status remove(const std::string& name) const;

    std::string localAeTitle() const; // default LIGHTBOX
    int storagePort() const;          // default 11112
    std::string listening() const;    // "127.0.0.1:11112, DICOM TLS only"; "" when unreadable
    core::Status saveLocal(const std::string& aeTitle, int storagePort) const;
    // AE titles: 1-16 printable ASCII characters without backslash; "" when fine.
    static std::string aeTitleProblem(const std::string& title);

    const std::filesystem::path& indexFile() const { return m_index; }

private:
    std::filesystem::path m_index;
};

} // namespace lb::app
