#include "tests/support/TestSupport.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sys/wait.h>

namespace lb::test {

std::filesystem::path testData() { return LB_TEST_DATA; }

std::vector<std::filesystem::path> sharedTestDataFolders()
{
    std::vector<std::filesystem::path> folders;
    for (const auto& entry : std::filesystem::directory_iterator(testData()))
        if (entry.path().filename() != "derived") folders.push_back(entry.path());
    std::sort(folders.begin(), folders.end());
    return folders;
}

bool isDerivedTestData(const std::filesystem::path& file)
{
    const auto relative = std::filesystem::relative(file, testData());
    return !relative.empty() && *relative.begin() == "derived";
}
std::filesystem::path pydicomTestFiles() { return std::filesystem::path(LB_PYDICOM_DATA) / "test_files"; }
std::filesystem::path pydicomCharsetFiles() { return std::filesystem::path(LB_PYDICOM_DATA) / "charset_files"; }
std::filesystem::path sourceDir() { return LB_SOURCE_DIR; }
std::filesystem::path binaryDir() { return LB_BINARY_DIR; }

nlohmann::json readJson(const std::filesystem::path& file)
{
    std::ifstream in(file);
    return nlohmann::json::parse(in);
}

TempDir::TempDir()
{
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/lightbox-test-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    m_path = pattern;
}

TempDir::~TempDir()
{
    std::error_code ec;
    std::filesystem::permissions(m_path, std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(m_path, ec);
}

std::string shellQuote(const std::string& text)
{
    std::string quoted = "'";
    for (char c : text) {
        if (c == '\'') quoted += "'\\''";
        else quoted += c;
    }
    return quoted + "'";
}

CommandResult runCommand(const std::string& command)
{
    CommandResult result;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return result;
    std::array<char, 4096> buffer{};
    size_t got = 0;
    while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), got);
    const int status = ::pclose(pipe);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return result;
}

CommandResult runPython(const std::string& script, const std::vector<std::string>& arguments)
{
    std::string command = std::string(LB_SYSTEM_PYTHON) + " -c " + shellQuote(script);
    for (const auto& argument : arguments) command += " " + shellQuote(argument);
    return runCommand(command);
}

CommandResult runPythonFile(const std::filesystem::path& script, const std::vector<std::string>& arguments)
{
    std::string command = std::string(LB_SYSTEM_PYTHON) + " " + shellQuote(script.string());
    for (const auto& argument : arguments) command += " " + shellQuote(argument);
    return runCommand(command);
}

std::string readFileBytes(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void writeFileBytes(const std::filesystem::path& file, const std::string& bytes)
{
    std::ofstream(file, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::filesystem::path> filesUnder(const std::filesystem::path& dir)
{
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
        if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

void copyTree(const std::filesystem::path& from, const std::filesystem::path& to)
{
    std::filesystem::create_directories(to);
    std::filesystem::copy(from, to, std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
    // ../shared is read-only; copies must be writable so tests can damage them.
    for (const auto& entry : std::filesystem::recursive_directory_iterator(to))
        std::filesystem::permissions(entry.path(), std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
}

std::vector<std::string> splitLines(const std::string& text)
{
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

std::vector<std::string> splitTabs(const std::string& line)
{
    std::vector<std::string> fields;
    size_t start = 0;
    for (;;) {
        size_t end = line.find('\t', start);
        fields.push_back(line.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return fields;
}

} // namespace lb::test
