#include "app/gui/JobPanel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace lb::app::gui {
namespace {

enum Column { Id, Kind, Node, What, State, Progress, Speed, Eta, Problem, Columns };

QString problemText(const JobInfo& job)
{
    if (job.errorText.isEmpty()) return {};
    // A network failure says its kind first (refused, timeout, rejected, tls): each asks for another remedy.
    const bool network = job.errorCode && (*job.errorCode == core::ErrorCode::Refused || *job.errorCode == core::ErrorCode::Timeout ||
                                           *job.errorCode == core::ErrorCode::Rejected || *job.errorCode == core::ErrorCode::Tls);
    if (!network) return job.errorText;
    return QString("%1: %2").arg(core::errorCodeName(*job.errorCode), job.errorText);
}

} // namespace

JobPanel::JobPanel(JobBoard& jobs, QWidget* parent) : QWidget(parent), m_jobs(jobs)
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
    connect(cancel, &QPushButton::clicked, this, &JobPanel::cancelSelected);
    connect(retry, &QPushButton::clicked, this, [this] {
        const auto rows = m_table->selectionModel()->selectedRows();
        if (!rows.isEmpty()) m_jobs.retry(m_table->item(rows.first().row(), Id)->text());
    });
    connect(&m_jobs, &JobBoard::jobChanged, this, [this](const QString& id) {
        const int row = rowOf(id);
        auto job = m_jobs.job(id);
        if (row < 0 || !job) return refresh(); // a new job (or one the board forgot)
        showJob(row, *job);
    });
    refresh();
}

void JobPanel::cancelSelected()
{
    const auto rows = m_table->selectionModel()->selectedRows();
    if (!rows.isEmpty()) m_jobs.cancel(m_table->item(rows.first().row(), Id)->text());
}

int JobPanel::rowOf(const QString& id) const
{
    for (int r = 0; r < m_table->rowCount(); ++r)
        if (m_table->item(r, Id) && m_table->item(r, Id)->text() == id) return r;
    return -1;
}

QString JobPanel::stateOf(const QString& id) const
{
    const int row = rowOf(id);
    return row < 0 ? QString() : m_table->item(row, State)->text();
}

void JobPanel::setProgress(int row, qint64 done, qint64 total, bool over)
{
    auto* bar = qobject_cast<QProgressBar*>(m_table->cellWidget(row, Progress));
    if (!bar) {
        bar = new QProgressBar(m_table);
        m_table->setCellWidget(row, Progress, bar);
    }
    // Unknown total: a busy bar that still shows the count.
    bar->setRange(0, total > 0 ? static_cast<int>(total) : 0);
    bar->setValue(static_cast<int>(done));
    bar->setFormat(total <= 0 ? QString::number(done) : "%v / %m");
    if (over && total < 0) { // over with no count (a query, a check): a full bar rather than a busy one
        bar->setRange(0, 1);
        bar->setValue(1);
        bar->setFormat(done > 0 ? QString::number(done) : QString());
    }
}

void JobPanel::showJob(int row, const JobInfo& job)
{
    const QStringList cells = {job.id,
                               jobKindName(job.kind),
                               job.node,
                               job.what,
                               jobStateName(job.state),
                               job.total >= 0 ? QString("%1 / %2").arg(job.done).arg(job.total) : QString::number(job.done),
                               job.megabytesPerSecond > 0 ? QString::number(job.megabytesPerSecond, 'f', 1) : QString(),
                               job.etaSeconds >= 0 ? QString("%1 s").arg(job.etaSeconds, 0, 'f', 0) : QString(),
                               problemText(job)};
    for (int c = 0; c < cells.size(); ++c) {
        if (!m_table->item(row, c)) m_table->setItem(row, c, new QTableWidgetItem);
        m_table->item(row, c)->setText(cells[c]);
    }
    setProgress(row, job.done, job.total, isFinal(job.state));
}

void JobPanel::refresh()
{
    const auto jobs = m_jobs.jobs();
    m_table->setRowCount(static_cast<int>(jobs.size()));
    for (int row = 0; row < static_cast<int>(jobs.size()); ++row) showJob(row, jobs[row]);
}

} // namespace lb::app::gui
