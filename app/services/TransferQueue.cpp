#include "app/services/TransferQueue.h"

#include "app/services/NetworkProfile.h"
#include "app/services/RetrieveIntoCache.h"
#include "app/services/SendFromCache.h"
#include "netclient/StorageScp.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace lb::app {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPersistInterval = std::chrono::seconds(1);

QString qs(const std::string& text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

std::string joined(const std::vector<std::string>& lines)
{
    std::string text;
    for (const auto& line : lines) text += (text.empty() ? "" : "; ") + line;
    return text;
}

} // namespace

struct TransferQueue::Running {
    int64_t id = 0;
    std::string node;
    core::CancelToken cancel;
    std::atomic<bool> cancelledByUser{false};
    Clock::time_point start = Clock::now();
    Clock::time_point lastEmit{};
    Clock::time_point lastPersist{};
    int total = -1;
    uint64_t bytesAtStart = 0;
    cache::TransferJobRecord record;
};

core::Result<std::unique_ptr<TransferQueue>> TransferQueue::open(cache::LocalCache& cache, TransferQueueOptions options)
{
    const auto lockFile = cache.layout().locksDir() / "transfer-queue.lock";
    const int lockFd = ::open(lockFile.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lockFd < 0) return core::makeError(core::ErrorCode::Io, lockFile.string(), std::strerror(errno));
    if (::flock(lockFd, LOCK_EX | LOCK_NB) != 0) {
        ::close(lockFd);
        return core::makeError(core::ErrorCode::Conflict, cache.layout().root().string(),
                               "another process is running this cache's transfer queue");
    }
    auto db = cache::SqliteConnection::open(cache.layout().indexFile(), cache::SqliteConnection::Mode::ReadWrite);
    core::Result<std::unique_ptr<CacheImportSink>> sink = core::makeError(core::ErrorCode::Io, "", "");
    core::Result<int> requeued = db ? cache::requeueInterruptedJobs(*db) : core::Result<int>(db.error());
    if (requeued) sink = CacheImportSink::create(cache);
    if (!db || !requeued || !sink) {
        ::close(lockFd);
        return !db ? db.error() : !requeued ? requeued.error() : sink.error();
    }
    return std::unique_ptr<TransferQueue>(new TransferQueue(cache, std::move(*db), std::move(*sink), options, lockFd));
}

TransferQueue::TransferQueue(cache::LocalCache& cache, cache::SqliteConnection db, std::unique_ptr<CacheImportSink> sink,
                             TransferQueueOptions options, int lockFd)
    : m_cache(cache), m_options(options), m_lockFd(lockFd), m_db(std::move(db)), m_sink(std::move(sink))
{
}

TransferQueue::~TransferQueue()
{
    stop();
    m_sink.reset(); // flushes before the lock goes
    ::close(m_lockFd);
}

core::Result<int64_t> TransferQueue::enqueueRetrieve(const std::string& node, const std::string& studyUid,
                                                     const std::string& seriesUid,
                                                     std::optional<netclient::RetrieveMethod> method, int priority)
{
    cache::TransferJobRecord job;
    job.kind = "retrieve";
    job.node = node;
    job.studyUid = studyUid;
    job.seriesUid = seriesUid;
    job.method = method ? netclient::retrieveMethodName(*method) : "";
    job.priority = priority;
    return enqueue(job);
}

core::Result<int64_t> TransferQueue::enqueueSend(const std::string& node, const std::string& studyUid,
                                                 const std::string& seriesUid, int priority)
{
    cache::TransferJobRecord job;
    job.kind = "send";
    job.node = node;
    job.studyUid = studyUid;
    job.seriesUid = seriesUid;
    job.priority = priority;
    return enqueue(job);
}

core::Result<int64_t> TransferQueue::enqueue(const cache::TransferJobRecord& job)
{
    core::Result<int64_t> id = [&] {
        std::lock_guard lock(m_dbMutex);
        return cache::addTransferJob(m_db, job);
    }();
    if (id) {
        emit jobStateChanged(*id, "queued", {});
        m_wake.notify_all();
    }
    return id;
}

core::Status TransferQueue::cancel(int64_t id)
{
    core::Result<cache::TransferJobRecord> job = [&] {
        std::lock_guard lock(m_dbMutex);
        return cache::cancelTransferJob(m_db, id);
    }();
    if (!job) return job.error();
    std::lock_guard lock(m_mutex);
    if (auto running = m_running.find(id); running != m_running.end()) {
        running->second->cancelledByUser = true;
        running->second->cancel.cancel();
    } else if (job->state == "cancelled") {
        emit jobStateChanged(id, "cancelled", {});
    }
    return {};
}

core::Status TransferQueue::retry(int64_t id)
{
    core::Result<cache::TransferJobRecord> job = [&] {
        std::lock_guard lock(m_dbMutex);
        return cache::retryTransferJob(m_db, id);
    }();
    if (!job) return job.error();
    emit jobStateChanged(id, "queued", {});
    m_wake.notify_all();
    return {};
}

core::Status TransferQueue::setPriority(int64_t id, int priority)
{
    core::Result<cache::TransferJobRecord> job = [&] {
        std::lock_guard lock(m_dbMutex);
        return cache::setTransferJobPriority(m_db, id, priority);
    }();
    if (!job) return job.error();
    m_wake.notify_all();
    return {};
}

core::Result<std::vector<cache::TransferJobRecord>> TransferQueue::jobs()
{
    std::lock_guard lock(m_dbMutex);
    return cache::listTransferJobs(m_db);
}

void TransferQueue::start()
{
    std::lock_guard lock(m_mutex);
    if (m_started) return;
    m_started = true;
    m_dispatcher = std::thread([this] { dispatchLoop(); });
}

void TransferQueue::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) return;
        m_stopping = true;
        for (auto& [id, running] : m_running) running->cancel.cancel();
    }
    m_wake.notify_all();
    if (m_dispatcher.joinable()) m_dispatcher.join();
    std::map<int64_t, std::thread> threads;
    {
        std::lock_guard lock(m_mutex);
        threads.swap(m_threads);
    }
    for (auto& [id, thread] : threads) thread.join();
    std::lock_guard lock(m_scpMutex);
    if (m_scp) m_scp->stop();
}

bool TransferQueue::waitUntilIdle(std::chrono::milliseconds timeout)
{
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        bool busy = false;
        {
            std::lock_guard lock(m_mutex);
            busy = !m_running.empty();
        }
        if (!busy) {
            auto all = jobs();
            busy = !all || std::any_of(all->begin(), all->end(),
                                       [](const auto& job) { return job.state == "queued" || job.state == "running"; });
        }
        if (!busy) return true;
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

void TransferQueue::dispatchLoop()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        for (int64_t id : m_finishedThreads) {
            if (auto thread = m_threads.find(id); thread != m_threads.end()) {
                thread->second.join();
                m_threads.erase(thread);
            }
        }
        m_finishedThreads.clear();
        startNextJobs();
        m_wake.wait_for(lock, m_options.pollInterval);
        lock.unlock();
        pollCancelsFromOtherProcesses();
        lock.lock();
    }
}

int TransferQueue::maxAssociationsOf(const std::string& node)
{
    auto record = cache::findNode(m_db, node);
    return record && *record ? std::max(1, (*record)->maxAssociations) : 1;
}

bool TransferQueue::startNextJobs()
{
    std::vector<cache::TransferJobRecord> queued;
    std::map<std::string, int> limits;
    {
        std::lock_guard lock(m_dbMutex);
        auto all = cache::listTransferJobs(m_db);
        if (!all) return false;
        for (auto& job : *all)
            if (job.state == "queued" && !m_running.count(job.id)) queued.push_back(job);
        for (const auto& job : queued)
            if (!limits.count(job.node)) limits[job.node] = maxAssociationsOf(job.node);
    }
    std::map<std::string, int> perNode;
    for (const auto& [id, running] : m_running) ++perNode[running->node];
    bool started = false;
    for (auto& job : queued) { // listTransferJobs: priority first, then age
        if (static_cast<int>(m_running.size()) >= m_options.maxRunning) break;
        if (perNode[job.node] >= limits[job.node]) continue;
        job.state = "running";
        ++job.attempts;
        {
            std::lock_guard lock(m_dbMutex);
            if (!cache::updateTransferJob(m_db, job)) continue;
        }
        auto running = std::make_shared<Running>();
        running->id = job.id;
        running->node = job.node;
        running->record = job;
        m_running[job.id] = running;
        ++perNode[job.node];
        emit jobStateChanged(job.id, "running", {});
        m_threads[job.id] = std::thread([this, job, running] { runJob(job, running); });
        started = true;
    }
    return started;
}

void TransferQueue::runJob(cache::TransferJobRecord job, std::shared_ptr<Running> running)
{
    if (job.kind == "send") runSend(job, *running);
    else runRetrieve(job, *running);
    std::lock_guard lock(m_mutex);
    m_running.erase(job.id);
    m_finishedThreads.push_back(job.id);
    m_wake.notify_all();
}

void TransferQueue::finishWithError(cache::TransferJobRecord& job, const std::string& state, const core::Error& error)
{
    {
        std::lock_guard lock(m_codesMutex);
        m_errorCodes[job.id] = error.code;
    }
    finish(job, state, error.message());
}

std::optional<core::ErrorCode> TransferQueue::errorCodeOf(int64_t id) const
{
    std::lock_guard lock(m_codesMutex);
    auto found = m_errorCodes.find(id);
    return found == m_errorCodes.end() ? std::nullopt : std::optional<core::ErrorCode>(found->second);
}

void TransferQueue::finish(cache::TransferJobRecord& job, const std::string& state, const std::string& error)
{
    job.state = state;
    job.lastError = error;
    {
        std::lock_guard lock(m_dbMutex);
        (void)cache::updateTransferJob(m_db, job);
    }
    emit jobStateChanged(job.id, qs(state), qs(error));
}

void TransferQueue::reportProgress(Running& running, int done, int total, uint64_t bytes, bool final)
{
    const auto now = Clock::now();
    if (!final && now - running.lastEmit < m_options.progressInterval) return;
    running.lastEmit = now;
    const double elapsed = std::chrono::duration<double>(now - running.start).count();
    const double megabytesPerSecond = elapsed > 0 ? static_cast<double>(bytes) / 1e6 / elapsed : 0;
    const double eta = done > 0 && total > done ? (total - done) * elapsed / done : (total >= 0 && done >= total ? 0 : -1);
    emit jobProgress(running.id, done, total, megabytesPerSecond, eta);
    if (final || now - running.lastPersist >= kPersistInterval) {
        running.lastPersist = now;
        running.record.done = done;
        running.record.total = total;
        std::lock_guard lock(m_dbMutex);
        (void)cache::updateTransferJobProgress(m_db, running.id, done, total);
    }
}

core::Status TransferQueue::ensureStorageScp()
{
    std::lock_guard lock(m_scpMutex);
    if (m_scp) return {};
    netclient::StorageScpConfig config;
    {
        std::lock_guard dbLock(m_dbMutex);
        auto made = storageScpConfig(m_db);
        if (!made) return made.error();
        config = std::move(*made);
    }
    auto scp = netclient::StorageScp::start(config, *m_sink);
    if (!scp) return scp.error();
    m_scp = std::move(*scp);
    return {};
}

void TransferQueue::runRetrieve(cache::TransferJobRecord& job, Running& running)
{
    std::optional<netclient::RetrieveMethod> method;
    if (!job.method.empty()) {
        netclient::RetrieveMethod parsed;
        if (netclient::parseRetrieveMethod(job.method, parsed)) method = parsed;
    }
    netclient::RetrieveMethod effective = netclient::RetrieveMethod::Move;
    {
        std::lock_guard lock(m_dbMutex);
        auto node = nodeNamed(m_db, job.node);
        if (!node) {
            finishWithError(job, "failed", node.error());
            return;
        }
        effective = method.value_or(node->method);
    }
    bool scpListening = false;
    if (effective == netclient::RetrieveMethod::Move) {
        if (auto ok = ensureStorageScp(); !ok) {
            finishWithError(job, "failed", core::makeError(ok.error().code, ok.error().subject, "the storage SCP cannot run: " + ok.error().reason));
            return;
        }
        scpListening = true;
    }

    running.bytesAtStart = m_sink->totals().bytesAccepted;
    RetrieveCallbacks callbacks;
    callbacks.cancel = &running.cancel;
    callbacks.onPlanned = [&](const RetrieveOutcome& plan) {
        running.total = plan.requested;
        reportProgress(running, 0, running.total, 0, true);
    };
    callbacks.onProgress = [&](const netclient::RetrieveProgress& counts) {
        const int done = std::max(counts.completed + counts.failed + counts.warning, counts.received);
        // Bytes come from the shared sink: approximate when several retrieves run at once.
        reportProgress(running, done, running.total, m_sink->totals().bytesAccepted - running.bytesAtStart, false);
    };
    auto outcome = retrieveIntoCache(m_cache, {job.node, job.studyUid, job.seriesUid, method}, callbacks,
                                     {m_sink.get(), scpListening});
    const bool interrupted = running.cancel.isCancelled() && !running.cancelledByUser;
    if (!outcome) {
        if (interrupted) finish(job, "queued", "interrupted: " + outcome.error().message());
        else if (running.cancelledByUser) finish(job, "cancelled", {});
        else finishWithError(job, job.attempts < m_options.maxAttempts ? "queued" : "failed", outcome.error());
        return;
    }
    job.done = outcome->localAfter;
    job.total = outcome->expected;
    running.record.done = job.done;
    running.record.total = job.total;
    reportProgress(running, outcome->counts.completed + outcome->counts.received > 0 ? running.total : 0, running.total,
                   outcome->stored.bytesAccepted, true);
    if (outcome->complete) finish(job, "done", {});
    else if (interrupted) finish(job, "queued", "interrupted");
    else if (outcome->cancelled || running.cancelledByUser) finish(job, "cancelled", {});
    else finish(job, job.attempts < m_options.maxAttempts ? "queued" : "failed", joined(outcome->problems));
}

void TransferQueue::runSend(cache::TransferJobRecord& job, Running& running)
{
    netclient::RemoteNode node;
    netclient::LocalIdentity local;
    {
        std::lock_guard lock(m_dbMutex);
        auto found = nodeNamed(m_db, job.node);
        auto identity = localIdentity(m_db);
        if (!found || !identity) {
            finish(job, "failed", !found ? found.error().message() : identity.error().message());
            return;
        }
        node = *found;
        local = *identity;
    }
    auto reader = m_cache.openReader();
    if (!reader) {
        finishWithError(job, "failed", reader.error());
        return;
    }
    auto items = sendItemsFor(*reader, m_cache.layout().storeDir(), job.studyUid, job.seriesUid);
    if (!items || items->empty()) {
        finish(job, "failed", !items ? items.error().message() : "nothing in the cache for that study/series");
        return;
    }
    running.total = static_cast<int>(items->size());
    netclient::SendOptions options;
    options.cancel = &running.cancel;
    options.onProgress = [&](const netclient::SendProgress& progress) {
        reportProgress(running, progress.done, progress.total, progress.bytes, false);
    };
    auto report = netclient::send(local, node, *items, options);
    const bool interrupted = running.cancel.isCancelled() && !running.cancelledByUser;
    if (!report) {
        if (interrupted) finish(job, "queued", "interrupted");
        else finishWithError(job, job.attempts < m_options.maxAttempts ? "queued" : "failed", report.error());
        return;
    }
    running.record.done = report->sent;
    running.record.total = running.total;
    reportProgress(running, report->sent, running.total, report->bytes, true);
    job.done = report->sent;
    job.total = running.total;
    if (report->complete()) finish(job, "done", {});
    else if (interrupted) finish(job, "queued", "interrupted");
    else if (report->cancelled) finish(job, "cancelled", {});
    else {
        std::vector<std::string> reasons;
        for (const auto& failure : report->failures) reasons.push_back(failure.sopInstanceUid + ": " + failure.reason);
        finish(job, job.attempts < m_options.maxAttempts ? "queued" : "failed",
               std::to_string(report->failures.size()) + " failed: " + joined(reasons));
    }
}

void TransferQueue::pollCancelsFromOtherProcesses()
{
    std::vector<std::shared_ptr<Running>> running;
    {
        std::lock_guard lock(m_mutex);
        for (auto& [id, entry] : m_running) running.push_back(entry);
    }
    for (auto& entry : running) {
        std::lock_guard lock(m_dbMutex);
        auto job = cache::findTransferJob(m_db, entry->id);
        if (job && *job && (*job)->state == "cancelled" && !entry->cancel.isCancelled()) {
            entry->cancelledByUser = true;
            entry->cancel.cancel();
        }
    }
}

} // namespace lb::app
