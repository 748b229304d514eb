#pragma once
// The remote browser: pick a configured node, fill the search fields, and a study-level C-FIND
// runs in the background; each result says whether the study is already local (all, part or
// none of its instances). Selecting a study lists its series (a series-level C-FIND). Retrieve
// queues the selected series, or the selected studies when no series is selected.
#include "app/services/RemoteQuery.h"
#include "app/services/StudyCatalogue.h"

#include <QWidget>

#include <filesystem>

class QComboBox;
class QLineEdit;
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
    void retrieveSelected(); // what the Retrieve button does
    void setPatientName(const QString& pattern);
    void refreshLocalState(); // after a retrieve: which results are now local

signals:
    void resultsReady(int count);
    void seriesReady(int count);
    // seriesUid empty: the whole study.
    void retrieveRequested(QString node, QString studyUid, QString seriesUid);
    void problem(QString message);
    void cancelled();

private:
    void showStudies(const std::vector<RemoteStudy>& studies);
    void showSeries(const std::vector<RemoteSeries>& series);
    RemoteQuery& m_remote;
    const NodeDirectory& m_nodes;
    const StudyCatalogue& m_catalogue;
    QString m_searchJob;
    QString m_seriesJob;
    QString m_seriesOf; // the study whose series are listed (or asked for)
    QComboBox* m_node;
    QLineEdit* m_patientName;
    QLineEdit* m_patientId;
    QLineEdit* m_date;
    QLineEdit* m_modality;
    QPushButton* m_searchButton;
    QPushButton* m_retrieveButton;
    QPushButton* m_cancelButton;
    QTableWidget* m_results;
    QTableWidget* m_series;
    void listSeries(const QString& studyUid);
};

} // namespace lb::app::gui
