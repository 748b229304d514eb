// lightbox-cli import PATH...
#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"
#include "app/services/ImportService.h"

#include <chrono>
#include <cstdio>
#include <functional>
#include <unistd.h>

namespace lb::app::cli {

namespace {

QJsonObject reportToJson(const ImportOutcome& report, double seconds)
{
    QJsonArray rejected, conflicts, warnings;
    for (const auto& r : report.rejected) rejected.append(QJsonObject{{"file", qs(r.file)}, {"reason", qs(r.reason)}});
    for (const auto& c : report.conflicts)
        conflicts.append(QJsonObject{{"file", qs(c.file)}, {"sop_instance_uid", qs(c.sopInstanceUid)}, {"reason", qs(c.reason)}});
    for (const auto& w : report.warnings) warnings.append(QJsonObject{{"file", qs(w.file)}, {"warning", qs(w.reason)}});
    return QJsonObject{{"files_seen", static_cast<qint64>(report.filesSeen)},
                       {"imported", static_cast<qint64>(report.imported)},
                       {"already_present", static_cast<qint64>(report.alreadyPresent)},
                       {"bytes_imported", static_cast<qint64>(report.bytesImported)},
                       {"rejected", rejected},
                       {"conflicts", conflicts},
                       {"warnings", warnings},
                       {"seconds", seconds}};
}

void printText(const ImportOutcome& report, double seconds)
{
    std::printf("imported %lld, already present %lld, rejected %zu, conflicts %zu (%lld files, %.1f MB, %.2f s)\n",
                static_cast<long long>(report.imported), static_cast<long long>(report.alreadyPresent),
                report.rejected.size(), report.conflicts.size(), static_cast<long long>(report.filesSeen),
                static_cast<double>(report.bytesImported) / 1e6, seconds);
    for (const auto& r : report.rejected) std::printf("rejected: %s: %s\n", r.file.c_str(), r.reason.c_str());
    for (const auto& c : report.conflicts)
        std::printf("conflict: %s: SOP Instance UID %s: %s\n", c.file.c_str(), c.sopInstanceUid.c_str(), c.reason.c_str());
    for (const auto& w : report.warnings) std::printf("warning: %s: %s\n", w.file.c_str(), w.reason.c_str());
}

} // namespace

int runImport(const CliOptions& options)
{
    if (options.arguments.empty()) return fail("import needs at least one file or folder", kExitUsage);
    std::vector<std::filesystem::path> inputs(options.arguments.begin(), options.arguments.end());
    const bool showProgress = !options.json && ::isatty(STDERR_FILENO);
    std::function<void(int64_t, int64_t)> progress;
    if (showProgress)
        progress = [](int64_t done, int64_t total) {
            std::fprintf(stderr, "\rimporting %lld/%lld", static_cast<long long>(done), static_cast<long long>(total));
        };
    const auto started = std::chrono::steady_clock::now();
    auto report = ImportService::importNow(options.cacheDir, inputs, progress);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (showProgress) std::fputs("\n", stderr);
    if (!report) return fail(report.error());

    if (options.json) printJson(reportToJson(*report, seconds));
    else printText(*report, seconds);
    if (report->imported + report->alreadyPresent == 0)
        return fail("nothing was imported (" + std::to_string(report->rejected.size()) + " rejected, "
                        + std::to_string(report->conflicts.size()) + " conflicts)",
                    kExitNothingImported);
    return kExitOk;
}

} // namespace lb::app::cli
