#pragma once
// The job panel: every transfer of the queue with its state, progress (instances done/total,
// MB/s, ETA) and the reason when it failed; Cancel and Retry act on the selected job. No
// modal dialogs: errors stay in the list.
#include "app/services/TransferQueue.h"

#include <QWidget>

class QTableWidget;

namespace lb::app::gui {

class JobPanel : public QWidget {
    Q_OBJECT
public:
    JobPanel(TransferQueue& queue, QWidget* parent = nullptr);
    void refresh();
    QTableWidget* table() const { return m_table; }
    // The state column of a job ("queued", "running", "done", ...); empty when unknown.
    QString stateOf(qint64 id) const;

private:
    void showProgress(qint64 id, int done, int total, double megabytesPerSecond, double etaSeconds);
    int rowOf(qint64 id) const;
    TransferQueue& m_queue;
    QTableWidget* m_table;
};

} // namespace lb::app::gui
