#include "app/services/ImportService.h"

#include "cache/Importer.h"
#include "cache/LocalCache.h"

#include <memory>

namespace lb::app {

ImportService::ImportService(std::filesystem::path cacheRoot, JobBoard& jobs) : m_root(std::move(cacheRoot)), m_jobs(jobs) {}

QString ImportService::importPaths(const std::vector<std::filesystem::path>& paths,
                                   std::function<void(const ImportOutcome&)> onFinished)
{
    std::string what;
    for (const auto& path : paths) what += (what.empty() ? "" : ", ") + path.string();
    auto outcome = std::make_shared<ImportOutcome>();
    auto work = [root = m_root, paths, outcome](JobContext& context) -> JobOutcome {
        auto cache = cache::LocalCache::open(root);
        if (!cache) return JobOutcome::from(cache.error());
        cache::ImportOptions options;
        options.cancel = &context.cancel();
        options.onProgress = [&context](const cache::ImportProgress& progress) { context.progress(progress.done, progress.total); };
        auto result = cache::importIntoCache(**cache, paths, options);
        if (!result) {
            outcome->problem = result.error().message();
            return JobOutcome::from(result.error());
        }
        outcome->imported = static_cast<int>(result->imported);
        outcome->alreadyPresent = static_cast<int>(result->alreadyPresent);
        for (const auto& issue : result->rejected) outcome->rejected.push_back(issue.file + ": " + issue.reason);
        if (!result->rejected.empty())
            outcome->problem = std::to_string(result->rejected.size()) + " files rejected, e.g. " + outcome->rejected.front();
        if (result->cancelled) return JobOutcome::from(core::makeError(core::ErrorCode::Cancelled, "", "cancelled"));
        JobOutcome done;
        // Done, with the rejections as its note in the panel (what was readable is in).
        if (!result->rejected.empty()) done.error = core::makeError(core::ErrorCode::Malformed, "", outcome->problem);
        return done;
    };
    return m_jobs.start(JobKind::Import, QString::fromStdString(what), {}, std::move(work),
                        [outcome, onFinished = std::move(onFinished)](const JobOutcome& result) {
                            outcome->state = result.state;
                            if (outcome->problem.empty() && result.error) outcome->problem = result.error->message();
                            if (onFinished) onFinished(*outcome);
                        });
}

} // namespace lb::app
