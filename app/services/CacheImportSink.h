#pragma once
// The app's InstanceSink: received instances are spooled into the cache's incoming folder,
// acknowledged, and indexed by one importer thread in batches: the first file at once (a
// viewer waits for it), then what gathers in up to 50 ms, so a burst is indexed in a few large,
// cheap batches. flush() waits until everything accepted so far is in
// the cache. What a crash leaves in the spool is imported by the next receiver.
#include "cache/Importer.h"
#include "cache/LocalCache.h"
#include "netclient/InstanceSink.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace lb::app {

struct SinkTotals {
    int64_t accepted = 0;       // acknowledged to the sender
    uint64_t bytesAccepted = 0;
    int64_t imported = 0;       // new in the cache
    int64_t alreadyPresent = 0; // identical copy was there
    std::vector<cache::ImportIssue> rejected;
    std::vector<cache::ImportConflict> conflicts;
};

class CacheImportSink : public netclient::InstanceSink {
public:
    // The sink writes to `cache` from its own thread until destroyed: while it lives, nobody
    // else writes through this LocalCache object.
    static core::Result<std::unique_ptr<CacheImportSink>> create(cache::LocalCache& cache);
    ~CacheImportSink() override; // flushes

    std::filesystem::path spoolDirectory() const override { return m_spool; }
    core::Status accept(const netclient::ReceivedInstance& instance) override;

    // Waits until every instance accepted so far is indexed. An error: the cache could not be
    // written (the files stay in the spool for the next receiver).
    core::Status flush();
    SinkTotals totals() const;

    // Called on the importer thread after each batch.
    void setOnBatchImported(std::function<void(const cache::ImportReport&)> callback);

private:
    CacheImportSink(cache::LocalCache& cache, std::filesystem::path spool);
    void importLoop();

    cache::LocalCache& m_cache;
    std::filesystem::path m_spool;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_drained;
    std::deque<std::filesystem::path> m_queue;
    int64_t m_inFlight = 0; // taken from the queue, not yet indexed
    bool m_stopping = false;
    int m_flushing = 0; // callers waiting in flush()
    SinkTotals m_totals;
    std::optional<core::Error> m_failure;
    std::function<void(const cache::ImportReport&)> m_onBatch;
    std::thread m_importer;
};

} // namespace lb::app
