#include "app/gui/ImportReport.h"

#include "app/gui/GuiText.h"

#include <QDialog>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QVBoxLayout>

#include <map>

namespace lb::app::gui {
namespace {

QString patientOf(const std::optional<StudySummary>& study)
{
    if (!study) return "(not in the cache)";
    return qs(study->patientName).replace('^', ' ').trimmed() + "  " + qs(study->studyDate);
}

QTableWidget* seriesTable(const ImportOutcome& outcome, const StudyCatalogue& catalogue, QWidget* parent)
{
    auto* table = new QTableWidget(static_cast<int>(outcome.series.size()), 5, parent);
    table->setObjectName("importedSeries");
    table->setHorizontalHeaderLabels({"Patient, study date", "Series", "Modality", "New", "Already there"});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    std::map<std::string, std::vector<SeriesSummary>> seriesOfStudy; // asked once per study
    int row = 0;
    for (const ImportedSeries& imported : outcome.series) {
        if (!seriesOfStudy.count(imported.studyUid)) seriesOfStudy[imported.studyUid] = catalogue.seriesOf(imported.studyUid);
        QString description = "(series not in the cache)", modality;
        for (const SeriesSummary& series : seriesOfStudy[imported.studyUid])
            if (series.seriesUid == imported.seriesUid) {
                description = (series.seriesNumber ? QString::number(*series.seriesNumber) + " " : "") + qs(series.description);
                modality = qs(series.modality);
            }
        const QStringList cells{patientOf(catalogue.study(imported.studyUid)), description, modality,
                                QString::number(imported.imported), QString::number(imported.alreadyPresent)};
        for (int column = 0; column < cells.size(); ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            item->setToolTip(column == 1 ? qs(imported.seriesUid) : cells[column]);
            table->setItem(row, column, item);
        }
        ++row;
    }
    table->resizeColumnsToContents();
    table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    return table;
}

QString notesText(const ImportOutcome& outcome)
{
    QStringList lines;
    for (const auto& warning : outcome.warnings) lines << qs("warning: " + warning.file + ": " + warning.reason);
    for (const auto& conflict : outcome.conflicts) lines << qs("kept aside (quarantine): " + conflict.file + ": " + conflict.reason);
    for (const auto& rejected : outcome.rejected) lines << qs("rejected: " + rejected.file + ": " + rejected.reason);
    return lines.join('\n');
}

} // namespace

QString mainImportedStudy(const ImportOutcome& outcome)
{
    std::map<std::string, int64_t> newOfStudy;
    for (const ImportedSeries& series : outcome.series) newOfStudy[series.studyUid] += series.imported;
    std::string best;
    int64_t most = 0;
    for (const auto& [study, count] : newOfStudy)
        if (count > most) best = study, most = count;
    return qs(best);
}

void showImportReport(QWidget* parent, const ImportOutcome& outcome, const StudyCatalogue& catalogue)
{
    auto* dialog = new QDialog(parent);
    dialog->setObjectName("importReport");
    const int notes = static_cast<int>(outcome.warnings.size() + outcome.conflicts.size() + outcome.rejected.size());
    dialog->setWindowTitle(QString("Import: %1 new instances in %2 series, %3 files rejected")
                               .arg(outcome.imported)
                               .arg(outcome.series.size())
                               .arg(outcome.rejected.size()));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAttribute(Qt::WA_ShowWithoutActivating); // the keys stay with the viewer
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(new QLabel(QString("%1 new instances, %2 already in the cache, %3 files rejected, %4 warnings")
                                     .arg(outcome.imported)
                                     .arg(outcome.alreadyPresent)
                                     .arg(outcome.rejected.size())
                                     .arg(outcome.warnings.size()),
                                 dialog));
    layout->addWidget(seriesTable(outcome, catalogue, dialog), 2);
    if (notes > 0) {
        auto* text = new QPlainTextEdit(notesText(outcome), dialog);
        text->setObjectName("importNotes");
        text->setReadOnly(true);
        text->setLineWrapMode(QPlainTextEdit::NoWrap);
        layout->addWidget(text, 1);
    }
    dialog->resize(760, 360);
    dialog->show();
}

} // namespace lb::app::gui
