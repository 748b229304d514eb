#pragma once
// The app's InstanceSink: a received instance is checked (room on the disk), then imported
// (readable within the parsing limits, the SOP class and instance its request named, durable,
// indexed), and only then answered: accept() returns when that instance is in the cache, in
// quarantine (a conflict: a failure status), or refused. The import runs on the thread of a
// waiting sender (no hand-over for one association); stores that arrive together from
// several associations are imported as one batch (one syncfs for all of them). What a crash
// leaves in the spool was never answered: the next receiver quarantines it.
#include "cache/Importer.h"
#include "cache/LocalCache.h"
#include "netclient/InstanceSink.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>

namespace lb::app {

// Below this much free space on the cache's disk a store is refused (0xA700): the cache must
// never fill the disk the system and the index need. The `min-free-mb` setting changes it.
inline constexpr const char* kMinFreeSetting = "min-free-mb";
inline constexpr uint64_t kDefaultMinFreeMb = 1024;
uint64_t minFreeMegabytes(cache::SqliteConnection& connection);

struct SinkTotals {
    int64_t accepted = 0;       // acknowledged to the sender as stored
    uint64_t bytesAccepted = 0;
    int64_t imported = 0;       // new in the cache
    int64_t alreadyPresent = 0; // identical copy was there
    std::vector<cache::ImportIssue> rejected;
    std::vector<cache::ImportConflict> conflicts;
};

class CacheImportSink : public netclient::InstanceSink {
public:
    // The sink writes to `cache` (one sender's thread at a time) until destroyed: while it
    // lives, nobody else writes through this LocalCache object.
    static core::Result<std::unique_ptr<CacheImportSink>> create(cache::LocalCache& cache);
    ~CacheImportSink() override; // flushes

    std::filesystem::path spoolDirectory() const override { return m_spool; }
    core::Status accept(const netclient::ReceivedInstance& instance) override;

    // Waits until every instance accepted so far is indexed. An error: the cache could not be
    // written (the files stay in the spool for the next receiver).
    core::Status flush();
    SinkTotals totals() const;

    // Called after each batch, on the thread that imported it (one at a time).
    void setOnBatchImported(std::function<void(const cache::ImportReport&)> callback);

private:
    CacheImportSink(cache::LocalCache& cache, std::filesystem::path spool, uint64_t minFreeBytes);
    void importQueued(std::unique_lock<std::mutex>& lock);
    core::Status check(const netclient::ReceivedInstance& instance) const;
    void settle(const std::vector<std::filesystem::path>& batch, const core::Result<cache::ImportReport>& report);

    cache::LocalCache& m_cache;
    std::filesystem::path m_spool;
    mutable std::mutex m_mutex;
    std::condition_variable m_drained;
    uint64_t m_minFreeBytes = 0;
    std::deque<std::filesystem::path> m_queue;
    std::map<std::filesystem::path, cache::ImportOptions::Identity> m_expected; // what each request announced
    std::map<std::filesystem::path, core::Status> m_outcomes; // per file, for the accept() waiting on it
    bool m_importing = false; // a sender is importing the queue (the others wait)
    SinkTotals m_totals;
    std::optional<core::Error> m_failure;
    std::function<void(const cache::ImportReport&)> m_onBatch;
};

} // namespace lb::app
