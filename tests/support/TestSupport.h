#pragma once
// Shared helpers for Lightbox tests: where the real data is, temporary folders, running the
// CLI and Debian's python (pydicom) as independent oracles.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace lb::test {

std::filesystem::path testData();  // tests/data: real series with their oracles and licences
// The folders of tests/data copied from the shared test data (every one but derived/, the
// series this project made from them: tests/data/derived/README.md).
std::vector<std::filesystem::path> sharedTestDataFolders();
bool isDerivedTestData(const std::filesystem::path& file);
std::filesystem::path pydicomTestFiles(); // pydicom/data/test_files
std::filesystem::path pydicomCharsetFiles();
std::filesystem::path sourceDir();
std::filesystem::path binaryDir();

nlohmann::json readJson(const std::filesystem::path& file);

// A fresh folder under $TMPDIR, removed with everything in it at destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

struct CommandResult {
    int exitCode = -1;
    std::string out; // stdout only; stderr goes to the test log
};

// Runs `command` through /bin/sh and captures stdout.
CommandResult runCommand(const std::string& command);
std::string shellQuote(const std::string& text);

// Runs an inline python script with Debian's interpreter (which sees python3-pydicom).
CommandResult runPython(const std::string& script, const std::vector<std::string>& arguments = {});

CommandResult runPythonFile(const std::filesystem::path& script, const std::vector<std::string>& arguments = {});

std::string readFileBytes(const std::filesystem::path& file);
void writeFileBytes(const std::filesystem::path& file, const std::string& bytes);

std::vector<std::filesystem::path> filesUnder(const std::filesystem::path& dir);
void copyTree(const std::filesystem::path& from, const std::filesystem::path& to);
std::vector<std::string> splitLines(const std::string& text);
std::vector<std::string> splitTabs(const std::string& line);

} // namespace lb::test
