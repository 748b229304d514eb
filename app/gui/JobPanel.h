#pragma once
// The job panel: every job of the board (app/services/Jobs.h): transfers of the queue
// (retrieves, sends), imports, queries, echoes, series loads, thumbnails, checks. Each row: the
// job named as a user reads it ("Retrieve — DOE, JOHN · CT HEAD · 2024-03-01"; its id, kind and
// UID in the tooltip), its state, a progress bar while it runs (done of total), node, MB/s, ETA
// and the error with its code ("timeout: PACS (AE@host:104): no answer within 30 s").
//
// States read at a glance: a failed job in red with the error, a cancelled one grey, a done one
// with a check; only a running job has a (moving) bar. Cancel acts on the selected job while it
// is queued or running, Retry on a failed or cancelled transfer: each button is enabled only
// then. The selection belongs to the job, not the row: when rows move (a new job arrives) it
// follows its job, so a Cancel never hits a neighbour. No modal dialogs: errors stay in the list.
#include "app/services/Jobs.h"

#include <QWidget>

class QPushButton;
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
    QString selectedJob() const; // "" when none
    void cancelSelected();
    void retrySelected();
    // A dock this panel sits in shows at least kMinimumRows rows (a laptop's 768 px screen
    // still shows several jobs, not one and a half).
    static constexpr int kMinimumRows = 4;
    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

private:
    void showJob(int row, const JobInfo& job);
    void showState(int row, const JobInfo& job);
    void setProgress(int row, const JobInfo& job);
    void updateButtons();
    int rowOf(const QString& id) const;
    int tableHeight(int rows) const;
    JobBoard& m_jobs;
    QTableWidget* m_table;
    QPushButton* m_cancel;
    QPushButton* m_retry;
};

} // namespace lb::app::gui
