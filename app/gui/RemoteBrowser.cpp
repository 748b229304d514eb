#include "app/gui/RemoteBrowser.h"
#include "app/gui/GuiText.h"
#include "app/services/StudyName.h"

#include <QComboBox>
#include <QDate>
#include <QDateEdit>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace lb::app::gui {
namespace {

// The model's columns (tests and code read them by these numbers); the header shows them in
// another order: Patient, Date, Modalities, Local, Images, Description, ID — what decides a
// retrieve first, so that a narrow dock still shows whether a study is here.
enum Column { Patient, Id, Date, Modalities, Description, Images, Local, Columns };
const Column kShownOrder[] = {Patient, Date, Modalities, Local, Images, Description, Id};

enum DatePreset { AnyDate, Today, Yesterday, LastWeek, LastMonth, CustomRange };

std::string dicomDate(const QDate& day)
{
    return day.toString("yyyyMMdd").toStdString();
}

// A network failure says its kind first ("timeout: ...", "refused: ..."): each asks for another
// remedy (wait, check the node's address, ask its administrator).
QString problemText(const core::Error& error)
{
    using core::ErrorCode;
    const bool network = error.code == ErrorCode::Refused || error.code == ErrorCode::Timeout || error.code == ErrorCode::Rejected ||
                         error.code == ErrorCode::Tls;
    return network ? QString("%1: %2").arg(core::errorCodeName(error.code), qs(error.message())) : qs(error.message());
}

} // namespace

RemoteBrowser::RemoteBrowser(RemoteQuery& remote, const NodeDirectory& nodes, const StudyCatalogue& catalogue, QWidget* parent)
    : QWidget(parent), m_remote(remote), m_nodes(nodes), m_catalogue(catalogue)
{
    buildSearchFields();
    buildResults();
    connect(m_results, &QTableWidget::itemSelectionChanged, this, [this] {
        const auto rows = m_results->selectionModel()->selectedRows();
        m_series->setRowCount(0);
        if (rows.size() == 1) listSeries(m_results->item(rows.first().row(), Patient)->data(Qt::UserRole).toString());
    });
    connect(m_searchButton, &QPushButton::clicked, this, &RemoteBrowser::search);
    for (QLineEdit* field : {m_patientName, m_patientId, m_modality})
        connect(field, &QLineEdit::returnPressed, this, &RemoteBrowser::search);
    connect(m_retrieveButton, &QPushButton::clicked, this, &RemoteBrowser::retrieveSelected);
    connect(m_cancelButton, &QPushButton::clicked, this, &RemoteBrowser::cancelSearch);
    connect(m_datePreset, &QComboBox::currentIndexChanged, this, [this](int preset) { m_range->setVisible(preset == CustomRange); });
    reloadNodes();
}

void RemoteBrowser::buildSearchFields()
{
    auto* column = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_node = new QComboBox(this);
    m_patientName = new QLineEdit(this);
    m_patientName->setPlaceholderText("SMITH*");
    m_patientId = new QLineEdit(this);
    m_datePreset = new QComboBox(this);
    m_datePreset->addItems({"Any date", "Today", "Yesterday", "Last 7 days", "Last 30 days", "Custom range"});
    m_from = new QDateEdit(QDate::currentDate().addDays(-7), this);
    m_to = new QDateEdit(QDate::currentDate(), this);
    m_range = new QWidget(this);
    auto* range = new QHBoxLayout(m_range);
    range->setContentsMargins(0, 0, 0, 0);
    for (QDateEdit* edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat("yyyy-MM-dd");
        range->addWidget(edit);
    }
    m_range->hide(); // shown for "Custom range"
    m_modality = new QLineEdit(this);
    m_modality->setPlaceholderText("CT, MR, ...");
    form->addRow("Node", m_node);
    form->addRow("Patient name", m_patientName);
    form->addRow("Patient ID", m_patientId);
    form->addRow("Study date", m_datePreset);
    form->addRow("", m_range);
    form->addRow("Modality", m_modality);
    column->addLayout(form);
    auto* buttons = new QHBoxLayout;
    m_searchButton = new QPushButton("Search", this);
    m_retrieveButton = new QPushButton("Retrieve", this);
    m_cancelButton = new QPushButton("Cancel", this);
    m_cancelButton->setEnabled(false);
    buttons->addWidget(m_searchButton);
    buttons->addWidget(m_cancelButton);
    buttons->addWidget(m_retrieveButton);
    column->addLayout(buttons);
}

void RemoteBrowser::buildResults()
{
    auto* column = qobject_cast<QVBoxLayout*>(layout());
    // While a C-FIND runs (a node may take its whole timeout to answer): a busy bar and what it
    // waits for; Cancel beside Search stops it.
    m_busy = new QWidget(this);
    auto* busy = new QHBoxLayout(m_busy);
    busy->setContentsMargins(0, 0, 0, 0);
    m_busyText = new QLabel(m_busy);
    auto* bar = new QProgressBar(m_busy);
    bar->setRange(0, 0);
    bar->setMaximumHeight(fontMetrics().height());
    bar->setTextVisible(false);
    busy->addWidget(m_busyText);
    busy->addWidget(bar, 1);
    m_busy->hide();
    m_problem = new QLabel(this);
    m_problem->setObjectName("remoteProblem");
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse); // to copy into a ticket
    m_problem->setStyleSheet("color: #c62828;");
    m_problem->hide();
    column->addWidget(m_busy);
    column->addWidget(m_problem);
    m_results = new QTableWidget(0, Columns, this);
    m_results->setHorizontalHeaderLabels({"Patient", "ID", "Date", "Mod.", "Description", "Images", "Local"});
    m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->setWordWrap(false);
    m_results->verticalHeader()->hide();
    auto* header = m_results->horizontalHeader();
    for (int shown = 0; shown < Columns; ++shown) header->moveSection(header->visualIndex(kShownOrder[shown]), shown);
    column->addWidget(m_results, 2);
    m_series = new QTableWidget(0, 4, this);
    m_series->setHorizontalHeaderLabels({"Series", "Modality", "Description", "Images"});
    m_series->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_series->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_series->verticalHeader()->hide();
    m_series->horizontalHeader()->setStretchLastSection(true);
    column->addWidget(m_series, 1);
}

void RemoteBrowser::retrieveSelected()
{
    const auto series = m_series->selectionModel()->selectedRows();
    if (!series.isEmpty()) {
        for (const auto& row : series)
            emit retrieveRequested(m_node->currentText(), m_series->item(row.row(), 0)->data(Qt::UserRole + 1).toString(),
                                   m_series->item(row.row(), 0)->data(Qt::UserRole).toString());
        return;
    }
    for (const auto& row : m_results->selectionModel()->selectedRows())
        emit retrieveRequested(m_node->currentText(), m_results->item(row.row(), Patient)->data(Qt::UserRole).toString(), QString());
}

void RemoteBrowser::listSeries(const QString& studyUid)
{
    if (!m_seriesJob.isEmpty()) m_remote.jobs().cancel(m_seriesJob);
    m_seriesOf = studyUid;
    QPointer<RemoteBrowser> self(this);
    m_seriesJob = m_remote.findSeries(m_node->currentText().toStdString(), studyUid.toStdString(),
                                      [self, studyUid](const QueryAnswer<RemoteSeries>& answer) {
                                          if (!self || self->m_seriesOf != studyUid) return; // the user moved on
                                          self->m_seriesJob.clear();
                                          if (answer.state == JobState::Cancelled) return;
                                          if (answer.error) return self->showProblem(problemText(*answer.error));
                                          self->showSeries(answer.rows);
                                      });
}

void RemoteBrowser::showSeries(const std::vector<RemoteSeries>& series)
{
    m_series->setRowCount(static_cast<int>(series.size()));
    for (int r = 0; r < static_cast<int>(series.size()); ++r) {
        const auto& s = series[r];
        const QStringList cells = {qs(s.seriesNumber), qs(s.modality), qs(s.description), QString::number(s.instanceCount)};
        for (int c = 0; c < cells.size(); ++c) m_series->setItem(r, c, new QTableWidgetItem(cells[c]));
        m_series->item(r, 0)->setData(Qt::UserRole, qs(s.seriesUid));
        m_series->item(r, 0)->setData(Qt::UserRole + 1, qs(s.studyUid));
    }
    emit seriesReady(static_cast<int>(series.size()));
}

void RemoteBrowser::reloadNodes()
{
    m_node->clear();
    m_node->addItems(qsList(m_nodes.names()));
}

void RemoteBrowser::setPatientName(const QString& pattern)
{
    m_patientName->setText(pattern);
}

std::string RemoteBrowser::studyDateRange() const
{
    const QDate today = QDate::currentDate();
    switch (m_datePreset->currentIndex()) {
    case Today: return dicomDate(today);
    case Yesterday: return dicomDate(today.addDays(-1));
    case LastWeek: return dicomDate(today.addDays(-6)) + "-" + dicomDate(today); // today and the 6 days before
    case LastMonth: return dicomDate(today.addDays(-29)) + "-" + dicomDate(today);
    case CustomRange: return dicomDate(std::min(m_from->date(), m_to->date())) + "-" + dicomDate(std::max(m_from->date(), m_to->date()));
    default: return {};
    }
}

void RemoteBrowser::search()
{
    RemoteSearch search;
    search.patientName = m_patientName->text().toStdString();
    search.patientId = m_patientId->text().toStdString();
    search.studyDate = studyDateRange();
    search.modality = m_modality->text().toStdString();
    m_results->setRowCount(0);
    m_series->setRowCount(0);
    showProblem({});
    QPointer<RemoteBrowser> self(this);
    m_searchJob = m_remote.findStudies(m_node->currentText().toStdString(), search, [self](const QueryAnswer<RemoteStudy>& answer) {
        if (!self) return;
        self->m_searchJob.clear();
        self->showBusy(false);
        if (answer.state == JobState::Cancelled) return emit self->cancelled();
        if (answer.error) return self->showProblem(problemText(*answer.error));
        self->showStudies(answer.rows);
    });
    showBusy(!m_searchJob.isEmpty());
}

void RemoteBrowser::showBusy(bool busy)
{
    m_busyText->setText(QString::fromUtf8("Searching %1\u2026").arg(m_node->currentText()));
    m_busy->setVisible(busy);
    m_searchButton->setEnabled(!busy);
    m_cancelButton->setEnabled(busy);
}

// In the panel, where the user looks (the status bar hears it too): red, until the next search.
void RemoteBrowser::showProblem(const QString& message)
{
    m_problem->setText(message);
    m_problem->setVisible(!message.isEmpty());
    if (!message.isEmpty()) emit problem(message);
}

QString RemoteBrowser::problemShown() const
{
    return m_problem->isVisible() ? m_problem->text() : QString();
}

bool RemoteBrowser::busyShown() const
{
    return m_busy->isVisible();
}

void RemoteBrowser::cancelSearch()
{
    if (!m_searchJob.isEmpty()) m_remote.jobs().cancel(m_searchJob);
    if (!m_seriesJob.isEmpty()) m_remote.jobs().cancel(m_seriesJob);
}

void RemoteBrowser::showStudies(const std::vector<RemoteStudy>& studies)
{
    m_results->setRowCount(static_cast<int>(studies.size()));
    for (int r = 0; r < static_cast<int>(studies.size()); ++r) {
        const auto& study = studies[r];
        const QStringList cells = {readablePersonName(study.patientName), qs(study.patientId), readableDate(study.studyDate),
                                   qs(study.modalities), qs(study.description), QString::number(study.instanceCount), ""};
        for (int c = 0; c < cells.size(); ++c) {
            m_results->setItem(r, c, new QTableWidgetItem(cells[c]));
            m_results->item(r, c)->setToolTip(cells[c]); // an elided name or description in full
        }
        m_results->item(r, Patient)->setData(Qt::UserRole, qs(study.studyUid));
        // Its transfer will be named so in the job panel (the study is not in the cache yet).
        m_remote.jobs().nameStudy(qs(study.studyUid), studyName(study.patientName, study.description, study.studyDate));
    }
    refreshLocalState();
    // Fit the columns, but no wider than a narrow dock allows the first ones (elided, tooltip).
    m_results->resizeColumnsToContents();
    for (Column wide : {Patient, Description}) m_results->setColumnWidth(wide, std::min(m_results->columnWidth(wide), 140));
    emit resultsReady(static_cast<int>(studies.size()));
}

void RemoteBrowser::refreshLocalState()
{
    std::vector<std::string> studies;
    for (int r = 0; r < m_results->rowCount(); ++r) studies.push_back(m_results->item(r, Patient)->data(Qt::UserRole).toString().toStdString());
    const auto held = m_catalogue.instancesOfStudies(studies); // one query for the whole list
    for (int r = 0; r < m_results->rowCount(); ++r) {
        const auto found = held.find(studies[r]);
        const int local = found == held.end() ? 0 : found->second;
        const int remote = m_results->item(r, Images)->text().toInt();
        const QString state = local == 0 ? "no" : local >= remote ? "yes" : QString("%1 of %2").arg(local).arg(remote);
        m_results->item(r, Local)->setText(state);
    }
}

} // namespace lb::app::gui
