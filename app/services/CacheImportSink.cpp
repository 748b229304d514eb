#include "app/services/CacheImportSink.h"

#include "cache/IncomingSpool.h"
#include "cache/NodeSettings.h"
#include "cache/Quarantine.h"
#include "core/DicomHeaderReader.h"

#include <charconv>
#include <sys/statvfs.h>

namespace lb::app {
namespace {

// Beyond this many files waiting, accept() waits: the network must not outrun the disk
// without bound.
constexpr size_t kMaxQueued = 4000;
constexpr size_t kMaxBatch = 1000;

} // namespace

uint64_t minFreeMegabytes(cache::SqliteConnection& connection)
{
    uint64_t megabytes = kDefaultMinFreeMb;
    if (auto value = cache::readSetting(connection, kMinFreeSetting); value && *value) {
        uint64_t parsed = 0;
        const auto [end, error] = std::from_chars((*value)->data(), (*value)->data() + (*value)->size(), parsed);
        if (error == std::errc() && end == (*value)->data() + (*value)->size()) megabytes = parsed;
    }
    return megabytes;
}

core::Result<std::unique_ptr<CacheImportSink>> CacheImportSink::create(cache::LocalCache& cache)
{
    if (auto orphans = cache::quarantineOrphanedIncoming(cache); !orphans) return orphans.error();
    auto spool = cache::incomingFolder(cache);
    if (!spool) return spool.error();
    return std::unique_ptr<CacheImportSink>(new CacheImportSink(cache, *spool, minFreeMegabytes(cache.connection()) << 20));
}

CacheImportSink::CacheImportSink(cache::LocalCache& cache, std::filesystem::path spool, uint64_t minFreeBytes)
    : m_cache(cache), m_spool(std::move(spool)), m_minFreeBytes(minFreeBytes)
{
}

CacheImportSink::~CacheImportSink()
{
    (void)flush();
}

// What can be said before indexing: room to keep it. (Whether the data set is readable within
// the parsing limits and is the instance its request announced, the import says: one parse.)
core::Status CacheImportSink::check(const netclient::ReceivedInstance& instance) const
{
    struct statvfs space {};
    if (::statvfs(m_spool.c_str(), &space) == 0) {
        const uint64_t free = static_cast<uint64_t>(space.f_bavail) * space.f_frsize;
        if (free < m_minFreeBytes + instance.bytes)
            return core::makeError(core::ErrorCode::OutOfSpace, "cache disk",
                                   "less than " + std::to_string(m_minFreeBytes >> 20) + " MB would stay free");
    }
    return {};
}

core::Status CacheImportSink::accept(const netclient::ReceivedInstance& instance)
{
    if (auto ok = check(instance); !ok) return ok;
    std::unique_lock lock(m_mutex);
    m_drained.wait(lock, [&] { return m_queue.size() < kMaxQueued; });
    m_queue.push_back(instance.file);
    m_expected[instance.file] = {instance.sopClassUid, instance.sopInstanceUid};
    // Leader and followers: a sender that finds no import running imports what is queued (its
    // own file and whatever other associations queued meanwhile) on its own thread; the others
    // wait for their outcome. One association: no hand-over to another thread at all; several:
    // their files share one batch.
    while (m_outcomes.count(instance.file) == 0) {
        if (m_importing) {
            m_drained.wait(lock);
            continue;
        }
        importQueued(lock);
    }
    core::Status outcome = std::move(m_outcomes[instance.file]);
    m_outcomes.erase(instance.file);
    if (outcome) {
        ++m_totals.accepted;
        m_totals.bytesAccepted += instance.bytes;
    }
    return outcome;
}

core::Status CacheImportSink::flush()
{
    std::unique_lock lock(m_mutex);
    m_drained.wait(lock, [&] { return (m_queue.empty() && !m_importing) || m_failure.has_value(); });
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

// Gives each waiting accept() its own outcome: stored (or already there), refused, or in
// quarantine as a conflict. Called with m_mutex held.
void CacheImportSink::settle(const std::vector<std::filesystem::path>& batch, const core::Result<cache::ImportReport>& report)
{
    if (!report) { // the cache could not be written (disk full?): nothing in this batch is stored
        m_failure = report.error(); // flush() says so; later stores try again
        for (const auto& file : batch) m_outcomes[file] = report.error();
        return;
    }
    std::map<std::string, core::Error> refused;
    for (const auto& issue : report->rejected) refused.emplace(issue.file, core::makeError(issue.code, issue.file, issue.reason));
    for (const auto& conflict : report->conflicts)
        refused.emplace(conflict.file, core::makeError(core::ErrorCode::Conflict, conflict.sopInstanceUid, conflict.reason));
    for (const auto& file : batch) {
        auto found = refused.find(file.string());
        m_outcomes[file] = found == refused.end() ? core::Status() : core::Status(found->second);
    }
    m_totals.imported += report->imported;
    m_totals.alreadyPresent += report->alreadyPresent;
    m_totals.rejected.insert(m_totals.rejected.end(), report->rejected.begin(), report->rejected.end());
    m_totals.conflicts.insert(m_totals.conflicts.end(), report->conflicts.begin(), report->conflicts.end());
}

// Imports everything queued as one batch; called with `lock` held by the one sender that leads.
void CacheImportSink::importQueued(std::unique_lock<std::mutex>& lock)
{
    m_importing = true;
    std::vector<std::filesystem::path> batch;
    cache::ImportOptions options;
    while (!m_queue.empty() && batch.size() < kMaxBatch) {
        options.expected[m_queue.front()] = m_expected[m_queue.front()];
        m_expected.erase(m_queue.front());
        batch.push_back(std::move(m_queue.front()));
        m_queue.pop_front();
    }
    const std::function<void(const cache::ImportReport&)> onBatch = m_onBatch;
    lock.unlock();
    m_drained.notify_all(); // room in the queue again
    options.onCallingThread = true; // a few files, each sender waiting: no worker to start
    options.batchSize = static_cast<int>(kMaxBatch);
    options.adoptInputs = true; // the spool is ours and on the cache's file system
    auto report = cache::importIntoCache(m_cache, batch, options);
    for (const auto& file : batch) { // what was not taken into the store or quarantine
        std::error_code ignored;
        std::filesystem::remove(file, ignored);
    }
    if (report && onBatch) onBatch(*report);
    lock.lock();
    settle(batch, report);
    m_importing = false;
    m_drained.notify_all();
}

} // namespace lb::app
