#pragma once
// The remote browser: pick a configured node, fill the search fields (a date preset: any date,
// today, yesterday, the last 7 or 30 days, or a custom range), and a study-level C-FIND runs in
// the background (a job of the board): while it runs the panel says so ("Searching pacs…",
// a busy bar, Cancel); when it fails the panel says why in red (node down, association
// rejected, timeout) as well as the status bar. Each result says whether the study is already
// local (all, part or none of its instances); that column is among the first, so that it shows
// in a narrow dock. Selecting a study lists its series (a series-level C-FIND). Retrieve queues
// the selected series, or the selected studies when no series is selected; each study found is
// named on the job board (patient, description, date), so its transfer reads so in the job panel.
#include "app/services/RemoteQuery.h"
#include "app/services/StudyCatalogue.h"

#include <QWidget>

#include <filesystem>

class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace lb::app::gui {

class RemoteBrowser : public QWidget {
    Q_OBJECT
public:
    RemoteBrowser(RemoteQuery& remote, const NodeDirectory& nodes, const StudyCatalogue& catalogue, QWidget* parent = nullptr);

    void reloadNodes();
    void search(); // a query job; resultsReady() when done
    void cancelSearch(); // the running search (and series listing) stop; cancelled() says so
    QTableWidget* results() const { return m_results; }
    QTableWidget* seriesResults() const { return m_series; }
    QComboBox* dateBox() const { return m_datePreset; }
    // What the panel says of the last search's failure ("" when none) and whether it is busy.
    QString problemShown() const;
    bool busyShown() const;
    void retrieveSelected(); // what the Retrieve button does
    void setPatientName(const QString& pattern);
    void refreshLocalState(); // after a retrieve: which results are now local
    // The C-FIND study date the date fields ask for: "" (any), "YYYYMMDD" or "FROM-TO".
    std::string studyDateRange() const;

signals:
    void resultsReady(int count);
    void seriesReady(int count);
    // seriesUid empty: the whole study.
    void retrieveRequested(QString node, QString studyUid, QString seriesUid);
    void problem(QString message);
    void cancelled();

private:
    void buildSearchFields();
    void buildResults();
    void showStudies(const std::vector<RemoteStudy>& studies);
    void showSeries(const std::vector<RemoteSeries>& series);
    void showBusy(bool busy);
    void showProblem(const QString& message);
    RemoteQuery& m_remote;
    const NodeDirectory& m_nodes;
    const StudyCatalogue& m_catalogue;
    QString m_searchJob;
    QString m_seriesJob;
    QString m_seriesOf; // the study whose series are listed (or asked for)
    QComboBox* m_node;
    QLineEdit* m_patientName;
    QLineEdit* m_patientId;
    QComboBox* m_datePreset;
    QDateEdit* m_from;
    QDateEdit* m_to;
    QWidget* m_range;
    QLineEdit* m_modality;
    QPushButton* m_searchButton;
    QPushButton* m_retrieveButton;
    QPushButton* m_cancelButton;
    QWidget* m_busy;
    QLabel* m_busyText;
    QLabel* m_problem;
    QTableWidget* m_results;
    QTableWidget* m_series;
    void listSeries(const QString& studyUid);
};

} // namespace lb::app::gui
