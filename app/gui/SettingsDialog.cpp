#include "app/gui/SettingsDialog.h"
#include "app/gui/GuiText.h"

#include "app/services/NetworkProfile.h"
#include "cache/NodeSettings.h"
#include "netclient/Echo.h"

#include <QApplication>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <thread>

namespace lb::app::gui {
SettingsDialog::SettingsDialog(std::filesystem::path index, QWidget* parent) : QDialog(parent), m_index(std::move(index))
{
    setWindowTitle("Settings");
    auto* column = new QVBoxLayout(this);

    auto* nodesBox = new QGroupBox("Remote nodes", this);
    auto* nodesRow = new QHBoxLayout(nodesBox);
    m_nodes = new QListWidget(nodesBox);
    nodesRow->addWidget(m_nodes, 1);
    auto* form = new QFormLayout;
    m_name = new QLineEdit(nodesBox);
    m_aeTitle = new QLineEdit(nodesBox);
    m_host = new QLineEdit(nodesBox);
    m_port = new QSpinBox(nodesBox);
    m_port->setRange(1, 65535);
    m_port->setValue(104);
    m_method = new QComboBox(nodesBox);
    m_method->addItems({"move", "get"});
    form->addRow("Name", m_name);
    form->addRow("AE title", m_aeTitle);
    form->addRow("Host", m_host);
    form->addRow("Port", m_port);
    form->addRow("Retrieve with", m_method);
    auto* buttons = new QHBoxLayout;
    auto* save = new QPushButton("Save node", nodesBox);
    auto* remove = new QPushButton("Remove", nodesBox);
    auto* echo = new QPushButton("Echo", nodesBox);
    buttons->addWidget(save);
    buttons->addWidget(remove);
    buttons->addWidget(echo);
    form->addRow(buttons);
    nodesRow->addLayout(form, 2);
    column->addWidget(nodesBox);

    auto* localBox = new QGroupBox("This workstation", this);
    auto* localForm = new QFormLayout(localBox);
    m_localAe = new QLineEdit(localBox);
    m_storagePort = new QSpinBox(localBox);
    m_storagePort->setRange(1, 65535);
    auto* saveLocalButton = new QPushButton("Save", localBox);
    localForm->addRow("AE title", m_localAe);
    localForm->addRow("Storage port (C-MOVE)", m_storagePort);
    localForm->addRow(saveLocalButton);
    column->addWidget(localBox);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    column->addWidget(m_status);

    connect(save, &QPushButton::clicked, this, &SettingsDialog::saveNode);
    connect(echo, &QPushButton::clicked, this, &SettingsDialog::echoNode);
    connect(saveLocalButton, &QPushButton::clicked, this, &SettingsDialog::saveLocal);
    connect(remove, &QPushButton::clicked, this, [this] {
        auto connection = cache::SqliteConnection::open(m_index, cache::SqliteConnection::Mode::ReadWrite);
        if (connection && !m_name->text().isEmpty()) (void)cache::removeNode(*connection, m_name->text().toStdString());
        reloadNodes();
    });
    connect(m_nodes, &QListWidget::currentTextChanged, this, [this](const QString& name) {
        auto connection = cache::SqliteConnection::open(m_index, cache::SqliteConnection::Mode::ReadOnly);
        if (!connection) return;
        auto node = cache::findNode(*connection, name.toStdString());
        if (node && *node)
            fillNode(qs((*node)->name), qs((*node)->aeTitle), qs((*node)->host), (*node)->port, qs((*node)->retrieveMethod));
    });
    connect(this, &SettingsDialog::echoFinished, this, [this](bool, QString text) { m_status->setText(text); });

    reloadNodes();
    if (auto connection = cache::SqliteConnection::open(m_index, cache::SqliteConnection::Mode::ReadOnly)) {
        if (auto local = localIdentity(*connection)) {
            m_localAe->setText(qs(local->aeTitle));
            m_storagePort->setValue(local->storagePort);
        }
    }
}

void SettingsDialog::reloadNodes()
{
    m_nodes->clear();
    m_nodes->addItems(nodeNames(m_index));
}

void SettingsDialog::fillNode(const QString& name, const QString& aeTitle, const QString& host, int port,
                              const QString& method)
{
    m_name->setText(name);
    m_aeTitle->setText(aeTitle);
    m_host->setText(host);
    m_port->setValue(port);
    m_method->setCurrentText(method);
}

bool SettingsDialog::saveNode()
{
    if (m_name->text().trimmed().isEmpty() || m_host->text().trimmed().isEmpty()) {
        m_status->setText("a node needs a name and a host");
        return false;
    }
    if (auto problem = aeTitleProblem(m_aeTitle->text().toStdString()); !problem.empty()) {
        m_status->setText("AE title: " + qs(problem));
        return false;
    }
    cache::NodeRecord node;
    node.name = m_name->text().trimmed().toStdString();
    node.aeTitle = m_aeTitle->text().toStdString();
    node.host = m_host->text().trimmed().toStdString();
    node.port = m_port->value();
    node.retrieveMethod = m_method->currentText().toStdString();
    auto connection = cache::SqliteConnection::open(m_index, cache::SqliteConnection::Mode::ReadWrite);
    if (!connection) return m_status->setText(qs(connection.error().message())), false;
    if (auto saved = cache::saveNode(*connection, node); !saved) return m_status->setText(qs(saved.error().message())), false;
    m_status->setText("saved " + m_name->text());
    reloadNodes();
    return true;
}

void SettingsDialog::echoNode()
{
    netclient::RemoteNode node;
    node.name = m_name->text().toStdString();
    node.aeTitle = m_aeTitle->text().toStdString();
    node.host = m_host->text().toStdString();
    node.port = m_port->value();
    node.connectTimeoutSeconds = 5;
    node.dimseTimeoutSeconds = 5;
    netclient::LocalIdentity local;
    local.aeTitle = m_localAe->text().toStdString();
    m_status->setText("echo " + m_name->text() + " ...");
    QPointer<SettingsDialog> self(this);
    std::thread([self, local, node] {
        auto echoed = netclient::echo(local, node);
        const bool ok = echoed.ok();
        const QString text = ok ? QString("%1: C-ECHO ok (%2 ms)").arg(qs(node.label())).arg(echoed->milliseconds, 0, 'f', 1)
                                : qs(echoed.error().message());
        QMetaObject::invokeMethod(qApp, [self, ok, text] {
            if (self) emit self->echoFinished(ok, text);
        });
    }).detach();
}

bool SettingsDialog::saveLocal()
{
    const std::string ae = m_localAe->text().toStdString();
    if (auto problem = aeTitleProblem(ae); !problem.empty()) return m_status->setText("AE title: " + qs(problem)), false;
    auto connection = cache::SqliteConnection::open(m_index, cache::SqliteConnection::Mode::ReadWrite);
    if (!connection) return m_status->setText(qs(connection.error().message())), false;
    if (!cache::writeSetting(*connection, kLocalAeSetting, ae) ||
        !cache::writeSetting(*connection, kStoragePortSetting, std::to_string(m_storagePort->value())))
        return m_status->setText("cannot save the settings"), false;
    m_status->setText("saved; a running storage SCP takes the new port at the next start");
    return true;
}

QString SettingsDialog::status() const
{
    return m_status->text();
}

} // namespace lb::app::gui
