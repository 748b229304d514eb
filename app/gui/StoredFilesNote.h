#pragma once
// A status-bar note naming the stored files of the series on screen that are no longer as
// imported (the viewing session checks them after each load: app/services/CacheMaintenance.h):
// "series 1.2.3 (28 images): 1 file changed since import (instance 14)", one line per file in
// its tooltip. It follows the viewports and is hidden while every series on screen is intact.
#include <QLabel>

#include <map>

namespace lb::app::gui {

class StoredFilesNote : public QLabel {
    Q_OBJECT
public:
    explicit StoredFilesNote(QWidget* parent = nullptr);
    // `viewport` shows `label` whose stored files have these problems (none: its note goes).
    void setNote(int viewport, const QString& label, const QString& summary, const QStringList& details);
    void clear(int viewport);

private:
    void showNotes();
    std::map<int, QString> m_notes;
    std::map<int, QString> m_details;
};

} // namespace lb::app::gui
