#include "app/gui/StoredFilesNote.h"

#include "app/gui/Background.h"
#include "app/gui/GuiText.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>
#include <QStringList>

namespace lb::app::gui {

namespace {

QString instanceName(const cache::StoredFileFinding& finding)
{
    return finding.instanceNumber ? QString::number(*finding.instanceNumber) : qs(finding.sopInstanceUid);
}

} // namespace

StoredFilesNote::StoredFilesNote(std::filesystem::path storeDir, QWidget* parent) : QLabel(parent), m_storeDir(std::move(storeDir))
{
    setObjectName("storedFilesNote");
    setVisible(false);
}

StoredFilesNote::~StoredFilesNote()
{
    for (auto& [viewport, cancel] : m_running) cancel->cancel();
}

void StoredFilesNote::check(int viewport, const QString& label, std::vector<cache::InstanceRow> rows)
{
    clear(viewport);
    auto cancel = std::make_shared<core::CancelToken>();
    m_running[viewport] = cancel;
    QPointer<StoredFilesNote> self(this);
    runInBackground([self, storeDir = m_storeDir, rows = std::move(rows), cancel, viewport, label] {
        cache::StoredFileCheckOptions options;
        options.cancel = cancel.get();
        options.threads = 1; // not urgent: leave the other cores to the viewer
        auto findings = cache::checkStoredFiles(storeDir, rows, options);
        if (!findings) return; // cancelled: the viewport moved on
        QMetaObject::invokeMethod(qApp, [self, cancel, viewport, label, findings = std::move(*findings)] {
            if (!self) return;
            auto running = self->m_running.find(viewport);
            if (running == self->m_running.end() || running->second != cancel) return; // superseded
            self->m_running.erase(running);
            if (findings.empty()) return;
            QStringList details;
            for (const auto& finding : findings)
                details << QString("instance %1: %2").arg(instanceName(finding), qs(finding.reason));
            self->m_notes[viewport] = describe(label, findings);
            self->m_details[viewport] = details.join("\n");
            self->showNotes();
        });
    });
}

void StoredFilesNote::clear(int viewport)
{
    if (auto running = m_running.find(viewport); running != m_running.end()) {
        running->second->cancel();
        m_running.erase(running);
    }
    if (m_notes.erase(viewport) + m_details.erase(viewport) > 0) showNotes();
}

QString StoredFilesNote::describe(const QString& label, const std::vector<cache::StoredFileFinding>& findings)
{
    const std::pair<cache::StoredFileProblem, const char*> kinds[] = {{cache::StoredFileProblem::Changed, "changed since import"},
                                                                      {cache::StoredFileProblem::Missing, "missing from the store"},
                                                                      {cache::StoredFileProblem::Unreadable, "unreadable"}};
    QStringList parts;
    for (const auto& [kind, words] : kinds) {
        QStringList instances;
        for (const auto& finding : findings)
            if (finding.kind == kind) instances << instanceName(finding);
        if (instances.isEmpty()) continue;
        const qsizetype count = instances.size();
        if (count > 5) instances = instances.mid(0, 5) << "...";
        parts << QString("%1 file%2 %3 (instance%4 %5)")
                     .arg(count)
                     .arg(count == 1 ? "" : "s")
                     .arg(words)
                     .arg(count == 1 ? "" : "s")
                     .arg(instances.join(", "));
    }
    return parts.isEmpty() ? QString() : label + ": " + parts.join("; ");
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
