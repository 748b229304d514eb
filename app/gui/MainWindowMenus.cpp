// The window's menus (File, View, Help) and the keyboard help: kept apart from MainWindow.cpp,
// which wires the rooms together.
#include "app/gui/MainWindow.h"

#include "app/gui/RemoteBrowser.h"
#include "app/gui/SettingsDialog.h"
#include "app/gui/WindowPlacement.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QFileDialog>
#include <QKeySequence>
#include <QMenuBar>
#include <QMessageBox>
#include <QToolBar>

namespace lb::app::gui {
namespace {

// Not modal: the reader keeps working with the table beside the images.
void showKeyboardHelp(QWidget* parent)
{
    auto* box = new QMessageBox(QMessageBox::Information, "Keyboard and mouse",
                                "<table>"
                                "<tr><td>Left drag</td><td>the tool's action: window / level by default (toolbar, Tools menu)</td></tr>"
                                "<tr><td>Right drag</td><td>zoom</td></tr>"
                                "<tr><td>Middle drag</td><td>pan</td></tr>"
                                "<tr><td>Wheel, arrows</td><td>next / previous slice</td></tr>"
                                "<tr><td>PgUp / PgDn, Home / End</td><td>jump / first, last slice</td></tr>"
                                "<tr><td>1 - 8, 0</td><td>window presets (brain, subdural, stroke, lung, mediastinum, abdomen, liver, bone), the series' own</td></tr>"
                                "<tr><td>R, I, M, L</td><td>reset view, invert, colour maps, nearest/linear interpolation</td></tr>"
                                "<tr><td>[ ]  H  V</td><td>rotate left / right, flip horizontally, vertically</td></tr>"
                                "<tr><td>S, Shift+S</td><td>thick slab 5/10/20 mm, its mode (MIP, MinIP, average)</td></tr>"
                                "<tr><td>W Z G</td><td>tools: window/level, zoom, pan</td></tr>"
                                "<tr><td>D A B E F</td><td>measure distance, angle, box, ellipse, freehand ROI</td></tr>"
                                "<tr><td>Esc, Delete</td><td>every viewport back to window/level, delete the selected measurement</td></tr>"
                                "<tr><td>C, Shift+C, + / -</td><td>cine on/off, over time or slices (4D), its speed</td></tr>"
                                "<tr><td>, .</td><td>previous / next time point (4D)</td></tr>"
                                "<tr><td>Ctrl + click (MPR)</td><td>move the crosshair there</td></tr>"
                                "<tr><td>Shift + drag (MPR), O</td><td>turn the crosshair: oblique planes; O: orthogonal again</td></tr>"
                                "<tr><td>3D view</td><td>left drag rotate, right drag zoom, middle pan, 1-5 presets, R reset, X cut away the near half</td></tr>"
                                "<tr><td>Ctrl+1 ... Ctrl+9</td><td>layouts 1x1, 1x2, 2x1, 2x2, 1x3, MPR + 3D, 3D, 1x4, 2x3 (2x4 in the View menu)</td></tr>"
                                "<tr><td>N, P</td><td>next / previous reading step of the hanging protocol</td></tr>"
                                "<tr><td>K</td><td>link this viewport to its comparison group where it is now (same anatomy)</td></tr>"
                                "<tr><td>Ctrl+O</td><td>import a folder or DICOMDIR</td></tr>"
                                "<tr><td>Ctrl+T</td><td>DICOM tags</td></tr>"
                                "<tr><td>Ctrl+,</td><td>settings</td></tr>"
                                "</table><p>Single keys act on the active viewport from any panel except a field you type in. "
                                "Every key is also in the Tools, Image, Study and View menus. All of it: docs/user-guide.md</p>",
                                QMessageBox::Close, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setModal(false);
    box->show();
}

} // namespace

// View > Panels: every dock and the toolbar can be closed and brought back from here, and Reset
// layout puts them all where they first were (with all of them closed a window is a bare viewer).
void MainWindow::buildPanelsMenu()
{
    QMenu* view = nullptr;
    for (QAction* menu : menuBar()->actions())
        if (menu->menu() && menu->text().remove('&') == "View") view = menu->menu();
    if (!view) return;
    view->addSeparator();
    QMenu* panels = view->addMenu("&Panels");
    panels->setObjectName("panels");
    for (QDockWidget* dock : findChildren<QDockWidget*>()) panels->addAction(dock->toggleViewAction());
    panels->addAction(m_toolbar->toggleViewAction());
    view->addAction("&Reset layout", this, &MainWindow::resetPanels);
}

void MainWindow::resetPanels()
{
    restoreState(m_defaultState);
    for (QDockWidget* dock : findChildren<QDockWidget*>()) dock->setFloating(false);
    restoreState(m_defaultState); // docks that floated are back in their areas: place them again
    keepOnScreen(*this);
    focusViewer();
}

// A start with every panel closed would be a bare viewer with nothing to open: the study list
// comes back (the other panels stay as the reader left them).
void MainWindow::showStudiesIfNoPanel()
{
    for (QDockWidget* dock : findChildren<QDockWidget*>())
        if (!dock->isHidden()) return;
    if (auto* studies = findChild<QDockWidget*>("studies")) studies->show();
}

void MainWindow::buildMenus()
{
    auto* fileMenu = menuBar()->addMenu("&File");
    fileMenu->addAction("Import &folder or DICOMDIR...", QKeySequence("Ctrl+O"), this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, "Import a folder (a CD, a USB stick, ...)");
        if (!folder.isEmpty()) importPaths({folder});
    });
    fileMenu->addAction("Import &files...", this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(this, "Import DICOM files or a DICOMDIR");
        if (!files.isEmpty()) importPaths(files);
    });
    fileMenu->addSeparator();
    fileMenu->addAction("&Settings...", QKeySequence("Ctrl+,"), this, [this] {
        SettingsDialog dialog(*m_workstation, this);
        dialog.exec();
        m_remote->reloadNodes();
        applyPreferences();
        pruneInBackground(); // the limit may have changed
    });
    fileMenu->addSeparator();
    fileMenu->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

    auto* viewMenu = menuBar()->addMenu("&View");
    auto* layouts = new QActionGroup(this);
    const std::pair<viewer::Layout, const char*> choices[] = {
        {viewer::Layout::One, "1x1"}, {viewer::Layout::OneByTwo, "1x2"}, {viewer::Layout::TwoByOne, "2x1"},
        {viewer::Layout::TwoByTwo, "2x2"}, {viewer::Layout::OneByThree, "1x3"}, {viewer::Layout::Mpr, "MPR + 3D"},
        {viewer::Layout::ThreeD, "3D"}, {viewer::Layout::OneByFour, "1x4"}, {viewer::Layout::TwoByThree, "2x3"},
        {viewer::Layout::TwoByFour, "2x4"}};
    int shortcut = 1;
    for (const auto& [layout, name] : choices) {
        QAction* action = viewMenu->addAction(QString("Layout %1").arg(name), this, [this, layout = layout] { setLayout(layout); });
        if (shortcut <= 9) action->setShortcut(QKeySequence(QString("Ctrl+%1").arg(shortcut)));
        ++shortcut;
        action->setCheckable(true);
        action->setChecked(layout == m_grid->layout());
        action->setData(viewer::layoutName(layout));
        layouts->addAction(action);
    }
    viewMenu->addSeparator();
    QAction* sync = viewMenu->addAction("&Synchronized scrolling", this, [this](bool on) { m_grid->setSynchronizedScrolling(on); });
    sync->setCheckable(true);
    sync->setChecked(m_grid->synchronizedScrolling());

    auto* helpMenu = menuBar()->addMenu("&Help");
    helpMenu->addAction("&Keyboard and mouse", QKeySequence::HelpContents, this, [this] { showKeyboardHelp(this); });
}

} // namespace lb::app::gui
