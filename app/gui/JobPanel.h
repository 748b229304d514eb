#pragma once
// The job panel: every transfer of the queue (retrieves, sends) and every import of this window,
// with its state, a progress bar (instances or files done of total), MB/s, ETA and the reason
// when it failed; Cancel and Retry act on the selected job. No modal dialogs: errors stay in
// the list.
#include "app/services/TransferQueue.h"
#include "core/CancelToken.h"

#include <QWidget>

#include <memory>
#include <vector>

class QTableWidget;

namespace lb::app::gui {

class JobPanel : public QWidget {
    Q_OBJECT
public:
    JobPanel(TransferQueue* queue, QWidget* parent = nullptr); // queue: null when transfers are off
    void refresh();
    QTableWidget* table() const { return m_table; }
    // The state column of a queue job ("queued", "running", "done", ...); empty when unknown.
    QString stateOf(qint64 id) const;

    // Work of this window (imports): a row of its own ("I1", "I2", ...), cancellable by `cancel`.
    int addLocalJob(const QString& kind, const QString& what, std::shared_ptr<core::CancelToken> cancel);
    void updateLocalJob(int job, qint64 done, qint64 total);
    void finishLocalJob(int job, const QString& state, const QString& problem = {});
    QString localStateOf(int job) const;
    void cancelLocalJobs(); // the window closes: running imports stop at their next file

private:
    struct LocalJob {
        int id = 0;
        QString kind, what, state = "running", problem;
        qint64 done = 0, total = -1;
        std::shared_ptr<core::CancelToken> cancel;
    };
    void showProgress(qint64 id, int done, int total, double megabytesPerSecond, double etaSeconds);
    void setProgress(int row, qint64 done, qint64 total);
    void setRow(int row, const QStringList& cells);
    int rowOf(const QString& id) const;
    TransferQueue* m_queue;
    QTableWidget* m_table;
    std::vector<LocalJob> m_local;
};

} // namespace lb::app::gui
