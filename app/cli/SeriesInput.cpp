#include "app/cli/SeriesInput.h"

#include "app/cli/CliOutput.h"
#include "cache/InputCollector.h"
#include "cache/LocalCache.h"
#include "cache/StoredFileCheck.h"
#include "cache/StudyQuery.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>

namespace lb::app::cli {

namespace {

struct Input {
    std::vector<std::filesystem::path> files;
    // A series of the cache: its rows (in the order of `files`) and the store they are in.
    std::vector<cache::InstanceRow> rows;
    std::filesystem::path storeDir;
    bool cached = false;
};

std::optional<Input> resolveInput(const CliOptions& options, const std::string& target, int& exitCode)
{
    std::error_code ec;
    if (std::filesystem::exists(target, ec)) return Input{cache::collectImportInputs({target}).files, {}, {}, false};
    auto cache = cache::LocalCache::openForReading(options.cacheDir);
    if (!cache) {
        exitCode = fail(cache.error());
        return std::nullopt;
    }
    auto rows = cache::StudyQuery((*cache)->connection()).instances(target);
    if (!rows) {
        exitCode = fail(rows.error());
        return std::nullopt;
    }
    if (rows->empty()) {
        exitCode = fail(target + ": neither a file or folder nor a series in the cache", kExitNotFound);
        return std::nullopt;
    }
    Input input;
    input.cached = true;
    input.storeDir = (*cache)->store().storeDir();
    for (const auto& row : *rows) input.files.push_back((*cache)->store().absolutePath(row.filePath));
    input.rows = std::move(*rows);
    return input;
}

std::string joined(const std::vector<std::string>& parts, const char* separator)
{
    std::string text;
    for (size_t i = 0; i < parts.size(); ++i) text += (i ? separator : "") + parts[i];
    return text;
}

// The assembler's "N of M files unreadable: D1: reason1; D2: reason2" split into (D, reason),
// where every D is one of `described` (the names describeFile gave it). nullopt when `line` is
// not that line or does not split so.
std::optional<std::vector<std::pair<std::string, std::string>>> splitUnreadableLine(const std::string& line,
                                                                                    const std::set<std::string>& described)
{
    static const std::string kMarker = " files unreadable: ";
    const size_t marker = line.find(kMarker);
    if (marker == std::string::npos || line.find_first_not_of("0123456789 of") < marker) return std::nullopt;
    const size_t body = marker + kMarker.size();
    std::vector<std::pair<size_t, std::string>> starts; // where each entry begins, and its name
    for (const auto& name : described)
        for (size_t at = line.find(name + ": ", body); at != std::string::npos; at = line.find(name + ": ", at + 1))
            if (at == body || line.compare(at - 2, 2, "; ") == 0) starts.push_back({at, name});
    std::sort(starts.begin(), starts.end());
    if (starts.empty() || starts.front().first != body) return std::nullopt;
    std::vector<std::pair<std::string, std::string>> entries;
    for (size_t i = 0; i < starts.size(); ++i) {
        const size_t from = starts[i].first + starts[i].second.size() + 2;
        const size_t to = i + 1 < starts.size() ? starts[i + 1].first - 2 : line.size();
        entries.push_back({starts[i].second, line.substr(from, to - from)});
    }
    return entries;
}

// Puts what the check of stored files found into a volume's warnings, one line per kind:
//   "N of M files unreadable: D: reason; ..."   the assembler's line, with the check's reason
//                                               for a file it explains ("truncated: ..."), plus
//                                               damaged files the assembler skipped (a file cut
//                                               before its SOP Instance UID is "not DICOM" to it)
//   "N of M files changed since import: D; ..." changed files the assembler did read: they are
//                                               shown, with bytes that are not those imported
//   "N of M files missing from the store: D; ..."
// D = cache::describeStoredInstance; M = the series' instances in the cache. `described`: the
// names the assembler gave files it could not read; `skipped`: the names of files it skipped.
void addStoredFileWarnings(std::vector<std::string>& warnings, const std::vector<cache::StoredFileFinding>& findings,
                           const std::set<std::string>& described, const std::set<std::string>& skipped, size_t total)
{
    std::vector<std::pair<std::string, std::string>> unreadable;
    auto line = warnings.end();
    for (auto it = warnings.begin(); it != warnings.end(); ++it) {
        if (auto entries = splitUnreadableLine(*it, described)) {
            unreadable = std::move(*entries);
            line = it;
            break;
        }
    }
    std::vector<std::string> changed, missing;
    for (const auto& finding : findings) {
        const std::string name = cache::describeStoredInstance(finding.instanceNumber, finding.sopInstanceUid);
        auto entry = std::find_if(unreadable.begin(), unreadable.end(), [&](const auto& e) { return e.first == name; });
        if (entry != unreadable.end()) entry->second = finding.reason; // plainer than the decoder's
        else if (finding.kind == cache::StoredFileProblem::Missing) missing.push_back(name);
        else if (finding.kind == cache::StoredFileProblem::Changed && !skipped.count(name)) changed.push_back(name);
        else unreadable.push_back({name, finding.reason});
    }
    const std::string of = " of " + std::to_string(total) + " files ";
    if (!unreadable.empty()) {
        std::vector<std::string> parts;
        for (const auto& [name, reason] : unreadable) parts.push_back(name + ": " + reason);
        std::string text = std::to_string(unreadable.size()) + of + "unreadable: " + joined(parts, "; ");
        if (line != warnings.end()) *line = std::move(text);
        else warnings.push_back(std::move(text));
    }
    if (!changed.empty()) warnings.push_back(std::to_string(changed.size()) + of + "changed since import: " + joined(changed, "; "));
    if (!missing.empty()) warnings.push_back(std::to_string(missing.size()) + of + "missing from the store: " + joined(missing, "; "));
}

} // namespace

// The files of a series in the cache, or of a file/folder/DICOMDIR on disk.
std::optional<std::vector<std::filesystem::path>> inputFiles(const CliOptions& options, int& exitCode)
{
    auto input = resolveInput(options, options.arguments[0], exitCode);
    if (!input) return std::nullopt;
    return std::move(input->files);
}

std::optional<core::LoadedVolumes> loadVolumes(const CliOptions& options, int& exitCode)
{
    return loadVolumesOf(options, options.arguments[0], exitCode);
}

std::optional<core::LoadedVolumes> loadVolumesOf(const CliOptions& options, const std::string& target, int& exitCode)
{
    auto input = resolveInput(options, target, exitCode);
    if (!input) return std::nullopt;
    core::VolumeLoadOptions loadOptions;
    std::map<std::string, const cache::InstanceRow*> rowOfFile;
    std::mutex describedMutex;
    std::set<std::string> described; // the files the assembler could not read, as it named them
    if (input->cached) {
        for (size_t i = 0; i < input->files.size(); ++i) rowOfFile[input->files[i].string()] = &input->rows[i];
        loadOptions.describeFile = [&](const std::filesystem::path& file) {
            auto row = rowOfFile.find(file.string());
            std::string name = row == rowOfFile.end() ? file.filename().string()
                                                      : cache::describeStoredInstance(row->second->instanceNumber, row->second->sopInstanceUid);
            std::lock_guard lock(describedMutex);
            described.insert(name);
            return name;
        };
    }
    // After the load the files are in the page cache: the check costs little more than hashing
    // them (figures in cache/StoredFileCheck.h). It runs once, when the first volume is finished
    // (or after a load that made none).
    std::optional<core::Result<std::vector<cache::StoredFileFinding>>> findings;
    auto check = [&]() -> const core::Result<std::vector<cache::StoredFileFinding>>& {
        if (!findings) findings = cache::checkStoredFiles(input->storeDir, input->rows);
        return *findings;
    };
    if (input->cached) {
        loadOptions.finishVolume = [&](core::Volume& volume, const std::vector<std::string>& skippedFiles) {
            const auto& found = check();
            if (!found) return;
            // Files the assembler skipped ("FILE: reason"), by their names in the warnings.
            std::set<std::string> skipped;
            for (const auto& [file, row] : rowOfFile)
                for (const auto& message : skippedFiles)
                    if (message.rfind(file + ": ", 0) == 0) skipped.insert(cache::describeStoredInstance(row->instanceNumber, row->sopInstanceUid));
            addStoredFileWarnings(volume.warnings, *found, described, skipped, input->rows.size());
        };
    }
    auto loaded = core::assembleVolumes(input->files, loadOptions);
    if (!input->cached) {
        if (!loaded) {
            exitCode = fail(loaded.error());
            return std::nullopt;
        }
        return std::move(*loaded);
    }
    if (const auto& found = check(); !found) {
        exitCode = fail(found.error());
        return std::nullopt;
    }
    if (!loaded) {
        // Nothing to show: say what the check found before the assembler's reason.
        std::vector<std::string> lines;
        addStoredFileWarnings(lines, *check(), {}, {}, input->rows.size());
        for (const auto& line : lines) std::fprintf(stderr, "lightbox-cli: %s\n", line.c_str());
        exitCode = fail(loaded.error());
        return std::nullopt;
    }
    return std::move(*loaded);
}

std::shared_ptr<const core::Volume> chooseStack(const core::LoadedVolumes& loaded, std::optional<int> stack)
{
    if (stack) return *stack >= 0 && *stack < static_cast<int>(loaded.volumes.size()) ? loaded.volumes[*stack] : nullptr;
    return core::largestVolume(loaded);
}

std::shared_ptr<const core::Volume> loadStack(const CliOptions& options, std::optional<int> stack, int& exitCode)
{
    return loadStackOf(options, options.arguments[0], stack, exitCode);
}

std::shared_ptr<const core::Volume> loadStackOf(const CliOptions& options, const std::string& target, std::optional<int> stack, int& exitCode)
{
    auto loaded = loadVolumesOf(options, target, exitCode);
    if (!loaded) return nullptr;
    auto volume = chooseStack(*loaded, stack);
    if (!volume) exitCode = fail("no such stack (see `lightbox-cli volume`)", kExitNotFound);
    return volume;
}

} // namespace lb::app::cli
