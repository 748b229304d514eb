#include "app/gui/JobPanel.h"
#include "app/gui/GuiText.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace lb::app::gui {
namespace {

enum Column { Id, Kind, Node, Study, State, Progress, Speed, Eta, Problem, Columns };

QString localId(int id)
{
    return QString("I%1").arg(id);
}

} // namespace

JobPanel::JobPanel(TransferQueue* queue, QWidget* parent) : QWidget(parent), m_queue(queue)
{
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableWidget(0, Columns, this);
    m_table->setHorizontalHeaderLabels({"Job", "Kind", "Node", "Study / files", "State", "Progress", "MB/s", "ETA", "Problem"});
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
    auto selected = [this]() -> QString {
        const auto rows = m_table->selectionModel()->selectedRows();
        return rows.isEmpty() ? QString() : m_table->item(rows.first().row(), Id)->text();
    };
    connect(cancel, &QPushButton::clicked, this, [this, selected] {
        const QString id = selected();
        for (auto& job : m_local)
            if (localId(job.id) == id && job.cancel) job.cancel->cancel();
        if (m_queue && !id.isEmpty() && !id.startsWith('I')) (void)m_queue->cancel(id.toLongLong());
    });
    connect(retry, &QPushButton::clicked, this, [this, selected] {
        const QString id = selected();
        if (m_queue && !id.isEmpty() && !id.startsWith('I')) (void)m_queue->retry(id.toLongLong());
    });
    if (m_queue) {
        // The queue signals from its threads: queued into this (GUI) thread.
        connect(m_queue, &TransferQueue::jobStateChanged, this, [this] { refresh(); }, Qt::QueuedConnection);
        connect(m_queue, &TransferQueue::jobProgress, this, &JobPanel::showProgress, Qt::QueuedConnection);
    }
    refresh();
}

int JobPanel::rowOf(const QString& id) const
{
    for (int r = 0; r < m_table->rowCount(); ++r)
        if (m_table->item(r, Id) && m_table->item(r, Id)->text() == id) return r;
    return -1;
}

QString JobPanel::stateOf(qint64 id) const
{
    const int row = rowOf(QString::number(id));
    return row < 0 ? QString() : m_table->item(row, State)->text();
}

QString JobPanel::localStateOf(int job) const
{
    for (const auto& local : m_local)
        if (local.id == job) return local.state;
    return {};
}

void JobPanel::setRow(int row, const QStringList& cells)
{
    for (int c = 0; c < cells.size(); ++c) {
        if (!m_table->item(row, c)) m_table->setItem(row, c, new QTableWidgetItem);
        m_table->item(row, c)->setText(cells[c]);
    }
}

void JobPanel::setProgress(int row, qint64 done, qint64 total)
{
    auto* bar = qobject_cast<QProgressBar*>(m_table->cellWidget(row, Progress));
    if (!bar) {
        bar = new QProgressBar(m_table);
        bar->setFormat("%v / %m");
        m_table->setCellWidget(row, Progress, bar);
    }
    // Unknown total: a busy bar that still shows the count.
    bar->setRange(0, total > 0 ? static_cast<int>(total) : 0);
    bar->setValue(static_cast<int>(done));
    if (total <= 0) bar->setFormat(QString::number(done));
    else bar->setFormat("%v / %m");
    if (!m_table->item(row, Progress)) m_table->setItem(row, Progress, new QTableWidgetItem);
    m_table->item(row, Progress)->setText(total >= 0 ? QString("%1 / %2").arg(done).arg(total) : QString::number(done));
}

void JobPanel::refresh()
{
    std::vector<cache::TransferJobRecord> jobs;
    if (m_queue)
        if (auto listed = m_queue->jobs()) jobs = std::move(*listed);
    m_table->setRowCount(static_cast<int>(jobs.size() + m_local.size()));
    int row = 0;
    for (const auto& job : jobs) {
        setRow(row, {QString::number(job.id), qs(job.kind), qs(job.node), qs(job.studyUid), qs(job.state), QString(), "", "",
                     qs(job.lastError)});
        setProgress(row++, job.done, job.total);
    }
    for (const auto& job : m_local) {
        setRow(row, {localId(job.id), job.kind, "", job.what, job.state, QString(), "", "", job.problem});
        setProgress(row++, job.done, job.total);
    }
}

void JobPanel::showProgress(qint64 id, int done, int total, double megabytesPerSecond, double etaSeconds)
{
    const int row = rowOf(QString::number(id));
    if (row < 0) return refresh();
    setProgress(row, done, total);
    m_table->item(row, Speed)->setText(QString::number(megabytesPerSecond, 'f', 1));
    m_table->item(row, Eta)->setText(etaSeconds >= 0 ? QString("%1 s").arg(etaSeconds, 0, 'f', 0) : "");
}

int JobPanel::addLocalJob(const QString& kind, const QString& what, std::shared_ptr<core::CancelToken> cancel)
{
    const int id = m_local.empty() ? 1 : m_local.back().id + 1;
    m_local.push_back({id, kind, what, "running", {}, 0, -1, std::move(cancel)});
    refresh();
    return id;
}

void JobPanel::updateLocalJob(int job, qint64 done, qint64 total)
{
    for (auto& local : m_local)
        if (local.id == job) {
            local.done = done;
            local.total = total;
            if (const int row = rowOf(localId(job)); row >= 0) setProgress(row, done, total);
        }
}

void JobPanel::cancelLocalJobs()
{
    for (auto& local : m_local)
        if (local.cancel) local.cancel->cancel();
}

void JobPanel::finishLocalJob(int job, const QString& state, const QString& problem)
{
    for (auto& local : m_local)
        if (local.id == job) {
            local.state = state;
            local.problem = problem;
            local.cancel.reset();
        }
    refresh();
}

} // namespace lb::app::gui
