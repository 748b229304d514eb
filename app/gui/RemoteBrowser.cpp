#include "app/gui/RemoteBrowser.h"
#include "app/gui/GuiText.h"
#include "app/gui/Background.h"

#include "app/services/NetworkProfile.h"
#include "cache/NodeSettings.h"
#include "cache/StudyQuery.h"
#include "netclient/Find.h"

#include <QApplication>
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

RemoteBrowser::RemoteBrowser(std::filesystem::path index, QWidget* parent) : QWidget(parent), m_index(std::move(index))
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
    buttons->addWidget(m_searchButton);
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
    auto connection = cache::SqliteConnection::open(m_index, cache::SqliteConnection::Mode::ReadOnly);
    if (!connection) return emit problem(qs(connection.error().message()));
    auto peer = peerNamed(*connection, m_node->currentText().toStdString());
    if (!peer) return emit problem(qs(peer.error().message()));
    netclient::FindQuery query;
    query.level = netclient::QueryLevel::Series;
    query.studyUid = studyUid.toStdString();
    QPointer<RemoteBrowser> self(this);
    runInBackground([self, local = peer->local, node = peer->node, query, studyUid] {
        std::vector<netclient::FindMatch> matches;
        auto found = netclient::find(local, node, query, [&](const netclient::FindMatch& match) { matches.push_back(match); });
        QString error = found ? QString() : qs(found.error().message());
        QMetaObject::invokeMethod(qApp, [self, matches = std::move(matches), error, studyUid] {
            if (!self) return;
            if (!error.isEmpty()) return emit self->problem(error);
            // Still the selected study? (The user may have moved on.)
            const auto rows = self->m_results->selectionModel()->selectedRows();
            if (rows.size() != 1 || self->m_results->item(rows.first().row(), Patient)->data(Qt::UserRole).toString() != studyUid)
                return;
            self->m_series->setRowCount(static_cast<int>(matches.size()));
            for (int r = 0; r < static_cast<int>(matches.size()); ++r) {
                const auto& m = matches[r];
                const QStringList cells = {qs(m.value("SeriesNumber")), qs(m.value("Modality")), qs(m.value("SeriesDescription")),
                                           qs(m.value("NumberOfSeriesRelatedInstances"))};
                for (int c = 0; c < cells.size(); ++c) self->m_series->setItem(r, c, new QTableWidgetItem(cells[c]));
                self->m_series->item(r, 0)->setData(Qt::UserRole, qs(m.value("SeriesInstanceUID")));
                self->m_series->item(r, 0)->setData(Qt::UserRole + 1, studyUid);
            }
            emit self->seriesReady(static_cast<int>(matches.size()));
        });
    });
}

void RemoteBrowser::reloadNodes()
{
    m_node->clear();
    m_node->addItems(nodeNames(m_index));
}

void RemoteBrowser::setPatientName(const QString& pattern)
{
    m_patientName->setText(pattern);
}

void RemoteBrowser::search()
{
    auto connection = cache::SqliteConnection::open(m_index, cache::SqliteConnection::Mode::ReadOnly);
    if (!connection) return emit problem(qs(connection.error().message()));
    auto peer = peerNamed(*connection, m_node->currentText().toStdString());
    if (!peer) return emit problem(qs(peer.error().message()));
    netclient::FindQuery query;
    query.patientName = m_patientName->text().toStdString();
    query.patientId = m_patientId->text().toStdString();
    query.studyDate = m_date->text().toStdString();
    query.modality = m_modality->text().toStdString();
    m_searchButton->setEnabled(false);
    m_results->setRowCount(0);
    QPointer<RemoteBrowser> self(this);
    runInBackground([self, local = peer->local, node = peer->node, query] {
        std::vector<netclient::FindMatch> matches;
        auto found = netclient::find(local, node, query, [&](const netclient::FindMatch& match) { matches.push_back(match); });
        QString error = found ? QString() : qs(found.error().message());
        QMetaObject::invokeMethod(qApp, [self, matches = std::move(matches), error] {
            if (!self) return;
            self->m_searchButton->setEnabled(true);
            if (!error.isEmpty()) return emit self->problem(error);
            self->m_results->setRowCount(static_cast<int>(matches.size()));
            for (int r = 0; r < static_cast<int>(matches.size()); ++r) {
                const auto& m = matches[r];
                QString name = qs(m.value("PatientName"));
                name.replace('^', ", ");
                const QStringList cells = {name, qs(m.value("PatientID")), qs(m.value("StudyDate")),
                                           qs(m.value("ModalitiesInStudy")), qs(m.value("StudyDescription")),
                                           qs(m.value("NumberOfStudyRelatedInstances")), ""};
                for (int c = 0; c < cells.size(); ++c) self->m_results->setItem(r, c, new QTableWidgetItem(cells[c]));
                self->m_results->item(r, Patient)->setData(Qt::UserRole, qs(m.value("StudyInstanceUID")));
            }
            self->refreshLocalState();
            self->m_results->resizeColumnsToContents();
            emit self->resultsReady(static_cast<int>(matches.size()));
        });
    });
}

void RemoteBrowser::refreshLocalState()
{
    auto connection = cache::SqliteConnection::open(m_index, cache::SqliteConnection::Mode::ReadOnly);
    if (!connection) return;
    cache::StudyQuery query(*connection);
    for (int r = 0; r < m_results->rowCount(); ++r) {
        const std::string study = m_results->item(r, Patient)->data(Qt::UserRole).toString().toStdString();
        int local = 0;
        if (auto series = query.series(study))
            for (const auto& s : *series) local += s.numInstances;
        const int remote = m_results->item(r, Images)->text().toInt();
        const QString state = local == 0 ? "no" : local >= remote ? "yes" : QString("%1 of %2").arg(local).arg(remote);
        m_results->item(r, Local)->setText(state);
    }
}

} // namespace lb::app::gui
