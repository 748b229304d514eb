#include "cache/InputCollector.h"

#include "core/DicomDirReader.h"

#include <algorithm>

namespace lb::cache {

namespace {

bool insideFolder(const std::filesystem::path& file, const std::filesystem::path& root)
{
    std::error_code ec;
    const auto target = std::filesystem::canonical(file, ec);
    if (ec) return false;
    auto relative = target.lexically_relative(root);
    return !relative.empty() && *relative.begin() != "..";
}

void walkFolder(const std::filesystem::path& folder, CollectedInputs& out)
{
    std::error_code ec;
    const auto root = std::filesystem::canonical(folder, ec);
    std::filesystem::recursive_directory_iterator it(folder, std::filesystem::directory_options::skip_permission_denied, ec);
    if (ec) {
        out.rejected.emplace_back(folder.string(), "cannot read folder: " + ec.message());
        return;
    }
    const std::filesystem::recursive_directory_iterator end;
    std::vector<std::filesystem::path> found;
    for (; it != end; it.increment(ec)) {
        if (ec) {
            out.rejected.emplace_back(it->path().string(), "cannot read: " + ec.message());
            ec.clear();
            continue;
        }
        std::error_code typeError;
        if (!it->is_regular_file(typeError)) continue;
        if (core::looksLikeDicomDir(it->path())) continue;
        if (it->is_symlink(typeError) && !insideFolder(it->path(), root)) {
            // The user chose this folder; a link elsewhere (another patient's files, /etc) is
            // not part of what they asked to import.
            out.rejected.emplace_back(it->path().string(), "symbolic link that leads out of the imported folder");
            continue;
        }
        found.push_back(it->path());
    }
    // A stable order makes imports (and their reports) reproducible.
    std::sort(found.begin(), found.end());
    out.files.insert(out.files.end(), found.begin(), found.end());
}

void followDicomDir(const std::filesystem::path& file, CollectedInputs& out)
{
    auto contents = core::readDicomDir(file);
    if (!contents) {
        out.rejected.emplace_back(file.string(), contents.error().reason);
        return;
    }
    for (const auto& reference : contents->references) {
        if (reference.problem.empty()) out.files.push_back(reference.resolved);
        else out.rejected.emplace_back((contents->root / reference.fileId).string(), reference.problem);
    }
}

} // namespace

CollectedInputs collectImportInputs(const std::vector<std::filesystem::path>& paths)
{
    CollectedInputs out;
    for (const auto& path : paths) {
        std::error_code ec;
        const auto status = std::filesystem::status(path, ec);
        if (ec || !std::filesystem::exists(status)) {
            out.rejected.emplace_back(path.string(), "no such file or folder");
        } else if (std::filesystem::is_directory(status)) {
            walkFolder(path, out);
        } else if (core::looksLikeDicomDir(path)) {
            followDicomDir(path, out);
        } else {
            out.files.push_back(path);
        }
    }
    return out;
}

} // namespace lb::cache
