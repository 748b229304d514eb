#include "app/gui/JobPanel.h"
#include "app/gui/GuiText.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace lb::app::gui {
namespace {

enum Column { Id, Kind, Node, Study, State, Progress, Speed, Eta, Problem, Columns };

} // namespace

JobPanel::JobPanel(TransferQueue& queue, QWidget* parent) : QWidget(parent), m_queue(queue)
{
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableWidget(0, Columns, this);
    m_table->setHorizontalHeaderLabels({"Job", "Kind", "Node", "Study", "State", "Progress", "MB/s", "ETA", "Problem"});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    auto* buttons = new QHBoxLayout;
    auto* cancel = new QPushButton("Cancel", this);
    auto* retry = new QPushButton("Retry", this);
    buttons->addWidget(cancel);
    buttons->addWidget(retry);
    buttons->addStretch();
    column->addWidget(m_table, 1);
    column->addLayout(buttons);
    auto selected = [this]() -> qint64 {
        const auto rows = m_table->selectionModel()->selectedRows();
        return rows.isEmpty() ? -1 : m_table->item(rows.first().row(), Id)->text().toLongLong();
    };
    connect(cancel, &QPushButton::clicked, this, [this, selected] {
        if (auto id = selected(); id >= 0) (void)m_queue.cancel(id);
    });
    connect(retry, &QPushButton::clicked, this, [this, selected] {
        if (auto id = selected(); id >= 0) (void)m_queue.retry(id);
    });
    // The queue signals from its threads: queued into this (GUI) thread.
    connect(&m_queue, &TransferQueue::jobStateChanged, this, [this] { refresh(); }, Qt::QueuedConnection);
    connect(&m_queue, &TransferQueue::jobProgress, this, &JobPanel::showProgress, Qt::QueuedConnection);
    refresh();
}

int JobPanel::rowOf(qint64 id) const
{
    for (int r = 0; r < m_table->rowCount(); ++r)
        if (m_table->item(r, Id)->text().toLongLong() == id) return r;
    return -1;
}

QString JobPanel::stateOf(qint64 id) const
{
    const int row = rowOf(id);
    return row < 0 ? QString() : m_table->item(row, State)->text();
}

void JobPanel::refresh()
{
    auto jobs = m_queue.jobs();
    if (!jobs) return;
    m_table->setRowCount(static_cast<int>(jobs->size()));
    for (int r = 0; r < static_cast<int>(jobs->size()); ++r) {
        const auto& job = (*jobs)[r];
        const QStringList cells = {QString::number(job.id), qs(job.kind), qs(job.node), qs(job.studyUid), qs(job.state),
                                   job.total >= 0 ? QString("%1 / %2").arg(job.done).arg(job.total) : QString::number(job.done),
                                   "", "", qs(job.lastError)};
        for (int c = 0; c < cells.size(); ++c) {
            if (!m_table->item(r, c)) m_table->setItem(r, c, new QTableWidgetItem);
            m_table->item(r, c)->setText(cells[c]);
        }
    }
}

void JobPanel::showProgress(qint64 id, int done, int total, double megabytesPerSecond, double etaSeconds)
{
    const int row = rowOf(id);
    if (row < 0) return refresh();
    m_table->item(row, Progress)->setText(total >= 0 ? QString("%1 / %2").arg(done).arg(total) : QString::number(done));
    m_table->item(row, Speed)->setText(QString::number(megabytesPerSecond, 'f', 1));
    m_table->item(row, Eta)->setText(etaSeconds >= 0 ? QString("%1 s").arg(etaSeconds, 0, 'f', 0) : "");
}

} // namespace lb::app::gui
