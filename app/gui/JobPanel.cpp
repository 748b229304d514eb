#include "app/gui/JobPanel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPainter>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace lb::app::gui {
namespace {

// Id and Kind stay in the model (tests and code find a job by its id) but are hidden: the job's
// label says its kind, its tooltip its id.
enum Column { Id, Kind, Node, What, State, Progress, Speed, Eta, Problem, Columns };

const QColor kFailedColor(0xc6, 0x28, 0x28);
const QColor kDoneColor(0x2e, 0x7d, 0x32);

QString problemText(const JobInfo& job)
{
    if (job.errorText.isEmpty() || job.state == JobState::Cancelled) return {}; // "cancelled" says it already
    // A network failure says its kind first (refused, timeout, rejected, tls): each asks for another remedy.
    const bool network = job.errorCode && (*job.errorCode == core::ErrorCode::Refused || *job.errorCode == core::ErrorCode::Timeout ||
                                           *job.errorCode == core::ErrorCode::Rejected || *job.errorCode == core::ErrorCode::Tls);
    if (!network) return job.errorText;
    return QString("%1: %2").arg(core::errorCodeName(*job.errorCode), job.errorText);
}

// Drawn, not taken from the style or an icon theme: a bare X server (or a desktop without a
// theme) has none, and the states must read the same everywhere.
QIcon stateIcon(JobState state)
{
    QPixmap pixmap(14, 14);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    if (state == JobState::Done) {
        painter.setPen(QPen(kDoneColor, 2.4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        painter.drawPolyline(QPolygonF({QPointF(2, 7.5), QPointF(5.5, 11), QPointF(12, 3)}));
    } else if (state == JobState::Failed) {
        painter.setPen(Qt::NoPen);
        painter.setBrush(kFailedColor);
        painter.drawEllipse(QRectF(0.5, 0.5, 13, 13));
        painter.setPen(QPen(Qt::white, 2, Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(QPointF(4.5, 4.5), QPointF(9.5, 9.5));
        painter.drawLine(QPointF(9.5, 4.5), QPointF(4.5, 9.5));
    } else if (state == JobState::Cancelled) {
        painter.setPen(QPen(Qt::gray, 2, Qt::SolidLine, Qt::RoundCap));
        painter.drawEllipse(QRectF(1.5, 1.5, 11, 11));
        painter.drawLine(QPointF(3.5, 10.5), QPointF(10.5, 3.5));
    } else {
        return {};
    }
    return QIcon(pixmap);
}

QString progressText(const JobInfo& job)
{
    if (job.state == JobState::Queued) return "waiting";
    if (job.total > 0) return QString("%1 / %2").arg(job.done).arg(job.total);
    return job.done > 0 ? QString::number(job.done) : QString();
}

} // namespace

JobPanel::JobPanel(JobBoard& jobs, QWidget* parent) : QWidget(parent), m_jobs(jobs)
{
    m_table = new QTableWidget(0, Columns, this);
    m_table->setHorizontalHeaderLabels({"Id", "Kind", "Node", "Job", "State", "Progress", "MB/s", "ETA", "Problem"});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Compact rows: a 120 px dock on a laptop shows several jobs.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    auto* header = m_table->horizontalHeader();
    header->setStretchLastSection(true);
    m_table->setColumnHidden(Id, true);
    m_table->setColumnHidden(Kind, true);
    header->moveSection(header->visualIndex(Node), header->visualIndex(Progress)); // Job, State, Progress, Node, ...
    m_table->setColumnWidth(What, 420);
    m_table->setColumnWidth(State, 100);
    m_table->setColumnWidth(Progress, 110);
    m_table->setColumnWidth(Node, 80);
    m_table->setColumnWidth(Speed, 50);
    m_table->setColumnWidth(Eta, 50);

    // The buttons beside the list, not under it: the dock's height goes to rows.
    m_cancel = new QPushButton("Cancel", this);
    m_retry = new QPushButton("Retry", this);
    auto* buttons = new QVBoxLayout;
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_retry);
    buttons->addStretch();
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_table, 1);
    row->addLayout(buttons);
    connect(m_cancel, &QPushButton::clicked, this, &JobPanel::cancelSelected);
    connect(m_retry, &QPushButton::clicked, this, &JobPanel::retrySelected);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &JobPanel::updateButtons);
    connect(&m_jobs, &JobBoard::jobChanged, this, [this](const QString& id) {
        const int row = rowOf(id);
        auto job = m_jobs.job(id);
        if (row < 0 || !job) return refresh(); // a new job (or one the board forgot)
        showJob(row, *job);
        updateButtons();
    });
    refresh();
}

int JobPanel::tableHeight(int rows) const
{
    const int header = m_table->horizontalHeader()->sizeHint().height();
    return header + rows * m_table->verticalHeader()->defaultSectionSize() + 2 * m_table->frameWidth();
}

QSize JobPanel::minimumSizeHint() const
{
    return {QWidget::minimumSizeHint().width(), tableHeight(kMinimumRows)};
}

QSize JobPanel::sizeHint() const
{
    return {800, tableHeight(kMinimumRows + 2)};
}

QString JobPanel::selectedJob() const
{
    const auto rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty() || !m_table->item(rows.first().row(), Id)) return {};
    return m_table->item(rows.first().row(), Id)->text();
}

void JobPanel::cancelSelected()
{
    const QString id = selectedJob();
    // The queue marks a running transfer cancelled at once but says so only when its worker has
    // returned (a hung association: the node's timeout): the row shows the new state now.
    if (!id.isEmpty() && m_jobs.cancel(id))
        if (auto now = m_jobs.job(id)) showJob(rowOf(id), *now);
    updateButtons();
}

void JobPanel::retrySelected()
{
    const QString id = selectedJob();
    if (!id.isEmpty()) m_jobs.retry(id);
    updateButtons();
}

void JobPanel::updateButtons()
{
    const QString id = selectedJob();
    const auto job = id.isEmpty() ? std::nullopt : m_jobs.job(id);
    m_cancel->setEnabled(job && !isFinal(job->state));
    // Only the transfer queue's jobs are kept to run again (JobBoard::retry).
    m_retry->setEnabled(job && id.startsWith('T') && (job->state == JobState::Failed || job->state == JobState::Cancelled));
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

// A bar only while the job runs (busy when its total is unknown); a job that is over, or has
// not started, shows its count as text: nothing moves that is not working.
void JobPanel::setProgress(int row, const JobInfo& job)
{
    if (job.state != JobState::Running) {
        if (QWidget* bar = m_table->cellWidget(row, Progress)) {
            bar->hide(); // the view deletes it later, and shows it until then
            m_table->removeCellWidget(row, Progress);
        }
        return;
    }
    auto* bar = qobject_cast<QProgressBar*>(m_table->cellWidget(row, Progress));
    if (!bar) {
        bar = new QProgressBar(m_table);
        m_table->setCellWidget(row, Progress, bar);
    }
    bar->setRange(0, job.total > 0 ? static_cast<int>(job.total) : 0);
    bar->setValue(static_cast<int>(job.done));
    bar->setFormat(job.total <= 0 ? QString::number(job.done) : "%v / %m");
}

void JobPanel::showState(int row, const JobInfo& job)
{
    QTableWidgetItem* state = m_table->item(row, State);
    state->setIcon(stateIcon(job.state));
    const QColor text = job.state == JobState::Failed                                    ? kFailedColor
                        : job.state == JobState::Cancelled                                  ? QColor(Qt::gray)
                                                           : m_table->palette().color(QPalette::Text);
    for (int c = 0; c < Columns; ++c) m_table->item(row, c)->setForeground(text);
    const QString tip = QString("%1 (%2 %3)\n%4").arg(job.label, jobKindName(job.kind), job.id, job.what) +
                        (job.errorText.isEmpty() ? QString() : "\n" + problemText(job));
    for (int c = 0; c < Columns; ++c) m_table->item(row, c)->setToolTip(tip);
}

void JobPanel::showJob(int row, const JobInfo& job)
{
    const QStringList cells = {job.id,
                               jobKindName(job.kind),
                               job.node,
                               job.label.isEmpty() ? job.what : job.label,
                               jobStateName(job.state),
                               progressText(job),
                               job.megabytesPerSecond > 0 && job.state == JobState::Running ? QString::number(job.megabytesPerSecond, 'f', 1) : QString(),
                               job.etaSeconds >= 0 && job.state == JobState::Running ? QString("%1 s").arg(job.etaSeconds, 0, 'f', 0) : QString(),
                               problemText(job)};
    for (int c = 0; c < cells.size(); ++c) {
        if (!m_table->item(row, c)) m_table->setItem(row, c, new QTableWidgetItem);
        m_table->item(row, c)->setText(cells[c]);
    }
    showState(row, job);
    setProgress(row, job);
}

void JobPanel::refresh()
{
    const QString selected = selectedJob(); // the selection belongs to the job, wherever its row goes
    const auto jobs = m_jobs.jobs();
    const QSignalBlocker quiet(m_table); // no selection signals for rows on their way
    m_table->setRowCount(static_cast<int>(jobs.size()));
    for (int row = 0; row < static_cast<int>(jobs.size()); ++row) showJob(row, jobs[row]);
    m_table->clearSelection();
    if (const int row = rowOf(selected); row >= 0)
        m_table->setCurrentCell(row, What, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    updateButtons();
}

} // namespace lb::app::gui
