#include "app/services/CacheImportSink.h"

#include "cache/IncomingSpool.h"

namespace lb::app {
namespace {

// Beyond this many files waiting, accept() waits: the network must not outrun the disk
// without bound.
constexpr size_t kMaxQueued = 4000;
constexpr size_t kMaxBatch = 1000;
// Each importIntoCache() call costs ~10 ms of set-up (threads, read connection, statements),
// whatever its size. The first batch goes at once (the viewer waits for it); later ones
// gather what arrives for up to this long, so a burst is indexed in a few large batches.
constexpr auto kGatherAfterFirst = std::chrono::milliseconds(50);
constexpr size_t kEnoughToGo = 200;

} // namespace

core::Result<std::unique_ptr<CacheImportSink>> CacheImportSink::create(cache::LocalCache& cache)
{
    if (auto orphans = cache::importOrphanedIncoming(cache); !orphans) return orphans.error();
    auto spool = cache::incomingFolder(cache);
    if (!spool) return spool.error();
    return std::unique_ptr<CacheImportSink>(new CacheImportSink(cache, *spool));
}

CacheImportSink::CacheImportSink(cache::LocalCache& cache, std::filesystem::path spool)
    : m_cache(cache), m_spool(std::move(spool))
{
    m_importer = std::thread([this] { importLoop(); });
}

CacheImportSink::~CacheImportSink()
{
    (void)flush();
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_importer.join();
}

core::Status CacheImportSink::accept(const netclient::ReceivedInstance& instance)
{
    std::unique_lock lock(m_mutex);
    if (m_failure) return *m_failure;
    m_drained.wait(lock, [&] { return m_queue.size() < kMaxQueued || m_failure.has_value(); });
    if (m_failure) return *m_failure;
    m_queue.push_back(instance.file);
    ++m_totals.accepted;
    m_totals.bytesAccepted += instance.bytes;
    if (m_queue.size() == 1 || m_queue.size() >= kEnoughToGo) m_wake.notify_one();
    return {};
}

core::Status CacheImportSink::flush()
{
    std::unique_lock lock(m_mutex);
    ++m_flushing; // no gathering while someone waits
    m_wake.notify_all();
    m_drained.wait(lock, [&] { return (m_queue.empty() && m_inFlight == 0) || m_failure.has_value(); });
    --m_flushing;
    if (m_failure) return *m_failure;
    return {};
}

SinkTotals CacheImportSink::totals() const
{
    std::lock_guard lock(m_mutex);
    return m_totals;
}

void CacheImportSink::setOnBatchImported(std::function<void(const cache::ImportReport&)> callback)
{
    std::lock_guard lock(m_mutex);
    m_onBatch = std::move(callback);
}

void CacheImportSink::importLoop()
{
    bool first = true;
    for (;;) {
        std::vector<std::filesystem::path> batch;
        std::function<void(const cache::ImportReport&)> onBatch;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty() && m_stopping) return;
            if (!first && !m_stopping && !m_flushing)
                m_wake.wait_for(lock, kGatherAfterFirst,
                                [&] { return m_stopping || m_flushing || m_queue.size() >= kEnoughToGo; });
            first = false;
            while (!m_queue.empty() && batch.size() < kMaxBatch) {
                batch.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
            m_inFlight = static_cast<int64_t>(batch.size());
            onBatch = m_onBatch;
        }
        m_drained.notify_all(); // room in the queue again
        cache::ImportOptions options;
        options.workerThreads = 1; // the network threads are busy; one reader keeps up with them
        options.adoptInputs = true; // the spool is ours and on the cache's file system
        auto report = cache::importIntoCache(m_cache, batch, options);
        {
            std::lock_guard lock(m_mutex);
            m_inFlight = 0;
            if (!report) {
                m_failure = report.error(); // files stay in the spool: the next receiver imports them
            } else {
                m_totals.imported += report->imported;
                m_totals.alreadyPresent += report->alreadyPresent;
                m_totals.rejected.insert(m_totals.rejected.end(), report->rejected.begin(), report->rejected.end());
                m_totals.conflicts.insert(m_totals.conflicts.end(), report->conflicts.begin(), report->conflicts.end());
            }
        }
        if (report) {
            for (const auto& file : batch) {
                std::error_code ignored;
                std::filesystem::remove(file, ignored);
            }
            if (onBatch) onBatch(*report);
        }
        m_drained.notify_all();
    }
}

} // namespace lb::app
