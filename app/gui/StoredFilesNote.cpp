#include "app/gui/StoredFilesNote.h"

namespace lb::app::gui {

StoredFilesNote::StoredFilesNote(QWidget* parent) : QLabel(parent)
{
    setObjectName("storedFilesNote");
    setVisible(false);
}

void StoredFilesNote::setNote(int viewport, const QString& label, const QString& summary, const QStringList& details)
{
    if (summary.isEmpty()) return clear(viewport);
    m_notes[viewport] = label + ": " + summary;
    m_details[viewport] = details.join("\n");
    showNotes();
}

void StoredFilesNote::clear(int viewport)
{
    if (m_notes.erase(viewport) + m_details.erase(viewport) > 0) showNotes();
}

void StoredFilesNote::showNotes()
{
    QStringList notes, details;
    for (const auto& [viewport, note] : m_notes) notes << note;
    for (const auto& [viewport, detail] : m_details) details << detail;
    setText("<b>" + notes.join(" | ").toHtmlEscaped() + "</b>");
    setToolTip(details.join("\n")
               + "\n\nThese stored files are not the bytes that were imported (a disk or copy error, or a program "
                 "that changed them): what is shown may be wrong or incomplete. Import the series again from its "
                 "source or retrieve it again; `lightbox-cli check` lists every damaged file in the cache.");
    setVisible(!notes.isEmpty());
}

} // namespace lb::app::gui
