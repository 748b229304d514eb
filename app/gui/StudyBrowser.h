#pragma once
// The local study browser: search fields that filter as you type (patient name with wildcards,
// patient ID, modality, study date presets or a range), a sortable table of studies and the
// selected study's series as thumbnails. Double click or Enter opens a study.
#include "app/gui/SeriesStrip.h"
#include "cache/LocalCache.h"
#include "cache/StudyQuery.h"

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
    StudyBrowser(cache::SqliteConnection& reader, const cache::FileStore& store, QWidget* parent = nullptr);

    void refresh();
    int studyCount() const;
    std::optional<cache::StudyRow> study(const QString& studyUid) const;
    void selectStudy(const QString& studyUid); // shows its series
    QString selectedStudy() const;
    // The files of a series' instances in the order of the index (empty when unknown).
    std::vector<std::filesystem::path> seriesFiles(const QString& seriesUid) const;
    std::vector<cache::SeriesRow> seriesOf(const QString& studyUid) const;

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
    cache::StudyFilter filter() const;
    cache::SqliteConnection& m_reader;
    const cache::FileStore& m_store;
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
