#include "core/DicomDirReader.h"

#include "core/DicomHeaderReader.h"
#include "core/internal/BoundedLoad.h"
#include "core/internal/DatasetText.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace lb::core {

namespace {

std::string upper(std::string text)
{
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

// Resolves one component inside `dir`: as written, else the one entry equal ignoring case.
std::optional<std::filesystem::path> findComponent(const std::filesystem::path& dir, const std::string& component)
{
    std::error_code ec;
    if (std::filesystem::exists(dir / component, ec)) return dir / component;
    const std::string wanted = upper(component);
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (upper(entry.path().filename().string()) == wanted) return entry.path();
    return std::nullopt;
}

bool isSafeComponent(const std::string& component)
{
    return !component.empty() && component != "." && component != ".."
        && component.find_first_of("/\\:") == std::string::npos && component.find('\0') == std::string::npos;
}

DicomDirReference resolve(const std::filesystem::path& root, const std::filesystem::path& canonicalRoot,
                          const std::vector<std::string>& components)
{
    DicomDirReference reference;
    for (const auto& component : components) reference.fileId += (reference.fileId.empty() ? "" : "/") + component;
    for (const auto& component : components) {
        if (!isSafeComponent(component)) {
            reference.problem = "refused: path component '" + component + "' would leave the medium";
            return reference;
        }
    }
    std::filesystem::path current = root;
    for (const auto& component : components) {
        auto next = findComponent(current, component);
        if (!next) {
            reference.problem = "referenced file is missing from the medium";
            return reference;
        }
        current = *next;
    }
    std::error_code ec;
    const auto canonical = std::filesystem::canonical(current, ec);
    if (ec) {
        reference.problem = "cannot resolve: " + ec.message();
        return reference;
    }
    const auto relative = canonical.lexically_relative(canonicalRoot);
    if (relative.empty() || *relative.begin() == "..") {
        reference.problem = "refused: resolves outside the medium (symbolic link)";
        return reference;
    }
    reference.resolved = canonical;
    return reference;
}

} // namespace

bool looksLikeDicomDir(const std::filesystem::path& file)
{
    return upper(file.filename().string()) == "DICOMDIR";
}

Result<DicomDirContents> readDicomDir(const std::filesystem::path& dicomDirFile)
{
    quietDcmtkLogging();
    const std::string name = dicomDirFile.string();
    DcmFileFormat fileFormat;
    const internal::BoundedLoad bounded = internal::loadBounded(fileFormat, dicomDirFile, 4096);
    if (!bounded.refused.empty()) return makeError(ErrorCode::Malformed, name, bounded.refused);
    const OFCondition loaded = bounded.condition;
    if (loaded.bad()) return makeError(ErrorCode::Malformed, name, std::string("unreadable DICOMDIR: ") + loaded.text());
    DcmSequenceOfItems* records = nullptr;
    if (fileFormat.getDataset()->findAndGetSequence(DCM_DirectoryRecordSequence, records).bad() || records == nullptr)
        return makeError(ErrorCode::Malformed, name, "not a DICOMDIR: no DirectoryRecordSequence (0004,1220)");

    DicomDirContents contents;
    contents.root = dicomDirFile.parent_path().empty() ? std::filesystem::path(".") : dicomDirFile.parent_path();
    std::error_code ec;
    const auto canonicalRoot = std::filesystem::canonical(contents.root, ec);
    if (ec) return makeError(ErrorCode::Io, contents.root.string(), ec.message());

    std::set<std::string> seen;
    for (unsigned long i = 0; i < records->card(); ++i) {
        DcmItem* record = records->getItem(i);
        OFString value;
        std::vector<std::string> components;
        DcmElement* fileId = internal::boundedElement(*record, DCM_ReferencedFileID, 1024);
        for (unsigned long k = 0; fileId && fileId->getOFString(value, k).good(); ++k) components.emplace_back(value.c_str());
        if (components.empty()) continue; // patient/study/series records reference no file
        DicomDirReference reference = resolve(contents.root, canonicalRoot, components);
        if (!seen.insert(reference.fileId).second) continue;
        contents.references.push_back(std::move(reference));
    }
    return contents;
}

} // namespace lb::core
