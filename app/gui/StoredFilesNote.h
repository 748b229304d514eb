#pragma once
// A status-bar note naming the stored files of the series on screen that are no longer as
// imported (cache/StoredFileCheck.h): "series 1.2.3 (28 images): 1 file changed since import
// (instance 14)". A viewport's series is checked in the background once its load is over (the
// files are then in the page cache and the decoders are done with the CPU); the note follows
// the viewports and is hidden while every series on screen is intact. The viewport's own flag
// comes with a later issue.
#include "cache/StoredFileCheck.h"

#include <QLabel>

#include <filesystem>
#include <map>
#include <memory>
#include <vector>

namespace lb::app::gui {

class StoredFilesNote : public QLabel {
    Q_OBJECT
public:
    explicit StoredFilesNote(std::filesystem::path storeDir, QWidget* parent = nullptr);
    ~StoredFilesNote() override; // cancels the checks still running

    // `viewport` now shows the series `label` whose index rows are `rows`: check its files.
    void check(int viewport, const QString& label, std::vector<cache::InstanceRow> rows);
    // `viewport` shows something else: its note goes, its check is cancelled.
    void clear(int viewport);

    // "LABEL: 1 file changed since import (instance 14); 2 files missing from the store
    // (instances 3, 4)"; empty without findings.
    static QString describe(const QString& label, const std::vector<cache::StoredFileFinding>& findings);

private:
    void showNotes();
    std::filesystem::path m_storeDir;
    std::map<int, std::shared_ptr<core::CancelToken>> m_running;
    std::map<int, QString> m_notes;
    std::map<int, QString> m_details; // per file, for the tooltip
};

} // namespace lb::app::gui
