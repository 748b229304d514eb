#pragma once
// The composition root: one object, built by the workstation's `main` (and by tests), that owns
// the cache, the job board, the transfer queue and the services over them. Widgets get their
// services from here and never see the cache, netclient, DCMTK or SQLite behind them.
#include "app/services/CacheMaintenance.h"
#include "app/services/ImportService.h"
#include "app/services/Jobs.h"
#include "app/services/NodeDirectory.h"
#include "app/services/RemoteQuery.h"
#include "app/services/SeriesLoader.h"
#include "app/services/StudyCatalogue.h"
#include "app/services/ViewingSession.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace lb::cache {
class LocalCache;
}

namespace lb::app {

class TransferQueue;

class Workstation {
public:
    // Opens the cache at `root` (read-only when another process holds its writer lock: then it
    // browses and views only) and builds the services. Fails when the cache cannot be opened.
    // `runTransfers` false: no transfer queue in this process (a CLI listing must not start the
    // transfers someone queued).
    static core::Result<std::unique_ptr<Workstation>> open(const std::filesystem::path& root, bool runTransfers = true);
    // $LIGHTBOX_CACHE, else the platform's data folder (as the CLI's --cache default).
    static std::filesystem::path defaultCacheRoot();
    // Over a cache opened already (tests, tools).
    static core::Result<std::unique_ptr<Workstation>> adopt(std::unique_ptr<cache::LocalCache> cache, bool runTransfers = true);
    ~Workstation(); // stops the transfer queue (running transfers go back to 'queued'), cancels jobs

    bool readOnly() const;
    std::filesystem::path cacheRoot() const;
    const std::string& sessionStart() const { return m_sessionStart; } // UTC, as the cache stores "added"

    JobBoard& jobs() { return *m_jobs; }
    StudyCatalogue& catalogue() { return *m_catalogue; }
    ImportService& imports() { return *m_import; }
    CacheMaintenance& maintenance() { return *m_maintenance; }
    NodeDirectory& nodes() { return *m_nodes; }
    RemoteQuery& remote() { return *m_remote; }
    SeriesLoader& loader() { return *m_loader; }
    ViewingSession& session() { return *m_session; }

    // Transfers (the persisted queue): null when this process does not run the cache's queue.
    bool transfersAvailable() const { return m_queue != nullptr; }
    QString transfersProblem() const { return m_queueProblem; }
    // Job id ("T<n>") or the reason it could not be queued.
    // `priority`: higher runs first (0 for what the user asked; priors fetched ahead are lower).
    core::Result<QString> retrieve(const std::string& node, const std::string& studyUid, const std::string& seriesUid = {},
                                   int priority = 0);
    // A transfer's state ("queued", "running", "done", "failed", "cancelled") and last error;
    // nullopt for an unknown id.
    std::optional<std::pair<std::string, std::string>> transferState(const QString& id);
    core::Result<QString> send(const std::string& node, const std::string& studyUid, const std::string& seriesUid = {});
    TransferQueue* transferQueue() { return m_queue.get(); } // its signals (jobs done, progress)

private:
    explicit Workstation(std::unique_ptr<cache::LocalCache> cache);
    std::unique_ptr<cache::LocalCache> m_cache;
    std::string m_sessionStart;
    std::unique_ptr<JobBoard> m_jobs;
    std::unique_ptr<StudyCatalogue> m_catalogue;
    std::unique_ptr<CacheMaintenance> m_maintenance;
    std::unique_ptr<ImportService> m_import;
    std::unique_ptr<NodeDirectory> m_nodes;
    std::unique_ptr<RemoteQuery> m_remote;
    std::unique_ptr<SeriesLoader> m_loader;
    std::unique_ptr<ViewingSession> m_session;
    std::unique_ptr<TransferQueue> m_queue;
    QString m_queueProblem;
};

} // namespace lb::app
