#include "app/gui/ImportReport.h"

#include <QDialog>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace lb::app::gui {

void showImportReport(QWidget* parent, const QStringList& lines)
{
    auto* dialog = new QDialog(parent);
    dialog->setObjectName("importReport");
    dialog->setWindowTitle(QString("Import: %1 files rejected").arg(lines.size()));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto* text = new QPlainTextEdit(lines.join('\n'), dialog);
    text->setReadOnly(true);
    text->setLineWrapMode(QPlainTextEdit::NoWrap);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(text);
    dialog->resize(720, 320);
    dialog->show();
}

} // namespace lb::app::gui
