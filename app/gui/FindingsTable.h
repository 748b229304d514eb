#pragma once
// The tracked findings of the study being read: one row per finding (lesion), its size on each
// date it was measured, and the change from the first to the last in percent.
#include "app/services/TrackedFindings.h"

#include <QTableWidget>

namespace lb::app::gui {

class FindingsTable : public QTableWidget {
    Q_OBJECT
public:
    explicit FindingsTable(QWidget* parent = nullptr);
    void showFindings(const std::vector<TrackedFinding>& findings);
};

} // namespace lb::app::gui
