// The job model: typed states, a cap per node, cancel of queued and running work.
#include "app/services/Jobs.h"

#include <QCoreApplication>
#include <QThread>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

namespace lb::app {
namespace {

// Work that runs until its job is cancelled or `release` is set.
JobBoard::Work waitingWork(std::atomic<int>& started, std::atomic<bool>& release)
{
    return [&started, &release](JobContext& context) -> JobOutcome {
        ++started;
        while (!release && !context.cancelled()) QThread::msleep(5);
        if (context.cancelled()) return JobOutcome::from(core::makeError(core::ErrorCode::Cancelled, "", "cancelled"));
        return JobOutcome::done();
    };
}

TEST(JobBoard, ANodeGetsNoMoreThanItsCapAndTheNextJobStartsWhenOneEnds)
{
    JobBoard board(8, 2);
    std::atomic<int> started{0};
    std::atomic<bool> release{false};
    const QString a = board.start(JobKind::Query, "1", "PACS", waitingWork(started, release));
    const QString b = board.start(JobKind::Query, "2", "PACS", waitingWork(started, release));
    const QString c = board.start(JobKind::Query, "3", "PACS", waitingWork(started, release));
    std::atomic<int> otherStarted{0};
    std::atomic<bool> otherRelease{true};
    const QString other = board.start(JobKind::Echo, "elsewhere", "VNA", waitingWork(otherStarted, otherRelease));
    ASSERT_TRUE(board.waitFor(other, 5000)); // another node is not held back by PACS's queue
    EXPECT_EQ(board.job(other)->state, JobState::Done);
    EXPECT_EQ(started.load(), 2);
    EXPECT_EQ(board.job(c)->state, JobState::Queued);
    release = true;
    ASSERT_TRUE(board.waitFor(c, 5000));
    for (const QString& id : {a, b, c}) EXPECT_EQ(board.job(id)->state, JobState::Done) << id.toStdString();
    EXPECT_EQ(started.load(), 3);
}

TEST(JobBoard, CancelStopsARunningJobAtOnceAndAQueuedOneNeverRuns)
{
    JobBoard board(8, 1);
    std::atomic<int> started{0};
    std::atomic<bool> release{false};
    std::optional<JobOutcome> runningOutcome, queuedOutcome;
    const QString running = board.start(JobKind::Retrieve, "study", "PACS", waitingWork(started, release),
                                        [&](const JobOutcome& outcome) { runningOutcome = outcome; });
    const QString queued = board.start(JobKind::Retrieve, "study 2", "PACS", waitingWork(started, release),
                                       [&](const JobOutcome& outcome) { queuedOutcome = outcome; });
    while (started.load() == 0) QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    EXPECT_TRUE(board.cancel(queued));
    EXPECT_EQ(board.job(queued)->state, JobState::Cancelled);
    ASSERT_TRUE(queuedOutcome.has_value()); // its requester hears at once
    EXPECT_EQ(queuedOutcome->state, JobState::Cancelled);
    EXPECT_TRUE(board.cancel(running));
    EXPECT_EQ(board.job(running)->state, JobState::Cancelled); // at once, not when the work notices
    ASSERT_TRUE(board.waitFor(running, 5000));
    QCoreApplication::processEvents();
    ASSERT_TRUE(runningOutcome.has_value());
    EXPECT_EQ(runningOutcome->state, JobState::Cancelled);
    EXPECT_EQ(started.load(), 1); // the queued one never ran
    EXPECT_FALSE(board.cancel(running)); // over
}

TEST(JobBoard, AFailureKeepsItsCodeAndTextAndProgressIsReported)
{
    JobBoard board;
    const QString id = board.start(JobKind::Echo, "PACS", "PACS", [](JobContext& context) -> JobOutcome {
        context.progress(1, 2);
        QThread::msleep(150); // past the ~10/s throttle
        context.progress(2, 2);
        return JobOutcome::from(core::makeError(core::ErrorCode::Timeout, "PACS (ORTHANC@127.0.0.1:4242)", "no answer within 5 s"));
    });
    qint64 lastDone = 0;
    QObject::connect(&board, &JobBoard::jobChanged, [&](const QString& changed) {
        if (changed == id) lastDone = std::max(lastDone, board.job(id)->done);
    });
    ASSERT_TRUE(board.waitFor(id, 5000));
    const auto job = board.job(id);
    EXPECT_EQ(job->state, JobState::Failed);
    ASSERT_TRUE(job->errorCode.has_value());
    EXPECT_EQ(*job->errorCode, core::ErrorCode::Timeout);
    EXPECT_EQ(job->errorText.toStdString(), "PACS (ORTHANC@127.0.0.1:4242): no answer within 5 s");
    EXPECT_EQ(lastDone, 2);
    EXPECT_STREQ(jobStateName(job->state), "failed");
    EXPECT_STREQ(jobKindName(job->kind), "echo");
}

TEST(JobBoard, ALongSessionKeepsTheLatestFinishedJobsAndEveryRunningOne)
{
    JobBoard board(4, 2);
    std::atomic<int> started{0};
    std::atomic<bool> release{false};
    bool runningEnded = false;
    const QString running = board.start(JobKind::SeriesLoad, "still loading", {}, waitingWork(started, release),
                                        [&](const JobOutcome&) { runningEnded = true; });
    QString last;
    for (int i = 0; i < 260; ++i) last = board.start(JobKind::Thumbnail, QString::number(i), {}, [](JobContext&) { return JobOutcome::done(); });
    ASSERT_TRUE(board.waitFor(last, 10000));
    for (int i = 0; i < 50 && board.jobs().size() > 201u; ++i) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    EXPECT_EQ(board.jobs().size(), 201u); // 200 finished + the running one
    EXPECT_TRUE(board.job(running).has_value());
    EXPECT_TRUE(board.job(last).has_value());
    EXPECT_FALSE(board.job("L2").has_value()); // the oldest thumbnail is forgotten
    release = true; // once over, it is the oldest finished job: the next to be forgotten
    for (int i = 0; i < 250 && !runningEnded; ++i) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(10);
    }
    EXPECT_TRUE(runningEnded);
}

} // namespace
} // namespace lb::app
