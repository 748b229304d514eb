// The main window as a reader drives it all day (issue 15), with real input: keys through the
// window system to whatever widget really has the focus (QTest's QWindow overloads), clicks at
// the place of a button, a list row or a menu entry. Each test is one complaint of the issue:
// the keyboard focus trap, the invisible sticky tool, the missing toolbar and menus, a delete
// confirmation that promised what it could not check, panels that could not come back, a
// remembered window off a laptop's screen, an import that hid what it brought, a 3D preset
// carried from MR to CT and MPR cells black without a word while the series loads.
#include "app/gui/MainWindow.h"
#include "app/gui/StudyBrowser.h"
#include "cache/Importer.h"
#include "cache/TransferJobs.h"
#include "tests/support/TestSupport.h"
#include "tests/viewer/ViewerTestSupport.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDockWidget>
#include <QDropEvent>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>

#include <functional>
#include <memory>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

const char* kCtStudy = "1.3.46.670589.33.1.27492712521914879309.27169771283235650014";
const char* kMrStudy = "1.2.840.113619.6.408.28831229784644470934771902094312156645";

// A key as the keyboard sends it: to the focus widget of the active window, shortcuts first.
void key(QWidget& window, int key, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QTest::keyClick(window.windowHandle(), static_cast<Qt::Key>(key), modifiers);
    QApplication::processEvents();
}

// A click as the mouse sends it: to the widget under that point of the window.
void click(QWidget* widget, QPoint at, Qt::MouseButton button = Qt::LeftButton)
{
    QWidget* window = widget->window();
    QTest::mouseClick(window->windowHandle(), button, Qt::NoModifier, widget->mapTo(window, at));
    QApplication::processEvents();
}

void clickCentre(QWidget* widget)
{
    click(widget, widget->rect().center());
}

QPoint rowCentre(QTableWidget* table, const QString& studyUid)
{
    for (int row = 0; row < table->rowCount(); ++row)
        if (table->item(row, 0)->data(Qt::UserRole).toString() == studyUid)
            return table->viewport()->mapTo(table, table->visualItemRect(table->item(row, 0)).center());
    return {-1, -1};
}

// The entry `text` (before its key column) of an open popup menu, clicked where it is drawn.
bool clickMenuEntry(const QString& text)
{
    auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
    if (!menu) return false;
    for (QAction* action : menu->actions())
        if (action->text().remove('&').section('\t', 0, 0) == text) {
            // To the menu itself: a popup opened from a right click is entered while the test's
            // click that opened it is still under way in QTest's window path.
            QTest::mouseClick(menu, Qt::LeftButton, Qt::NoModifier, menu->actionGeometry(action).center());
            return true;
        }
    return false;
}

// `attempt` again every 100 ms until it succeeds (or 5 s pass): for what a nested event loop
// (a popup menu, a question) shows while the test waits in it.
void soon(std::function<bool()> attempt)
{
    auto tries = std::make_shared<int>(0);
    auto* timer = new QTimer;
    QObject::connect(timer, &QTimer::timeout, [timer, tries, attempt] {
        if (attempt()) {
        } else if (++*tries > 50) { // never hang the test: close what waits, and say so
            ADD_FAILURE() << "what the test waited for never showed";
            if (QWidget* popup = QApplication::activePopupWidget()) popup->close();
            if (QWidget* modal = QApplication::activeModalWidget()) modal->close();
        } else {
            return;
        }
        timer->stop();
        timer->deleteLater();
    });
    timer->start(100);
}

QToolButton* toolbarButton(app::gui::MainWindow& window, const QString& text)
{
    for (auto* button : window.findChild<QToolBar*>("toolbar")->findChildren<QToolButton*>())
        if (button->text().remove('&') == text && button->isVisible()) return button;
    return nullptr;
}

QJsonObject stateOf(app::gui::MainWindow& window, const TempDir& temp)
{
    const QString file = QString::fromStdString((temp / "state.json").string());
    if (!window.writeState(file)) return {};
    QFile in(file);
    in.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(in.readAll()).object();
}

// A window over a cache holding the CT head phantom (and the GE 4D fMRI when asked), shown
// and active (the keyboard goes to it).
struct Workstation {
    TempDir temp;
    std::unique_ptr<app::gui::MainWindow> window;

    explicit Workstation(bool withMr = false, const std::function<void(cache::LocalCache&)>& setUp = {})
    {
        auto cache = cache::LocalCache::open(temp / "cache");
        std::vector<std::filesystem::path> inputs{testData() / "ct_philips_ingenuity_phantom"};
        if (withMr) inputs.push_back(testData() / "mr_ge_discovery_epi_4d");
        if (cache) EXPECT_TRUE(cache::importIntoCache(**cache, inputs, {}).ok());
        if (cache && setUp) setUp(**cache);
        window = std::make_unique<app::gui::MainWindow>(workstationOver(std::move(*cache)));
        EXPECT_TRUE(showActive(*window));
    }

    // Click the study's row, press Enter: the reader's way of opening it.
    bool openWithEnter(const QString& studyUid)
    {
        QSignalSpy shown(window.get(), &app::gui::MainWindow::seriesShown);
        auto* table = window->studyBrowser()->table();
        const QPoint row = rowCentre(table, studyUid);
        if (row.x() < 0) return false;
        click(table, row);
        key(*window, Qt::Key_Return);
        return shown.wait(60000);
    }
};

TEST(WindowErgonomics, KeysGoToTheViewerAfterAStudyOpensOrTheLayoutChanges)
{
    Workstation station;
    auto& window = *station.window;
    auto* search = window.studyBrowser()->nameField();
    clickCentre(search); // the reader searched first
    ASSERT_TRUE(station.openWithEnter(kCtStudy));
    auto* grid = window.viewerGrid();
    EXPECT_EQ(stateOf(window, station.temp)["focus"].toString().toStdString(), "viewer");

    key(window, Qt::Key_4, Qt::ControlModifier); // layout 2x2
    ASSERT_EQ(grid->layout(), viewer::Layout::TwoByTwo);
    EXPECT_EQ(stateOf(window, station.temp)["focus"].toString().toStdString(), "viewer");
    key(window, Qt::Key_8); // the bone preset, not an "8" in the search field
    EXPECT_EQ(grid->viewport(grid->activeIndex())->presetName().toStdString(), "bone");
    EXPECT_TRUE(search->text().isEmpty());
    EXPECT_EQ(window.localStudyCount(), 1);

    // From the study list a single key still acts on the active viewport ...
    auto* table = window.studyBrowser()->table();
    click(table, rowCentre(table, kCtStudy));
    EXPECT_EQ(stateOf(window, station.temp)["focus"].toString().toStdString(), "study-list");
    key(window, Qt::Key_4); // lung
    EXPECT_EQ(grid->viewport(grid->activeIndex())->presetName().toStdString(), "lung");
    // ... but in a field where the reader types, a key is text.
    clickCentre(search);
    EXPECT_EQ(stateOf(window, station.temp)["focus"].toString().toStdString(), "search");
    key(window, Qt::Key_8);
    EXPECT_EQ(search->text().toStdString(), "8");
    EXPECT_EQ(grid->viewport(grid->activeIndex())->presetName().toStdString(), "lung");
}

TEST(WindowErgonomics, TheToolIsVisibleEscReturnsToWindowLevelAndANewStudyStartsThere)
{
    Workstation station(true);
    auto& window = *station.window;
    ASSERT_TRUE(station.openWithEnter(kCtStudy));
    auto* grid = window.viewerGrid();
    auto* view = grid->viewport(grid->activeIndex());
    QToolButton* distance = toolbarButton(window, "Distance");
    QToolButton* windowLevel = toolbarButton(window, "W/L");
    ASSERT_NE(distance, nullptr);
    ASSERT_NE(windowLevel, nullptr);
    EXPECT_TRUE(windowLevel->isChecked());

    key(window, Qt::Key_D); // chosen by key: the toolbar shows it, so does the cursor
    EXPECT_EQ(grid->tool(), viewer::Tool::Distance);
    EXPECT_TRUE(distance->isChecked());
    EXPECT_FALSE(windowLevel->isChecked());
    EXPECT_EQ(view->cursor().shape(), Qt::CrossCursor);
    EXPECT_EQ(stateOf(window, station.temp)["viewports"].toArray()[0].toObject()["active_tool"].toString().toStdString(), "distance");
    key(window, Qt::Key_Escape);
    EXPECT_EQ(grid->tool(), viewer::Tool::WindowLevel);
    EXPECT_TRUE(windowLevel->isChecked());
    EXPECT_NE(view->cursor().shape(), Qt::CrossCursor);

    clickCentre(distance); // chosen on the toolbar, then another study opened
    EXPECT_EQ(grid->tool(), viewer::Tool::Distance);
    ASSERT_TRUE(station.openWithEnter(kMrStudy));
    EXPECT_EQ(grid->tool(), viewer::Tool::WindowLevel);
    EXPECT_TRUE(windowLevel->isChecked());
    view = grid->viewport(grid->activeIndex());
    const auto before = view->window();
    dragMouse(view, QPointF(view->width() / 2.0, view->height() / 2.0), QPointF(view->width() / 2.0 + 120, view->height() / 2.0));
    EXPECT_TRUE(view->measurements() == nullptr || view->measurements()->empty()); // a W/L drag draws no line
    EXPECT_GT(view->window().width, before.width);
    saveScreenshot(window, "ergonomics-toolbar");
}

TEST(WindowErgonomics, TheToolbarAndMenusOfferEveryActionWithItsKey)
{
    Workstation station;
    auto& window = *station.window;
    ASSERT_TRUE(station.openWithEnter(kCtStudy));
    auto* grid = window.viewerGrid();
    for (const char* text : {"W/L", "Zoom", "Pan", "Scroll", "Crosshair", "Distance", "Angle", "Box ROI", "Ellipse ROI",
                             "Freehand ROI", "Layout", "Presets", "MPR", "3D", "Cine", "Reset", "Tags", "Send", "Delete"})
        EXPECT_NE(toolbarButton(window, text), nullptr) << text;
    // Every key of the keyboard help is in a menu, beside its action.
    QStringList keysInMenus;
    for (QAction* action : window.findChildren<QAction*>())
        if (action->text().contains('\t')) keysInMenus << action->text().section('\t', 1);
    for (const char* shortcut : {"W, Esc", "Z", "G", "D", "A", "B", "E", "F", "R", "I", "[", "]", "H", "V", "M", "L", "S", "Shift+S", "C",
                                 "Shift+C", "+", "-", ",", ".", "Del", "1", "8", "0", "N", "P", "K", "Enter"})
        EXPECT_TRUE(keysInMenus.contains(shortcut)) << shortcut;

    // Presets from the toolbar: the menu opens under the button, a click on "bone" applies it.
    soon([] { return clickMenuEntry("bone"); });
    clickCentre(toolbarButton(window, "Presets"));
    QTest::qWait(600);
    EXPECT_EQ(grid->viewport(grid->activeIndex())->presetName().toStdString(), "bone");
    // A tool from the toolbar, and the MPR layout.
    clickCentre(toolbarButton(window, "Zoom"));
    EXPECT_EQ(grid->tool(), viewer::Tool::Zoom);
    clickCentre(toolbarButton(window, "MPR"));
    EXPECT_EQ(grid->layout(), viewer::Layout::Mpr);
    // Image > Invert from the menu bar, as a mouse does it.
    QMenuBar* bar = window.menuBar();
    QAction* imageMenu = nullptr;
    for (QAction* action : bar->actions())
        if (action->text().remove('&') == "Image") imageMenu = action;
    ASSERT_NE(imageMenu, nullptr);
    clickCentre(toolbarButton(window, "3D")); // and back to a slice layout: 1x1 from the menu
    EXPECT_EQ(grid->layout(), viewer::Layout::ThreeD);
    key(window, Qt::Key_1, Qt::ControlModifier);
    auto* view = grid->viewport(grid->activeIndex());
    const bool inverted = view->inverted();
    soon([] { return clickMenuEntry("Invert"); });
    click(bar, bar->actionGeometry(imageMenu).center());
    QTest::qWait(600);
    EXPECT_NE(view->inverted(), inverted);
}

TEST(WindowErgonomics, DeletingAStudyNoNodeIsKnownToHoldWarnsThatItMayBeTheOnlyCopy)
{
    // The CT was sent to the configured node "pacs" (the record a finished send leaves); the MR
    // was imported from disk and never sent.
    Workstation station(true, [](cache::LocalCache& cache) {
        cache::NodeRecord node;
        node.name = "pacs";
        node.aeTitle = "ARCHIVE";
        node.host = "127.0.0.1";
        node.port = 11112;
        ASSERT_TRUE(cache::saveNode(cache.connection(), node).ok());
        cache::TransferJobRecord sent;
        sent.kind = "send";
        sent.node = "pacs";
        sent.studyUid = kCtStudy;
        auto id = cache::addTransferJob(cache.connection(), sent);
        ASSERT_TRUE(id.ok());
        sent.id = *id;
        sent.state = "done";
        ASSERT_TRUE(cache::updateTransferJob(cache.connection(), sent).ok());
    });
    auto& window = *station.window;
    auto* table = window.studyBrowser()->table();
    QString text;
    auto answer = [&text](const QString& button) {
        soon([&text, button] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box || !box->isVisible()) return false;
            text = box->text() + "\n" + box->informativeText();
            for (QAbstractButton* candidate : box->buttons())
                if (candidate->text().remove('&') == button) {
                    // To the button itself, as in clickMenuEntry: the right click is still under way.
                    QTest::mouseClick(candidate, Qt::LeftButton, Qt::NoModifier, candidate->rect().center());
                    return true;
                }
            box->reject(); // no such button: the test fails below, it does not hang
            return true;
        });
    };
    auto deleteFromMenu = [&](const QString& studyUid) {
        soon([] { return clickMenuEntry("Delete from the cache..."); });
        click(table, rowCentre(table, studyUid), Qt::RightButton);
        QTest::qWait(500);
    };
    // Imported from disk, never sent: no promise of an archive's copy.
    answer("Cancel");
    deleteFromMenu(kMrStudy);
    EXPECT_FALSE(text.contains("archive keeps")) << text.toStdString();
    EXPECT_TRUE(text.contains("No configured node is known to hold")) << text.toStdString();
    EXPECT_EQ(window.localStudyCount(), 2); // cancelled

    // Sent to a configured node: the question names it and says it was not checked.
    text.clear();
    answer("Delete");
    deleteFromMenu(kCtStudy);
    EXPECT_TRUE(text.contains("sent to pacs")) << text.toStdString();
    EXPECT_TRUE(text.contains("not checked")) << text.toStdString();
    EXPECT_EQ(window.localStudyCount(), 1); // deleted
}

TEST(WindowErgonomics, ClosedPanelsComeBackFromTheViewMenuAndTheWindowFitsTheScreen)
{
    // Remembered on a big desk monitor: larger than this screen and partly off it.
    const QRect screen = QGuiApplication::primaryScreen()->availableGeometry();
    {
        QWidget big;
        big.setGeometry(screen.x() + 300, screen.y() + 200, screen.width() + 234, screen.height() + 232);
        QSettings settings("Lightbox", "Lightbox");
        settings.setValue("window/geometry", big.saveGeometry());
        settings.remove("window/state");
    }
    Workstation station;
    auto& window = *station.window;
    window.rememberGeometry();
    QApplication::processEvents();
    EXPECT_TRUE(screen.contains(window.frameGeometry())) << window.frameGeometry().width() << "x" << window.frameGeometry().height();
    const QJsonArray geometry = stateOf(window, station.temp)["geometry"].toArray();
    ASSERT_EQ(geometry.size(), 4);
    EXPECT_LE(geometry[2].toInt(), screen.width());
    EXPECT_LE(geometry[3].toInt(), screen.height());
    ASSERT_TRUE(station.openWithEnter(kCtStudy)); // the laptop layout, reading
    saveScreenshot(window, QString("ergonomics-screen-%1x%2").arg(screen.width()).arg(screen.height()).toStdString());

    // The study list closed with its dock's close button, back from View > Panels.
    auto* studies = window.findChild<QDockWidget*>("studies");
    ASSERT_TRUE(studies->isVisible());
    QAbstractButton* close = studies->findChild<QAbstractButton*>("qt_dockwidget_closebutton");
    ASSERT_NE(close, nullptr);
    clickCentre(close);
    EXPECT_FALSE(studies->isVisible());
    QAction* viewMenu = nullptr;
    for (QAction* action : window.menuBar()->actions())
        if (action->text().remove('&') == "View") viewMenu = action;
    ASSERT_NE(viewMenu, nullptr);
    soon([] {
        if (!clickMenuEntry("Panels")) return false;
        soon([] { return clickMenuEntry("Local studies"); });
        return true;
    });
    click(window.menuBar(), window.menuBar()->actionGeometry(viewMenu).center());
    QTest::qWait(1000);
    EXPECT_TRUE(studies->isVisible());

    // Every panel closed, then View > Reset layout: the panels as the window first had them.
    for (int round = 0; round < 3; ++round) // a tab closed shows the one behind it
        for (auto* dock : window.findChildren<QDockWidget*>())
            if (dock->isVisible()) clickCentre(dock->findChild<QAbstractButton*>("qt_dockwidget_closebutton"));
    for (auto* dock : window.findChildren<QDockWidget*>()) EXPECT_FALSE(dock->isVisible()) << dock->objectName().toStdString();
    soon([] { return clickMenuEntry("Reset layout"); });
    click(window.menuBar(), window.menuBar()->actionGeometry(viewMenu).center());
    QTest::qWait(800);
    EXPECT_TRUE(studies->isVisible());
    EXPECT_TRUE(window.findChild<QDockWidget*>("jobs")->isVisible());
    EXPECT_FALSE(window.findChild<QDockWidget*>("tags")->isVisible());

    // Every panel closed when the window closes: the next start shows the study list again.
    for (int round = 0; round < 3; ++round)
        for (auto* dock : window.findChildren<QDockWidget*>())
            if (dock->isVisible()) clickCentre(dock->findChild<QAbstractButton*>("qt_dockwidget_closebutton"));
    window.close();
    Workstation next;
    next.window->rememberGeometry();
    QApplication::processEvents();
    EXPECT_TRUE(next.window->findChild<QDockWidget*>("studies")->isVisible());
}

TEST(WindowErgonomics, AnImportShowsAndSelectsItsStudyAndReportsItsSeries)
{
    Workstation station;
    auto& window = *station.window;
    auto* search = window.studyBrowser()->nameField();
    clickCentre(search);
    for (int letter : {Qt::Key_H, Qt::Key_E, Qt::Key_A, Qt::Key_D}) key(window, letter);
    ASSERT_EQ(search->text().toUpper().toStdString(), "HEAD");
    ASSERT_EQ(window.localStudyCount(), 1); // the search in force shows the CT only

    QSignalSpy finished(&window, &app::gui::MainWindow::importFinished);
    ASSERT_TRUE(dropPaths(window, {testData() / "mr_ge_discovery_epi_4d"}));
    ASSERT_TRUE(finished.wait(60000));
    QApplication::processEvents();

    EXPECT_EQ(window.localStudyCount(), 2); // the search that hid it is cleared
    auto* table = window.studyBrowser()->table();
    const auto selected = table->selectedItems();
    ASSERT_FALSE(selected.isEmpty());
    EXPECT_EQ(table->item(selected.first()->row(), 0)->data(Qt::UserRole).toString().toStdString(), kMrStudy);
    EXPECT_EQ(window.studyBrowser()->selectedStudy().toStdString(), kMrStudy);

    auto* report = window.findChild<QDialog*>("importReport");
    ASSERT_NE(report, nullptr);
    auto* series = report->findChild<QTableWidget*>("importedSeries");
    ASSERT_NE(series, nullptr);
    ASSERT_EQ(series->rowCount(), 1);
    EXPECT_TRUE(series->item(0, 1)->text().contains("EPI")) << series->item(0, 1)->text().toStdString();
    EXPECT_EQ(series->item(0, 2)->text().toStdString(), "MR");
    EXPECT_EQ(series->item(0, 3)->text().toStdString(), "150"); // new
    EXPECT_EQ(series->item(0, 4)->text().toStdString(), "0");   // already there
    EXPECT_FALSE(report->isActiveWindow()); // the keyboard stays with the workstation
}

TEST(WindowErgonomics, ThreeDStartsFromTheModalitysPresetAndWaitingCellsSaySo)
{
    Workstation station(true);
    auto& window = *station.window;
    auto* grid = window.viewerGrid();
    ASSERT_TRUE(station.openWithEnter(kMrStudy));
    key(window, Qt::Key_7, Qt::ControlModifier); // 3D
    ASSERT_EQ(grid->layout(), viewer::Layout::ThreeD);
    QTest::qWait(500);
    EXPECT_EQ(grid->volumeView()->preset().toStdString(), "mr-default");
    key(window, Qt::Key_3); // a preset chosen on the MR
    EXPECT_EQ(grid->volumeView()->preset().toStdString(), "ct-angio");

    // The CT opened while in MPR: its cells say they wait for the series, then show it in 3D
    // with the CT's own preset (not the one chosen on the MR).
    key(window, Qt::Key_6, Qt::ControlModifier); // MPR + 3D
    ASSERT_EQ(grid->layout(), viewer::Layout::Mpr);
    // Opened from its right-click menu (Enter would hang it by its protocol, in 1x2).
    QSignalSpy shown(&window, &app::gui::MainWindow::seriesShown);
    auto* table = window.studyBrowser()->table();
    QSignalSpy busy(grid->mpr()->plane(render::ViewPlane::Coronal), &viewer::VtkViewport::busyTextChanged);
    soon([] { return clickMenuEntry("Open"); });
    click(table, rowCentre(table, kCtStudy), Qt::RightButton);
    ASSERT_TRUE(shown.wait(60000));
    QTest::qWait(300);
    ASSERT_GE(busy.size(), 2);
    EXPECT_TRUE(busy.first().at(0).toString().startsWith("loading")) << busy.first().at(0).toString().toStdString();
    EXPECT_TRUE(busy.last().at(0).toString().isEmpty());
    EXPECT_TRUE(grid->mpr()->plane(render::ViewPlane::Coronal)->busyText().isEmpty());
    key(window, Qt::Key_7, Qt::ControlModifier);
    QTest::qWait(500);
    EXPECT_EQ(grid->volumeView()->preset().toStdString(), "ct-bone");
}

} // namespace
} // namespace lb::test
