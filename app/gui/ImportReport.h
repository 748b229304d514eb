#pragma once
// What an import did, in a window of its own: per series what came in (patient, study, series,
// new and already-there counts), then the warnings and the files rejected, each with its
// reason. Not modal and shown without taking the keyboard (the import is background work and
// the reader may be reading): it stays until read.
#include "app/services/ImportService.h"
#include "app/services/StudyCatalogue.h"

#include <QWidget>

namespace lb::app::gui {

// The study that brought the most new instances ("" when nothing new came in): the one the
// study list shows and selects after an import.
QString mainImportedStudy(const ImportOutcome& outcome);

void showImportReport(QWidget* parent, const ImportOutcome& outcome, const StudyCatalogue& catalogue);

} // namespace lb::app::gui
