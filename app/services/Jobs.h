#pragma once
// One job model for all background work of the workstation: imports, retrieves and sends (the
// persisted transfer queue), pruning, queries, echoes, series loads, thumbnails, stored-file
// checks. Every job has a kind, a typed state, progress, an error code with the human text,
// and can be cancelled. The board runs this session's jobs on its own pool (sized for waiting
// work: network and disk, not only cores) with a cap per remote node, and shows the transfer
// queue's jobs beside them: the job panel reads one list.
//
// Threads: the board lives on the GUI thread (or the CLI's main thread); work functions run on
// the pool and report through their JobContext; the board's signals and `onFinished` come on
// the board's thread.
#include "core/CancelToken.h"
#include "core/Error.h"
#include "core/Result.h"

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace lb::app {

class TransferQueue;

enum class JobKind { Import, Retrieve, Send, Prune, Query, Echo, SeriesLoad, Thumbnail, Check, Registration };
enum class JobState { Queued, Running, Done, Failed, Cancelled };

const char* jobKindName(JobKind kind);    // "import", "retrieve", ..., "series-load"
const char* jobStateName(JobState state); // "queued", "running", "done", "failed", "cancelled"
bool isFinal(JobState state);

// What a job is and how far it got: a value, copied to whoever asks.
struct JobInfo {
    QString id;   // "T12": a transfer-queue job (persisted, its number in the queue); "L3": this session's
    JobKind kind = JobKind::Import;
    QString node; // the remote node it talks to ("" for local work)
    QString what; // study UID, files, series label (the panel's tooltip: the UID stays at hand)
    // What a user reads: "Retrieve — DOE, JOHN · CT HEAD · 2024-03-01" (the study's name when the
    // board knows it, else the kind and `what`).
    QString label;
    JobState state = JobState::Queued;
    qint64 done = 0;
    qint64 total = -1; // -1: not known (yet)
    double megabytesPerSecond = 0;
    double etaSeconds = -1;
    std::optional<core::ErrorCode> errorCode; // failed (or the reason of a partial result)
    QString errorText;                        // "node: reason", in words a user can act on
};

// How a job's work ended.
struct JobOutcome {
    JobState state = JobState::Done;
    std::optional<core::Error> error;
    static JobOutcome done() { return {}; }
    static JobOutcome from(const core::Error& error); // Cancelled -> cancelled, else failed
};

// Handed to the work function on its worker thread.
class JobContext {
public:
    const core::CancelToken& cancel() const { return *m_cancel; }
    bool cancelled() const { return m_cancel->isCancelled(); }
    // At most about 10 reports a second reach the board (and always the last one).
    void progress(qint64 done, qint64 total);

private:
    friend class JobBoard;
    std::function<void(qint64, qint64)> m_report;
    std::shared_ptr<core::CancelToken> m_cancel;
    qint64 m_lastReportMs = -1000;
};

class JobBoard : public QObject {
    Q_OBJECT
public:
    using Work = std::function<JobOutcome(JobContext&)>;
    // `threads`: the pool's size; `perNodeCap`: jobs talking to one node at once.
    explicit JobBoard(int threads = 16, int perNodeCap = 2, QObject* parent = nullptr);
    ~JobBoard() override; // cancels what runs and waits for its workers

    // Queues `work`; `onFinished` runs on the board's thread with the outcome (also for a job
    // cancelled while it ran). Returns the job's id ("L<n>").
    QString start(JobKind kind, const QString& what, const QString& node, Work work,
                  std::function<void(const JobOutcome&)> onFinished = {});
    // Queued or running -> cancelled, at once: a running job's work is told to stop (CancelToken)
    // and its late result does not change the state. Its `onFinished` hears "cancelled" at once,
    // except for an import or a prune, which stop between files and report what they did.
    // False when there is no such job or it is over.
    bool cancel(const QString& id);
    bool retry(const QString& id); // a failed or cancelled transfer-queue job is queued again
    void cancelAll();              // the window closes: this session's jobs stop

    // The transfer queue's persisted jobs appear on the board ("T<id>"); cancel and retry go to it.
    void showTransferQueue(TransferQueue* queue);

    // Transfers are named by their study's patient, description and date (StudyName.h), not its
    // UID: `nameStudy` gives the name of a study the user has seen (a C-FIND result); the namer
    // is asked for the others (the cache's record of a study). Names are kept for the session.
    void nameStudy(const QString& studyUid, const QString& name);
    void setStudyNamer(std::function<QString(const std::string& studyUid)> namer);

    std::vector<JobInfo> jobs() const; // this session's, then the queue's
    std::optional<JobInfo> job(const QString& id) const;
    // Tests and the CLI: runs the event loop until the job is over and its work has returned
    // (false on timeout).
    bool waitFor(const QString& id, int milliseconds);

signals:
    void jobChanged(QString id);

private:
    struct Entry {
        JobInfo info;
        Work work;
        std::function<void(const JobOutcome&)> onFinished;
        std::shared_ptr<core::CancelToken> cancel;
        bool settled = false; // its work returned (or never ran): onFinished has run
    };
    static constexpr int kKeptFinished = 200;
    void forgetOldJobs();
    void startReady();
    void run(const QString& id);
    void finished(const QString& id, const JobOutcome& outcome);
    int runningOn(const QString& node) const;
    QString studyNameOf(const std::string& studyUid) const;

    QThreadPool m_pool;
    int m_perNodeCap;
    int m_next = 1;
    std::map<QString, Entry> m_entries; // this session's jobs (kept for the panel)
    std::vector<QString> m_order;
    std::deque<QString> m_waiting;
    TransferQueue* m_queue = nullptr;
    struct QueueProgress {
        qint64 done = 0, total = -1;
        double megabytesPerSecond = 0, etaSeconds = -1;
    };
    std::map<qint64, QueueProgress> m_queueProgress; // the latest report of each running transfer
    // Asked once per study: the panel asks for the jobs at every progress report.
    mutable std::map<std::string, QString> m_studyNames;
    std::function<QString(const std::string&)> m_studyNamer;
};

} // namespace lb::app
