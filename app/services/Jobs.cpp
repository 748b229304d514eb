#include "app/services/Jobs.h"

#include "app/services/TransferQueue.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QMetaObject>
#include <QPointer>
#include <QThread>

#include <algorithm>

namespace lb::app {
namespace {

// The queue persists its states as words (cache/TransferJobs.h); the board speaks JobState.
JobState stateOfQueueWord(const std::string& word)
{
    if (word == "running") return JobState::Running;
    if (word == "done") return JobState::Done;
    if (word == "failed") return JobState::Failed;
    if (word == "cancelled") return JobState::Cancelled;
    return JobState::Queued;
}

JobInfo infoOfQueueJob(const cache::TransferJobRecord& record)
{
    JobInfo info;
    info.id = QString("T%1").arg(record.id);
    info.kind = record.kind == "send" ? JobKind::Send : JobKind::Retrieve;
    info.node = QString::fromStdString(record.node);
    info.what = QString::fromStdString(record.seriesUid.empty() ? record.studyUid : record.seriesUid);
    info.state = stateOfQueueWord(record.state);
    info.done = record.done;
    info.total = record.total;
    info.errorText = QString::fromStdString(record.lastError);
    return info;
}

// "Retrieve — name" (a series of the study says so: the name is the study's).
QString labelOf(JobKind kind, const QString& name, bool oneSeries)
{
    QString word = QString::fromLatin1(jobKindName(kind));
    word[0] = word[0].toUpper();
    return word + QString::fromUtf8(" \u2014 ") + name + (oneSeries ? " (one series)" : "");
}

qint64 nowMs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer timer;
        timer.start();
        return timer;
    }();
    return clock.elapsed();
}

} // namespace

const char* jobKindName(JobKind kind)
{
    switch (kind) {
    case JobKind::Import: return "import";
    case JobKind::Retrieve: return "retrieve";
    case JobKind::Send: return "send";
    case JobKind::Prune: return "prune";
    case JobKind::Query: return "query";
    case JobKind::Echo: return "echo";
    case JobKind::SeriesLoad: return "series-load";
    case JobKind::Thumbnail: return "thumbnail";
    case JobKind::Check: return "check";
    case JobKind::Registration: return "registration";
    }
    return "job";
}

const char* jobStateName(JobState state)
{
    switch (state) {
    case JobState::Queued: return "queued";
    case JobState::Running: return "running";
    case JobState::Done: return "done";
    case JobState::Failed: return "failed";
    case JobState::Cancelled: return "cancelled";
    }
    return "queued";
}

bool isFinal(JobState state)
{
    return state == JobState::Done || state == JobState::Failed || state == JobState::Cancelled;
}

JobOutcome JobOutcome::from(const core::Error& error)
{
    JobOutcome outcome;
    outcome.state = error.code == core::ErrorCode::Cancelled ? JobState::Cancelled : JobState::Failed;
    outcome.error = error;
    return outcome;
}

void JobContext::progress(qint64 done, qint64 total)
{
    const qint64 now = nowMs();
    if (now - m_lastReportMs < 100 && done != total) return;
    m_lastReportMs = now;
    if (m_report) m_report(done, total);
}

JobBoard::JobBoard(int threads, int perNodeCap, QObject* parent) : QObject(parent), m_perNodeCap(std::max(1, perNodeCap))
{
    m_pool.setMaxThreadCount(std::max(2, threads));
}

JobBoard::~JobBoard()
{
    for (auto& [id, entry] : m_entries)
        if (entry.cancel) entry.cancel->cancel();
    m_pool.waitForDone();
}

QString JobBoard::start(JobKind kind, const QString& what, const QString& node, Work work,
                        std::function<void(const JobOutcome&)> onFinished)
{
    const QString id = QString("L%1").arg(m_next++);
    Entry entry;
    entry.info.id = id;
    entry.info.kind = kind;
    entry.info.what = what;
    entry.info.node = node;
    entry.info.label = labelOf(kind, what, false);
    entry.work = std::move(work);
    entry.onFinished = std::move(onFinished);
    entry.cancel = std::make_shared<core::CancelToken>();
    m_entries.emplace(id, std::move(entry));
    m_order.push_back(id);
    m_waiting.push_back(id);
    emit jobChanged(id);
    startReady();
    return id;
}

int JobBoard::runningOn(const QString& node) const
{
    int running = 0;
    for (const auto& [id, entry] : m_entries)
        if (entry.info.state == JobState::Running && entry.info.node == node && entry.work) ++running;
    return running;
}

void JobBoard::startReady()
{
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        auto entry = m_entries.find(*it);
        if (entry == m_entries.end() || entry->second.info.state != JobState::Queued) {
            it = m_waiting.erase(it);
            continue;
        }
        const QString& node = entry->second.info.node;
        if (!node.isEmpty() && runningOn(node) >= m_perNodeCap) {
            ++it; // this node is busy: a later job for another node may go first
            continue;
        }
        const QString id = *it;
        it = m_waiting.erase(it);
        run(id);
    }
}

void JobBoard::run(const QString& id)
{
    Entry& entry = m_entries.at(id);
    entry.info.state = JobState::Running;
    emit jobChanged(id);
    QPointer<JobBoard> self(this);
    auto context = std::make_shared<JobContext>();
    context->m_cancel = entry.cancel;
    context->m_report = [self, id](qint64 done, qint64 total) {
        QMetaObject::invokeMethod(self, [self, id, done, total] {
            if (!self) return;
            auto found = self->m_entries.find(id);
            if (found == self->m_entries.end() || found->second.info.state != JobState::Running) return;
            found->second.info.done = done;
            found->second.info.total = total;
            emit self->jobChanged(id);
        }, Qt::QueuedConnection);
    };
    m_pool.start([self, id, context, work = entry.work] {
        JobOutcome outcome = work(*context);
        if (context->cancelled() && outcome.state == JobState::Done) outcome.state = JobState::Cancelled;
        QMetaObject::invokeMethod(self, [self, id, outcome] {
            if (self) self->finished(id, outcome);
        }, Qt::QueuedConnection);
    });
}

void JobBoard::finished(const QString& id, const JobOutcome& outcome)
{
    auto found = m_entries.find(id);
    if (found == m_entries.end()) return;
    Entry& entry = found->second;
    if (entry.info.state != JobState::Cancelled) { // a cancel already said how it ended
        entry.info.state = outcome.state;
        if (outcome.error) {
            entry.info.errorCode = outcome.error->code;
            entry.info.errorText = QString::fromStdString(outcome.error->message());
        }
    }
    auto onFinished = std::move(entry.onFinished);
    entry.work = nullptr; // frees what the work captured (files, volumes)
    entry.onFinished = nullptr;
    emit jobChanged(id);
    if (onFinished) onFinished(outcome);
    if (auto still = m_entries.find(id); still != m_entries.end()) still->second.settled = true;
    forgetOldJobs();
    startReady();
}

// A long session makes thousands of small jobs (thumbnails, loads, checks): the board keeps the
// latest kKeptFinished of those that are over, and every job that is not.
void JobBoard::forgetOldJobs()
{
    int over = 0;
    for (const QString& id : m_order) over += m_entries.at(id).settled ? 1 : 0;
    for (auto it = m_order.begin(); it != m_order.end() && over > kKeptFinished;) {
        if (!m_entries.at(*it).settled) {
            ++it;
            continue;
        }
        m_entries.erase(*it);
        it = m_order.erase(it);
        --over;
    }
}

// Whose requester hears of a cancel at once (the work may sit in a network wait it cannot
// leave before the node's timeout: a query, an echo) and whose when its work has stopped (an
// import or a prune stops between files, and what it did by then is worth reporting).
static bool answersCancelAtOnce(JobKind kind)
{
    return kind != JobKind::Import && kind != JobKind::Prune;
}

bool JobBoard::cancel(const QString& id)
{
    if (id.startsWith('T')) return m_queue && m_queue->cancel(id.mid(1).toLongLong()).ok();
    auto found = m_entries.find(id);
    if (found == m_entries.end() || isFinal(found->second.info.state)) return false;
    Entry& entry = found->second;
    const bool wasWaiting = entry.info.state == JobState::Queued;
    entry.cancel->cancel();
    entry.info.state = JobState::Cancelled;
    entry.info.errorCode = core::ErrorCode::Cancelled;
    entry.info.errorText = "cancelled";
    emit jobChanged(id);
    if (wasWaiting || answersCancelAtOnce(entry.info.kind)) {
        auto onFinished = std::move(entry.onFinished);
        entry.onFinished = nullptr;
        if (wasWaiting) { // never ran
            entry.work = nullptr;
            entry.settled = true;
        }
        if (onFinished) onFinished(JobOutcome::from(core::makeError(core::ErrorCode::Cancelled, "", "cancelled")));
    }
    startReady(); // its node slot counts as free now
    return true;
}

bool JobBoard::retry(const QString& id)
{
    return id.startsWith('T') && m_queue && m_queue->retry(id.mid(1).toLongLong()).ok();
}

void JobBoard::cancelAll()
{
    for (const QString& id : m_order) cancel(id);
}

void JobBoard::showTransferQueue(TransferQueue* queue)
{
    m_queue = queue;
    if (!queue) return;
    connect(queue, &TransferQueue::jobStateChanged, this, [this](qint64 id) { emit jobChanged(QString("T%1").arg(id)); },
            Qt::QueuedConnection);
    connect(queue, &TransferQueue::jobProgress, this,
            [this](qint64 id, int done, int total, double megabytesPerSecond, double etaSeconds) {
                m_queueProgress[id] = {done, total, megabytesPerSecond, etaSeconds};
                emit jobChanged(QString("T%1").arg(id));
            },
            Qt::QueuedConnection);
}

void JobBoard::nameStudy(const QString& studyUid, const QString& name)
{
    if (!studyUid.isEmpty() && !name.isEmpty()) m_studyNames[studyUid.toStdString()] = name;
}

void JobBoard::setStudyNamer(std::function<QString(const std::string&)> namer)
{
    m_studyNamer = std::move(namer);
}

QString JobBoard::studyNameOf(const std::string& studyUid) const
{
    if (auto known = m_studyNames.find(studyUid); known != m_studyNames.end()) return known->second;
    const QString name = m_studyNamer ? m_studyNamer(studyUid) : QString();
    if (!name.isEmpty()) m_studyNames[studyUid] = name; // an unknown study may be known later (retrieved)
    return name;
}

std::vector<JobInfo> JobBoard::jobs() const
{
    std::vector<JobInfo> all;
    for (const QString& id : m_order) all.push_back(m_entries.at(id).info);
    if (m_queue)
        if (auto records = m_queue->jobs())
            for (const auto& record : *records) {
                JobInfo info = infoOfQueueJob(record);
                const QString name = studyNameOf(record.studyUid);
                info.label = labelOf(info.kind, name.isEmpty() ? QString::fromStdString(record.studyUid) : name,
                                     !record.seriesUid.empty());
                if (auto progress = m_queueProgress.find(record.id); progress != m_queueProgress.end() &&
                                                                     info.state == JobState::Running) {
                    info.done = progress->second.done;
                    info.total = progress->second.total;
                    info.megabytesPerSecond = progress->second.megabytesPerSecond;
                    info.etaSeconds = progress->second.etaSeconds;
                }
                info.errorCode = m_queue->errorCodeOf(record.id);
                all.push_back(info);
            }
    return all;
}

std::optional<JobInfo> JobBoard::job(const QString& id) const
{
    if (auto found = m_entries.find(id); found != m_entries.end()) return found->second.info;
    if (id.startsWith('T'))
        for (const JobInfo& info : jobs())
            if (info.id == id) return info;
    return std::nullopt;
}

bool JobBoard::waitFor(const QString& id, int milliseconds)
{
    const QDeadlineTimer deadline(milliseconds);
    while (!deadline.hasExpired()) {
        auto info = job(id);
        auto entry = m_entries.find(id);
        const bool workReturned = entry == m_entries.end() || entry->second.settled;
        if (!info || (isFinal(info->state) && workReturned)) {
            QCoreApplication::processEvents(); // let onFinished's effects settle
            return info.has_value();
        }
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(5);
    }
    return false;
}

} // namespace lb::app
