#pragma once
// The job panel: every job of the board (app/services/Jobs.h): transfers of the queue
// (retrieves, sends), imports, queries, echoes, series loads, thumbnails, checks. Each row: its
// kind, node, what, state, a progress bar (done of total), MB/s, ETA and the error with its code
// ("timeout: PACS (AE@host:104): no answer within 30 s"). Cancel and Retry act on the selected
// job. No modal dialogs: errors stay in the list.
#include "app/services/Jobs.h"

#include <QWidget>

class QTableWidget;

namespace lb::app::gui {

class JobPanel : public QWidget {
    Q_OBJECT
public:
    explicit JobPanel(JobBoard& jobs, QWidget* parent = nullptr);
    void refresh();
    QTableWidget* table() const { return m_table; }
    // The state column of a job ("queued", "running", "done", ...); empty when unknown.
    QString stateOf(const QString& id) const;
    void cancelSelected();

private:
    void showJob(int row, const JobInfo& job);
    void setProgress(int row, qint64 done, qint64 total, bool over);
    int rowOf(const QString& id) const;
    JobBoard& m_jobs;
    QTableWidget* m_table;
};

} // namespace lb::app::gui
