#pragma once
// The remote browser: pick a configured node, fill the search fields, and a study-level C-FIND
// runs in the background; each result says whether the study is already local (all, part or
// none of its instances). Selecting a study lists its series (a series-level C-FIND). Retrieve
// queues the selected series, or the selected studies when no series is selected.
#include "cache/SqliteConnection.h"

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
    // `index`: the cache's index file (the browser reads it through its own connection).
    explicit RemoteBrowser(std::filesystem::path index, QWidget* parent = nullptr);

    void reloadNodes();
    void search(); // in the background; resultsReady() when done
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

private:
    std::filesystem::path m_index;
    QComboBox* m_node;
    QLineEdit* m_patientName;
    QLineEdit* m_patientId;
    QLineEdit* m_date;
    QLineEdit* m_modality;
    QPushButton* m_searchButton;
    QPushButton* m_retrieveButton;
    QTableWidget* m_results;
    QTableWidget* m_series;
    void listSeries(const QString& studyUid);
};

} // namespace lb::app::gui
