#include "app/gui/FindingsTable.h"

#include "app/gui/PriorsStrip.h"

#include <QHeaderView>

#include <set>

namespace lb::app::gui {

FindingsTable::FindingsTable(QWidget* parent) : QTableWidget(parent)
{
    setObjectName("findingsTable");
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    verticalHeader()->hide();
    horizontalHeader()->setStretchLastSection(true);
    showFindings({});
}

void FindingsTable::showFindings(const std::vector<TrackedFinding>& findings)
{
    std::set<std::string> dates; // one column per date any finding was measured on
    for (const auto& finding : findings)
        for (const auto& size : finding.sizes) dates.insert(size.studyDate);
    QStringList headers{"Finding"};
    for (const auto& date : dates) headers << readableDate(date);
    headers << "Change";
    clear();
    setColumnCount(headers.size());
    setHorizontalHeaderLabels(headers);
    setRowCount(static_cast<int>(findings.size()));
    for (int row = 0; row < static_cast<int>(findings.size()); ++row) {
        const auto& finding = findings[row];
        setItem(row, 0, new QTableWidgetItem(QString::fromStdString(finding.name)));
        int column = 1;
        for (const auto& date : dates) {
            QString text;
            for (const auto& size : finding.sizes)
                if (size.studyDate == date) text = QString("%1 mm").arg(size.millimetres, 0, 'f', 1);
            setItem(row, column++, new QTableWidgetItem(text));
        }
        const auto change = finding.changePercent();
        setItem(row, column, new QTableWidgetItem(change ? QString("%1%2 %").arg(*change > 0 ? "+" : "").arg(*change, 0, 'f', 1) : "-"));
    }
    resizeColumnsToContents();
}

} // namespace lb::app::gui
