// The reading toolbar and the menus that mirror it (Tools, Image, Study): every action a key or
// a right click does, visible, with its key beside it in the menu. The image actions send their
// key to the active view, so that a menu, a toolbar button and a key do exactly the same thing
// (the 3D view answers its own keys). The tool is the grid's (viewer/ViewerGrid.h): its button
// stays pressed while it is active, whichever way it was chosen.
#include "app/gui/MainWindow.h"

#include "app/gui/GuiText.h"
#include "app/gui/HangingController.h"
#include "app/gui/StudyBrowser.h"
#include "app/gui/ViewerPreferences.h"
#include "app/services/StudyName.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QKeyEvent>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>

#include <vector>

namespace lb::app::gui {
namespace {

struct ToolEntry {
    viewer::Tool tool;
    const char* label;
    const char* key; // "" when only the toolbar and the menu choose it
};

constexpr ToolEntry kTools[] = {
    {viewer::Tool::WindowLevel, "W/L", "W, Esc"}, {viewer::Tool::Zoom, "Zoom", "Z"},
    {viewer::Tool::Pan, "Pan", "G"},              {viewer::Tool::Scroll, "Scroll", ""},
    {viewer::Tool::Crosshair, "Crosshair", ""},   {viewer::Tool::Distance, "Distance", "D"},
    {viewer::Tool::Angle, "Angle", "A"},          {viewer::Tool::Rectangle, "Box ROI", "B"},
    {viewer::Tool::Ellipse, "Ellipse ROI", "E"},  {viewer::Tool::Freehand, "Freehand ROI", "F"},
};

struct KeyEntry {
    const char* label;
    int key;
    Qt::KeyboardModifiers modifiers;
    const char* keyText;
    const char* toolbarText = nullptr; // on the toolbar too, under this name
};

constexpr KeyEntry kImageKeys[] = {
    {"Reset view", Qt::Key_R, Qt::NoModifier, "R", "Reset"},
    {"Invert", Qt::Key_I, Qt::NoModifier, "I"},
    {"Rotate left", Qt::Key_BracketLeft, Qt::NoModifier, "["},
    {"Rotate right", Qt::Key_BracketRight, Qt::NoModifier, "]"},
    {"Flip horizontally", Qt::Key_H, Qt::NoModifier, "H"},
    {"Flip vertically", Qt::Key_V, Qt::NoModifier, "V"},
    {"Next colour map", Qt::Key_M, Qt::NoModifier, "M"},
    {"Smooth / sharp pixels", Qt::Key_L, Qt::NoModifier, "L"},
    {"Thick slab 5 / 10 / 20 mm", Qt::Key_S, Qt::NoModifier, "S"},
    {"Slab mode (MIP, MinIP, average)", Qt::Key_S, Qt::ShiftModifier, "Shift+S"},
    {"Cine on / off", Qt::Key_C, Qt::NoModifier, "C", "Cine"},
    {"Cine over time / slices", Qt::Key_C, Qt::ShiftModifier, "Shift+C"},
    {"Cine faster", Qt::Key_Plus, Qt::NoModifier, "+"},
    {"Cine slower", Qt::Key_Minus, Qt::NoModifier, "-"},
    {"Previous time point", Qt::Key_Comma, Qt::NoModifier, ","},
    {"Next time point", Qt::Key_Period, Qt::NoModifier, "."},
    {"Delete the selected measurement", Qt::Key_Delete, Qt::NoModifier, "Del"},
};

// A menu of the menu bar, placed before Help.
QMenu* menuBeforeHelp(QMenuBar* bar, const QString& title)
{
    auto* menu = new QMenu(title, bar);
    for (QAction* existing : bar->actions())
        if (existing->menu() && existing->text().remove('&') == "Help") {
            bar->insertMenu(existing, menu);
            return menu;
        }
    bar->addMenu(menu);
    return menu;
}

QString withKey(const QString& label, const QString& key)
{
    return key.isEmpty() ? label : label + "\t" + key;
}

} // namespace

void MainWindow::sendKeyToView(int key, Qt::KeyboardModifiers modifiers)
{
    QWidget* view = activeView();
    if (!view) return;
    QKeyEvent press(QEvent::KeyPress, key, modifiers);
    QApplication::sendEvent(view, &press);
}

void MainWindow::startInWindowLevel()
{
    m_grid->setTool(viewer::Tool::WindowLevel);
}

void MainWindow::buildToolMenus()
{
    auto send = [this](int key, Qt::KeyboardModifiers modifiers) { sendKeyToView(key, modifiers); };
    QMenu* tools = menuBeforeHelp(menuBar(), "&Tools");
    auto* toolGroup = new QActionGroup(this);
    for (const ToolEntry& entry : kTools) {
        QAction* action = tools->addAction(withKey(entry.label, entry.key), this, [this, tool = entry.tool] {
            m_grid->setTool(tool);
            focusViewer();
        });
        action->setIconText(entry.label);
        action->setToolTip(QString(entry.label) + (*entry.key ? QString(" (%1)").arg(entry.key) : QString()));
        action->setCheckable(true);
        action->setChecked(entry.tool == m_grid->tool());
        action->setData(QString("tool:") + viewer::toolName(entry.tool));
        toolGroup->addAction(action);
    }
    connect(m_grid, &viewer::ViewerGrid::toolChanged, this, [toolGroup](viewer::Tool tool) {
        for (QAction* action : toolGroup->actions())
            if (action->data().toString() == QString("tool:") + viewer::toolName(tool)) action->setChecked(true);
    });

    QMenu* image = menuBeforeHelp(menuBar(), "&Image");
    QMenu* presets = image->addMenu("Window &presets");
    presets->setObjectName("presets");
    // The presets are the user's (settings): listed as they are when the menu opens.
    auto listPresets = [this, presets, send] {
        presets->clear();
        const auto list = ViewerPreferences::load().presets;
        for (int number = 1; number <= static_cast<int>(list.size()) && number <= 9; ++number)
            presets->addAction(withKey(qs(list[number - 1].name), QString::number(number)), this,
                               [send, number] { send(Qt::Key_0 + number, Qt::NoModifier); });
        presets->addAction(withKey("The series' own", "0"), this, [send] { send(Qt::Key_0, Qt::NoModifier); });
    };
    listPresets(); // the menu mirrors the keys from the start (and its actions can be found)
    connect(presets, &QMenu::aboutToShow, this, listPresets);
    for (const KeyEntry& entry : kImageKeys) {
        QAction* action = image->addAction(withKey(entry.label, entry.keyText), this,
                                           [send, key = entry.key, modifiers = entry.modifiers] { send(key, modifiers); });
        if (!entry.toolbarText) continue;
        action->setIconText(entry.toolbarText);
        action->setObjectName(QString("image:") + entry.toolbarText);
    }
}

void MainWindow::buildToolbar()
{
    buildToolMenus();
    m_toolbar = addToolBar("Reading tools");
    m_toolbar->setObjectName("toolbar");
    m_toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    for (QAction* action : findChildren<QAction*>())
        if (action->data().toString().startsWith("tool:")) m_toolbar->addAction(action);
    m_toolbar->addSeparator();

    auto addMenuButton = [this](const QString& text, QMenu* menu) {
        auto* button = new QToolButton(m_toolbar);
        button->setText(text);
        button->setMenu(menu);
        button->setPopupMode(QToolButton::InstantPopup);
        button->setObjectName(text);
        m_toolbar->addWidget(button);
    };
    auto* layouts = new QMenu(this);
    std::vector<QAction*> ownButtons; // MPR and 3D have buttons of their own too
    for (QAction* action : findChildren<QAction*>()) {
        viewer::Layout layout;
        if (!viewer::parseLayout(action->data().toString(), layout)) continue;
        layouts->addAction(action);
        if (layout != viewer::Layout::Mpr && layout != viewer::Layout::ThreeD) continue;
        action->setIconText(layout == viewer::Layout::Mpr ? "MPR" : "3D");
        ownButtons.push_back(action);
    }
    addMenuButton("Layout", layouts);
    addMenuButton("Presets", findChild<QMenu*>("presets"));
    for (QAction* action : ownButtons) m_toolbar->addAction(action);
    for (const KeyEntry& entry : kImageKeys)
        if (entry.toolbarText) m_toolbar->addAction(findChild<QAction*>(QString("image:") + entry.toolbarText));
    m_toolbar->addSeparator();
    if (auto* tags = findChild<QDockWidget*>("tags")) {
        tags->toggleViewAction()->setIconText("Tags");
        m_toolbar->addAction(tags->toggleViewAction());
    }
    addMenuButton("Send", buildStudyMenu());
    if (auto* remove = findChild<QAction*>("delete study")) m_toolbar->addAction(remove);
}

// The study on screen (else the one selected in the list): what the Study menu and the toolbar's
// Send and Delete act on.
QString MainWindow::studyInHand() const
{
    return m_session.openStudyUid().isEmpty() ? m_browser->selectedStudy() : m_session.openStudyUid();
}

QString MainWindow::describeStudy(const QString& studyUid) const
{
    const auto study = m_workstation->catalogue().study(studyUid.toStdString());
    if (!study) return studyUid;
    return (qs(study->patientName).replace('^', ' ').trimmed() + ", " + readableDate(study->studyDate) + " " + qs(study->description))
        .trimmed();
}

// Study: the right-click menu's actions and the reading room's keys. Returns the Send to menu.
QMenu* MainWindow::buildStudyMenu()
{
    QMenu* study = menuBeforeHelp(menuBar(), "&Study");
    study->addAction(withKey("Open for reading", "Enter"), this, [this] {
        const QString uid = m_browser->selectedStudy();
        if (!uid.isEmpty() && !openForReading(uid)) open(uid);
    });
    QMenu* sendTo = study->addMenu("Send to");
    sendTo->setObjectName("send to");
    connect(sendTo, &QMenu::aboutToShow, this, [this, sendTo] {
        sendTo->clear();
        const QString uid = studyInHand();
        const QStringList nodes = qsList(m_workstation->nodes().names());
        sendTo->addAction(uid.isEmpty() ? "(no study open or selected)" : describeStudy(uid))->setEnabled(false);
        for (const QString& node : nodes)
            sendTo->addAction(node, this, [this, node, uid] {
                auto id = m_workstation->send(node.toStdString(), uid.toStdString());
                statusBar()->showMessage(id ? QString("send to %1 queued (job %2)").arg(node).arg(*id) : qs(id.error().message()));
            })->setEnabled(!uid.isEmpty() && m_workstation->transfersAvailable());
        if (nodes.isEmpty()) sendTo->addAction("(no node set up: File > Settings)")->setEnabled(false);
    });
    QAction* remove = study->addAction("Delete from the cache...", this, [this] {
        const QString uid = studyInHand();
        if (!uid.isEmpty()) deleteStudy(uid, describeStudy(uid));
    });
    remove->setObjectName("delete study");
    remove->setIconText("Delete");
    study->addSeparator();
    study->addAction(withKey("Next reading step", "N"), this, [this] { m_hanging->nextStep(); });
    study->addAction(withKey("Previous reading step", "P"), this, [this] { m_hanging->previousStep(); });
    study->addAction(withKey("Link this viewport to its group", "K"), this, [this] { sendKeyToView(Qt::Key_K, Qt::NoModifier); });
    return sendTo;
}

} // namespace lb::app::gui
