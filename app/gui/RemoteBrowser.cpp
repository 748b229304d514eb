#include "app/gui/RemoteBrowser.h"
#include "app/gui/GuiText.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace lb::app::gui {
namespace {

enum Column { Patient, Id, Date, Modalities, Description, Images, Local, Columns };

} // namespace

RemoteBrowser::RemoteBrowser(RemoteQuery& remote, const NodeDirectory& nodes, const StudyCatalogue& catalogue, QWidget* parent)
    : QWidget(parent), m_remote(remote), m_nodes(nodes), m_catalogue(catalogue)
{
    auto* column = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_node = new QComboBox(this);
    m_patientName = new QLineEdit(this);
    m_patientName->setPlaceholderText("SMITH*");
    m_patientId = new QLineEdit(this);
    m_date = new QLineEdit(this);
    m_date->setPlaceholderText("YYYYMMDD or FROM-TO");
    m_modality = new QLineEdit(this);
    form->addRow("Node", m_node);
    form->addRow("Patient name", m_patientName);
    form->addRow("Patient ID", m_patientId);
    form->addRow("Study date", m_date);
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
    m_results = new QTableWidget(0, Columns, this);
    m_results->setHorizontalHeaderLabels({"Patient", "ID", "Date", "Modalities", "Description", "Images", "Local"});
    m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->verticalHeader()->hide();
    column->addWidget(m_results, 2);
    m_series = new QTableWidget(0, 4, this);
    m_series->setHorizontalHeaderLabels({"Series", "Modality", "Description", "Images"});
    m_series->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_series->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_series->verticalHeader()->hide();
    m_series->horizontalHeader()->setStretchLastSection(true);
    column->addWidget(m_series, 1);
    connect(m_results, &QTableWidget::itemSelectionChanged, this, [this] {
        const auto rows = m_results->selectionModel()->selectedRows();
        m_series->setRowCount(0);
        if (rows.size() == 1) listSeries(m_results->item(rows.first().row(), Patient)->data(Qt::UserRole).toString());
    });

    connect(m_searchButton, &QPushButton::clicked, this, &RemoteBrowser::search);
    for (QLineEdit* field : {m_patientName, m_patientId, m_date, m_modality})
        connect(field, &QLineEdit::returnPressed, this, &RemoteBrowser::search);
    connect(m_retrieveButton, &QPushButton::clicked, this, &RemoteBrowser::retrieveSelected);
    connect(m_cancelButton, &QPushButton::clicked, this, &RemoteBrowser::cancelSearch);
    reloadNodes();
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
                                          if (answer.error) return emit self->problem(qs(answer.error->message()));
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

void RemoteBrowser::search()
{
    RemoteSearch search;
    search.patientName = m_patientName->text().toStdString();
    search.patientId = m_patientId->text().toStdString();
    search.studyDate = m_date->text().toStdString();
    search.modality = m_modality->text().toStdString();
    m_results->setRowCount(0);
    m_series->setRowCount(0);
    QPointer<RemoteBrowser> self(this);
    m_searchJob = m_remote.findStudies(m_node->currentText().toStdString(), search, [self](const QueryAnswer<RemoteStudy>& answer) {
        if (!self) return;
        self->m_searchJob.clear();
        self->m_searchButton->setEnabled(true);
        self->m_cancelButton->setEnabled(false);
        if (answer.state == JobState::Cancelled) return emit self->cancelled();
        if (answer.error) return emit self->problem(qs(answer.error->message()));
        self->showStudies(answer.rows);
    });
    const bool running = !m_searchJob.isEmpty();
    m_searchButton->setEnabled(!running);
    m_cancelButton->setEnabled(running);
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
        QString name = qs(study.patientName);
        name.replace('^', ", ");
        const QStringList cells = {name, qs(study.patientId), qs(study.studyDate), qs(study.modalities), qs(study.description),
                                   QString::number(study.instanceCount), ""};
        for (int c = 0; c < cells.size(); ++c) m_results->setItem(r, c, new QTableWidgetItem(cells[c]));
        m_results->item(r, Patient)->setData(Qt::UserRole, qs(study.studyUid));
    }
    refreshLocalState();
    m_results->resizeColumnsToContents();
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
