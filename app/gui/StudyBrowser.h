#pragma once
// The local study browser: search fields that filter as you type (patient name with wildcards,
// patient ID, modality, study date presets or a range), a sortable table of studies and the
// selected study's series as thumbnails. Double click or Enter opens a study.
// The list: newest study first; patient, date, modalities, description and images shown (the
// other columns from the header's context menu), text sorted without regard to case, dates by
// date and time.
#include "app/gui/SeriesStrip.h"
#include "app/services/StudyCatalogue.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QDateEdit;
class QLineEdit;
class QTableWidget;

namespace lb::app::gui {

class StudyBrowser : public QWidget {
    Q_OBJECT
public:
    StudyBrowser(const StudyCatalogue& catalogue, SeriesLoader& thumbnails, QWidget* parent = nullptr);

    void refresh();
    int studyCount() const;
    void selectStudy(const QString& studyUid); // shows its series
    QString selectedStudy() const;

    QLineEdit* nameField() const { return m_name; }
    QLineEdit* idField() const { return m_id; }
    QComboBox* modalityBox() const { return m_modality; }
    QComboBox* dateBox() const { return m_datePreset; }
    QTableWidget* table() const { return m_studies; }
    SeriesStrip* seriesStrip() const { return m_series; }

signals:
    void studyActivated(QString studyUid);
    void seriesActivated(QString seriesUid);
    void message(QString text); // for the status bar

private:
    StudySearch search() const;
    void arrangeColumns();
    const StudyCatalogue& m_catalogue;
    QLineEdit* m_name;
    QLineEdit* m_id;
    QComboBox* m_modality;
    QComboBox* m_datePreset;
    QDateEdit* m_from;
    QDateEdit* m_to;
    QTableWidget* m_studies;
    SeriesStrip* m_series;
    QString m_shownStudy;
};

} // namespace lb::app::gui
