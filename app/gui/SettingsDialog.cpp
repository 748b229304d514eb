#include "app/gui/SettingsDialog.h"
#include "app/gui/GuiText.h"
#include "app/gui/ViewerPreferences.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QFileDialog>
#include <QGroupBox>
#include <QHeaderView>
#include <QTabWidget>
#include <QTableWidget>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>


namespace lb::app::gui {
SettingsDialog::SettingsDialog(Workstation& workstation, QWidget* parent)
    : QDialog(parent), m_nodeDirectory(workstation.nodes()), m_remote(workstation.remote()), m_maintenance(workstation.maintenance()),
      m_cacheRoot(workstation.cacheRoot())
{
    setWindowTitle("Settings");
    auto* outer = new QVBoxLayout(this);
    auto* tabs = new QTabWidget(this);
    outer->addWidget(tabs);
    auto* network = new QWidget(tabs);
    tabs->addTab(network, "Network");
    tabs->addTab(makeViewerPage(), "Viewer");
    tabs->addTab(makeCachePage(), "Cache");
    auto* column = new QVBoxLayout(network);

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
    m_tls = new QCheckBox("DICOM TLS (never in plain text)", nodesBox);
    m_tlsCa = new QLineEdit(nodesBox);
    m_tlsCa->setPlaceholderText("CA file (empty: the system's trust store)");
    form->addRow("Security", m_tls);
    form->addRow("CA file", m_tlsCa);
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
    m_listening = new QLabel(localBox);
    m_listening->setObjectName("listeningAddress");
    localForm->addRow("Listens on", m_listening);
    localForm->addRow(saveLocalButton);
    column->addWidget(localBox);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    outer->addWidget(m_status);

    wireNetworkPage(save, echo, saveLocalButton, remove);
}

// The Network tab's buttons and list, and what it shows of this workstation.
void SettingsDialog::wireNetworkPage(QPushButton* save, QPushButton* echo, QPushButton* saveLocalButton, QPushButton* remove)
{
    connect(save, &QPushButton::clicked, this, &SettingsDialog::saveNode);
    connect(echo, &QPushButton::clicked, this, &SettingsDialog::echoNode);
    connect(saveLocalButton, &QPushButton::clicked, this, &SettingsDialog::saveLocal);
    connect(remove, &QPushButton::clicked, this, [this] {
        if (!m_name->text().isEmpty()) (void)m_nodeDirectory.remove(m_name->text().toStdString());
        reloadNodes();
    });
    connect(m_nodes, &QListWidget::currentTextChanged, this, [this](const QString& name) {
        if (auto node = m_nodeDirectory.find(name.toStdString())) fillNode(*node);
    });
    connect(this, &SettingsDialog::echoFinished, this, [this](bool, QString text) { m_status->setText(text); });

    reloadNodes();
    m_localAe->setText(qs(m_nodeDirectory.localAeTitle()));
    m_storagePort->setValue(m_nodeDirectory.storagePort());
    if (const std::string listening = m_nodeDirectory.listening(); !listening.empty())
        m_listening->setText(qs(listening) + " (lightbox-cli settings set listen-address / listen-tls to change)");
}

QWidget* SettingsDialog::makeViewerPage()
{
    const ViewerPreferences preferences = ViewerPreferences::load();
    auto* page = new QWidget(this);
    auto* column = new QVBoxLayout(page);
    auto* mouseBox = new QGroupBox("Mouse buttons (drag)", page);
    auto* mouse = new QFormLayout(mouseBox);
    const char* labels[] = {"Left", "Middle", "Right"};
    for (int b = 0; b < 3; ++b) {
        m_buttons[b] = new QComboBox(mouseBox);
        m_buttons[b]->addItems(dragActionNames());
        m_buttons[b]->setCurrentText(dragActionName(preferences.buttons[b]));
        mouse->addRow(labels[b], m_buttons[b]);
    }
    // Found by its name when saved (the dialog's header is not this feature's to change).
    auto* sensitivity = new QDoubleSpinBox(mouseBox);
    sensitivity->setObjectName("windowSensitivity");
    sensitivity->setRange(0.1, 10);
    sensitivity->setSingleStep(0.25);
    sensitivity->setDecimals(2);
    sensitivity->setSuffix(" x");
    sensitivity->setValue(preferences.windowSensitivity);
    sensitivity->setToolTip("How fast a window/level drag goes: at 1 a drag across the viewport covers the series' "
                            "values from their 1st to their 99th percentile");
    mouse->addRow("W/L drag speed", sensitivity);
    column->addWidget(mouseBox);

    auto* presetBox = new QGroupBox("Window/level presets (keys 1-9, in this order)", page);
    auto* presetColumn = new QVBoxLayout(presetBox);
    m_presets = new QTableWidget(0, 3, presetBox);
    m_presets->setHorizontalHeaderLabels({"Name", "Centre", "Width"});
    m_presets->horizontalHeader()->setStretchLastSection(true);
    showPresets(preferences.presets);
    auto* presetButtons = new QHBoxLayout;
    auto* add = new QPushButton("Add", presetBox);
    auto* remove = new QPushButton("Remove", presetBox);
    auto* defaults = new QPushButton("Defaults", presetBox);
    presetButtons->addWidget(add);
    presetButtons->addWidget(remove);
    presetButtons->addWidget(defaults);
    presetButtons->addStretch();
    presetColumn->addWidget(m_presets);
    presetColumn->addLayout(presetButtons);
    column->addWidget(presetBox);
    auto* save = new QPushButton("Save", page);
    column->addWidget(save);
    connect(add, &QPushButton::clicked, this, [this] { addPresetRow({"new", render::Window{40, 400}}); });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_presets->currentRow() >= 0) m_presets->removeRow(m_presets->currentRow());
    });
    connect(defaults, &QPushButton::clicked, this, [this] { showPresets(render::windowPresets()); });
    connect(save, &QPushButton::clicked, this, &SettingsDialog::savePreferences);
    return page;
}

void SettingsDialog::addPresetRow(const render::WindowPreset& preset)
{
    const int row = m_presets->rowCount();
    m_presets->insertRow(row);
    m_presets->setItem(row, 0, new QTableWidgetItem(qs(preset.name)));
    m_presets->setItem(row, 1, new QTableWidgetItem(QString::number(preset.window.center)));
    m_presets->setItem(row, 2, new QTableWidgetItem(QString::number(preset.window.width)));
}

void SettingsDialog::showPresets(const std::vector<render::WindowPreset>& presets)
{
    m_presets->setRowCount(0);
    for (const auto& preset : presets) addPresetRow(preset);
}

QWidget* SettingsDialog::makeCachePage()
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    auto* locationRow = new QHBoxLayout;
    m_cacheLocation = new QLineEdit(ViewerPreferences::load().cacheLocation, page);
    m_cacheLocation->setPlaceholderText(qs(m_cacheRoot.string()) + " (this one)");
    auto* browse = new QPushButton("Browse...", page);
    locationRow->addWidget(m_cacheLocation);
    locationRow->addWidget(browse);
    form->addRow("Cache folder (next start)", locationRow);
    m_cacheLimit = new QSpinBox(page);
    m_cacheLimit->setRange(0, 100'000'000);
    m_cacheLimit->setSuffix(" MB");
    m_cacheLimit->setSpecialValueText("no limit");
    m_cacheUsage = new QLabel(page);
    if (auto limit = m_maintenance.limitBytes()) m_cacheLimit->setValue(static_cast<int>(*limit / (1024 * 1024)));
    if (auto usage = m_maintenance.usageBytes()) m_cacheUsage->setText(QString("%1 MB stored").arg(*usage / 1048576.0, 0, 'f', 1));
    form->addRow("Size limit", m_cacheLimit);
    form->addRow("", new QLabel("Over the limit, the studies added longest ago are removed after imports and retrieves\n"
                                "(never one on screen); the archive keeps the originals.", page));
    form->addRow("Now", m_cacheUsage);
    auto* save = new QPushButton("Save", page);
    form->addRow(save);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, "Cache folder");
        if (!folder.isEmpty()) m_cacheLocation->setText(folder);
    });
    connect(save, &QPushButton::clicked, this, &SettingsDialog::savePreferences);
    return page;
}

bool SettingsDialog::savePreferences()
{
    ViewerPreferences preferences;
    const auto actions = dragActionNames();
    for (int b = 0; b < 3; ++b) {
        const viewer::DragAction all[] = {viewer::DragAction::WindowLevel, viewer::DragAction::Zoom, viewer::DragAction::Pan,
                                          viewer::DragAction::Scroll, viewer::DragAction::None};
        preferences.buttons[b] = all[std::max(0, m_buttons[b]->currentIndex())];
    }
    preferences.presets.clear();
    for (int row = 0; row < m_presets->rowCount(); ++row) {
        auto cell = [&](int column) { return m_presets->item(row, column) ? m_presets->item(row, column)->text() : QString(); };
        bool centreOk = false, widthOk = false;
        const double centre = cell(1).toDouble(&centreOk), width = cell(2).toDouble(&widthOk);
        if (cell(0).trimmed().isEmpty() || !centreOk || !widthOk || width < 1) {
            m_status->setText(QString("preset %1: a name, a centre and a width of at least 1").arg(row + 1));
            return false;
        }
        preferences.presets.push_back({cell(0).trimmed().toStdString(), render::Window{centre, width}});
    }
    preferences.cacheLocation = m_cacheLocation->text().trimmed();
    if (auto* sensitivity = findChild<QDoubleSpinBox*>("windowSensitivity")) preferences.windowSensitivity = sensitivity->value();
    preferences.save();
    if (auto saved = m_maintenance.setLimitMegabytes(m_cacheLimit->value()); !saved)
        return m_status->setText("cannot save the cache limit: " + qs(saved.error().message())), false;
    m_status->setText("saved");
    emit preferencesSaved();
    return true;
}

void SettingsDialog::reloadNodes()
{
    m_nodes->clear();
    m_nodes->addItems(qsList(m_nodeDirectory.names()));
}

void SettingsDialog::fillNode(const NodeEntry& node)
{
    m_name->setText(qs(node.name));
    m_aeTitle->setText(qs(node.aeTitle));
    m_host->setText(qs(node.host));
    m_port->setValue(node.port);
    m_method->setCurrentText(qs(node.retrieveMethod));
    m_tls->setChecked(node.tls);
    m_tlsCa->setText(qs(node.tlsCa));
}

bool SettingsDialog::saveNode()
{
    if (m_name->text().trimmed().isEmpty() || m_host->text().trimmed().isEmpty()) {
        m_status->setText("a node needs a name and a host");
        return false;
    }
    if (auto problem = NodeDirectory::aeTitleProblem(m_aeTitle->text().toStdString()); !problem.empty()) {
        m_status->setText("AE title: " + qs(problem));
        return false;
    }
    if (auto saved = m_nodeDirectory.save(editedNode()); !saved) return m_status->setText(qs(saved.error().message())), false;
    m_status->setText("saved " + m_name->text());
    reloadNodes();
    return true;
}

NodeEntry SettingsDialog::editedNode() const
{
    NodeEntry node;
    node.name = m_name->text().trimmed().toStdString();
    // What the form does not show (timeouts, association limit, client certificate) stays as stored.
    if (auto stored = m_nodeDirectory.find(node.name)) node = *stored;
    node.aeTitle = m_aeTitle->text().toStdString();
    node.host = m_host->text().trimmed().toStdString();
    node.port = m_port->value();
    node.retrieveMethod = m_method->currentText().toStdString();
    node.tls = m_tls->isChecked();
    node.tlsCa = m_tlsCa->text().trimmed().toStdString();
    return node;
}

void SettingsDialog::echoNode()
{
    m_status->setText("echo " + m_name->text() + " ...");
    QPointer<SettingsDialog> self(this);
    m_remote.echo(editedNode(), m_localAe->text().toStdString(), [self](const EchoAnswer& answer) {
        if (self) emit self->echoFinished(answer.state == JobState::Done, qs(answer.text));
    });
}

bool SettingsDialog::saveLocal()
{
    if (auto saved = m_nodeDirectory.saveLocal(m_localAe->text().toStdString(), m_storagePort->value()); !saved)
        return m_status->setText(qs(saved.error().message())), false;
    m_status->setText("saved; a running storage SCP takes the new port at the next start");
    return true;
}

QString SettingsDialog::status() const
{
    return m_status->text();
}

} // namespace lb::app::gui
