#include "app/services/ImportService.h"

#include "cache/Importer.h"
#include "cache/LocalCache.h"

#include <memory>

namespace lb::app {

ImportService::ImportService(std::filesystem::path cacheRoot, JobBoard& jobs) : m_root(std::move(cacheRoot)), m_jobs(jobs) {}

core::Result<ImportOutcome> ImportService::importNow(const std::filesystem::path& cacheRoot,
                                                     const std::vector<std::filesystem::path>& paths,
                                                     const std::function<void(int64_t, int64_t)>& onProgress,
                                                     const core::CancelToken* cancel)
{
    auto cache = cache::LocalCache::open(cacheRoot);
    if (!cache) return cache.error();
    cache::ImportOptions options;
    options.cancel = cancel;
    if (onProgress) options.onProgress = [&onProgress](const cache::ImportProgress& progress) { onProgress(progress.done, progress.total); };
    auto report = cache::importIntoCache(**cache, paths, options);
    if (!report) return report.error();
    ImportOutcome outcome;
    outcome.state = report->cancelled ? JobState::Cancelled : JobState::Done;
    outcome.filesSeen = report->filesSeen;
    outcome.imported = report->imported;
    outcome.alreadyPresent = report->alreadyPresent;
    outcome.bytesImported = report->bytesImported;
    for (const auto& issue : report->rejected) outcome.rejected.push_back({issue.file, issue.reason, {}});
    for (const auto& conflict : report->conflicts) outcome.conflicts.push_back({conflict.file, conflict.reason, conflict.sopInstanceUid});
    for (const auto& warning : report->warnings) outcome.warnings.push_back({warning.file, warning.reason, {}});
    for (const auto& [uid, counts] : report->series) outcome.series.push_back({counts.studyUid, uid, counts.imported, counts.alreadyPresent});
    if (!outcome.rejected.empty())
        outcome.problem = std::to_string(outcome.rejected.size()) + " files rejected, e.g. " + outcome.rejected.front().file + ": " +
                          outcome.rejected.front().reason;
    return outcome;
}

QString ImportService::importPaths(const std::vector<std::filesystem::path>& paths,
                                   std::function<void(const ImportOutcome&)> onFinished)
{
    std::string what;
    for (const auto& path : paths) what += (what.empty() ? "" : ", ") + path.string();
    auto outcome = std::make_shared<ImportOutcome>();
    auto work = [root = m_root, paths, outcome](JobContext& context) -> JobOutcome {
        auto done = importNow(root, paths, [&context](int64_t files, int64_t total) { context.progress(files, total); }, &context.cancel());
        if (!done) {
            outcome->problem = done.error().message();
            return JobOutcome::from(done.error());
        }
        *outcome = std::move(*done);
        if (outcome->state == JobState::Cancelled) return JobOutcome::from(core::makeError(core::ErrorCode::Cancelled, "", "cancelled"));
        JobOutcome finished;
        // Done, with the rejections as its note in the panel (what was readable is in).
        if (!outcome->rejected.empty()) finished.error = core::makeError(core::ErrorCode::Malformed, "", outcome->problem);
        return finished;
    };
    return m_jobs.start(JobKind::Import, QString::fromStdString(what), {}, std::move(work),
                        [outcome, onFinished = std::move(onFinished)](const JobOutcome& result) {
                            outcome->state = result.state;
                            if (outcome->problem.empty() && result.error) outcome->problem = result.error->message();
                            if (onFinished) onFinished(*outcome);
                        });
}

} // namespace lb::app
