#pragma once
// The background transfer queue: retrieves and sends, persisted in the cache's index so the
// queue survives a restart (a job found 'running' was interrupted and runs again; a retrieve
// then fetches only what is still missing).
//
// Scheduling: highest priority first (the series open in the viewer gets a higher one), then
// oldest; at most `maxRunning` jobs at once and at most the node's maxAssociations per node.
// One shared CacheImportSink indexes everything that arrives; the storage SCP (for C-MOVE) is
// started with the first move job and kept until the queue stops.
//
// Progress is emitted at most every `progressInterval` per job (and always at the end) from
// worker threads: connect with Qt::QueuedConnection from the GUI thread. While the queue
// lives it is the only writer through the LocalCache's connection (the sink's importer).
#include "app/services/CacheImportSink.h"
#include "cache/TransferJobs.h"
#include "netclient/RemoteNode.h"

#include <QObject>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace lb::netclient {
class StorageScp;
}

namespace lb::app {

struct TransferQueueOptions {
    int maxRunning = 4;
    std::chrono::milliseconds progressInterval{100};
    std::chrono::milliseconds pollInterval{250}; // for cancels made by another process
    int maxAttempts = 1;                          // automatic retries of a failed job (1: none)
};

struct JobProgress {
    int64_t id = 0;
    int done = 0;   // instances
    int total = -1; // -1: not known yet
    double megabytesPerSecond = 0;
    double etaSeconds = -1; // -1: unknown
};

class TransferQueue : public QObject {
    Q_OBJECT
public:
    // One runner per cache: takes <cache>/locks/transfer-queue.lock (Conflict when another
    // process holds it), then requeues the jobs a dead runner left 'running'. Other processes
    // may still add, cancel or retry jobs through the cache (cache/TransferJobs): the runner
    // polls for cancels.
    static core::Result<std::unique_ptr<TransferQueue>> open(cache::LocalCache& cache, TransferQueueOptions options = {});
    ~TransferQueue() override; // stop()

    core::Result<int64_t> enqueueRetrieve(const std::string& node, const std::string& studyUid,
                                          const std::string& seriesUid = {},
                                          std::optional<netclient::RetrieveMethod> method = {}, int priority = 0);
    core::Result<int64_t> enqueueSend(const std::string& node, const std::string& studyUid,
                                      const std::string& seriesUid = {}, int priority = 0);
    core::Status cancel(int64_t id);                    // queued or running -> cancelled
    core::Status retry(int64_t id);                     // failed or cancelled -> queued
    core::Status setPriority(int64_t id, int priority); // e.g. the series just opened

    void start();
    // Stops taking jobs, cancels the running ones (they go back to 'queued': interrupted, not
    // cancelled by anyone) and waits for them.
    void stop();
    // True when no job is queued or running (within `timeout`).
    bool waitUntilIdle(std::chrono::milliseconds timeout);
    core::Result<std::vector<cache::TransferJobRecord>> jobs();
    // The code of the error a job of this session last ended with (refused, timeout, ...): the
    // index keeps only its text.
    std::optional<core::ErrorCode> errorCodeOf(int64_t id) const;

signals:
    void jobProgress(qint64 id, int done, int total, double megabytesPerSecond, double etaSeconds);
    void jobStateChanged(qint64 id, QString state, QString error);

private:
    struct Running;
    TransferQueue(cache::LocalCache& cache, cache::SqliteConnection db, std::unique_ptr<CacheImportSink> sink,
                  TransferQueueOptions options, int lockFd);
    core::Result<int64_t> enqueue(const cache::TransferJobRecord& job);
    void dispatchLoop();
    bool startNextJobs(); // with m_mutex held; true when something started
    void runJob(cache::TransferJobRecord job, std::shared_ptr<Running> running);
    void runRetrieve(cache::TransferJobRecord& job, Running& running);
    void runSend(cache::TransferJobRecord& job, Running& running);
    void pollCancelsFromOtherProcesses();
    void finish(cache::TransferJobRecord& job, const std::string& state, const std::string& error);
    void finishWithError(cache::TransferJobRecord& job, const std::string& state, const core::Error& error);
    void reportProgress(Running& running, int done, int total, uint64_t bytes, bool final);
    core::Status ensureStorageScp();
    int maxAssociationsOf(const std::string& node);

    cache::LocalCache& m_cache;
    TransferQueueOptions m_options;
    int m_lockFd = -1;
    std::mutex m_dbMutex; // m_db is used from the dispatcher and the job threads
    cache::SqliteConnection m_db;
    std::unique_ptr<CacheImportSink> m_sink;
    std::mutex m_scpMutex;
    std::unique_ptr<netclient::StorageScp> m_scp;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_started = false;
    bool m_stopping = false;
    std::map<int64_t, std::shared_ptr<Running>> m_running;
    std::map<int64_t, std::thread> m_threads;
    std::vector<int64_t> m_finishedThreads;
    std::thread m_dispatcher;
    mutable std::mutex m_codesMutex;
    std::map<int64_t, core::ErrorCode> m_errorCodes;
};

} // namespace lb::app
