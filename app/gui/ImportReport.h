#pragma once
// The files an import rejected, each with its reason, in a window of their own: not modal (the
// import is background work), it stays until read.
#include <QStringList>
#include <QWidget>

namespace lb::app::gui {

void showImportReport(QWidget* parent, const QStringList& lines);

} // namespace lb::app::gui
