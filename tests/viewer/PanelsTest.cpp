// The panels a radiologist uses all day, in a real 1366x768 window under Xvfb, driven by mouse
// and key events (issue 15 items 7, 10, 11 and the tag dock of 12):
// - the job panel names transfers by patient and study, keeps its selection on the job when
//   rows move (a Cancel hits the job the user chose), enables Cancel and Retry only where they
//   apply, shows done / failed / cancelled as such and several rows in its default height;
// - the remote tab's date presets feed the C-FIND, dates read yyyy-MM-dd, the Local column
//   shows at the dock's width, a C-FIND that hangs shows a busy bar, then its error in red;
// - the local study list shows its main columns, sorts text without regard to case and dates
//   by date, newest first; more columns from the header's context menu;
// - the tag dock shows the Value column, with the whole value in a tooltip.
// Screenshots (panels-*.png) go to the test output folder.
#include "app/gui/JobPanel.h"
#include "app/gui/MainWindow.h"
#include "app/gui/RemoteBrowser.h"
#include "app/gui/StudyBrowser.h"
#include "app/gui/TagBrowser.h"
#include "tests/support/OrthancServer.h"
#include "tests/support/SilentPeer.h"
#include "tests/support/TestSupport.h"
#include "tests/viewer/ViewerTestSupport.h"

#include <QApplication>
#include <QComboBox>
#include <QDateEdit>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QTreeWidget>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

enum JobColumn { JobId = 0, JobWhat = 3, JobState = 4, JobProgress = 5, JobProblem = 8 };
enum RemoteColumn { RemotePatient = 0, RemoteDate = 2, RemoteLocal = 6 };

// A click where a user clicks: on the window, at the widget's point.
void click(QWidget* widget, QPoint at, Qt::MouseButton button = Qt::LeftButton)
{
    QApplication::processEvents(); // pending layouts first: the point is where the widget shows now
    QWidget* top = widget->window();
    QTest::mouseClick(top->windowHandle(), button, {}, widget->mapTo(top, at));
}

void click(QWidget* widget)
{
    QApplication::processEvents();
    click(widget, widget->rect().center());
}

void clickRow(QTableView* table, int row, int column)
{
    table->scrollTo(table->model()->index(row, column));
    click(table->viewport(), table->visualRect(table->model()->index(row, column)).center());
}

void clickHeader(QHeaderView* header, int section, Qt::MouseButton button = Qt::LeftButton)
{
    click(header->viewport(), QPoint(header->sectionViewportPosition(section) + header->sectionSize(section) / 2, header->height() / 2),
          button);
}

// The whole section inside the view, not scrolled or cut off.
bool columnShown(QTableView* table, int column)
{
    const auto* header = table->horizontalHeader();
    const int left = header->sectionViewportPosition(column);
    return !table->isColumnHidden(column) && left >= 0 && left + header->sectionSize(column) <= table->viewport()->width();
}

QPushButton* button(QWidget* parent, const QString& text)
{
    for (auto* candidate : parent->findChildren<QPushButton*>())
        if (candidate->text() == text) return candidate;
    return nullptr;
}

int rowOf(QTableWidget* table, const QString& id)
{
    const auto found = table->findItems(id, Qt::MatchExactly);
    for (auto* item : found)
        if (item->column() == JobId) return item->row();
    return -1;
}

void raiseDock(app::gui::MainWindow& window, const QString& name)
{
    auto* dock = window.findChild<QDockWidget*>(name);
    ASSERT_NE(dock, nullptr);
    dock->show();
    dock->raise();
    QApplication::processEvents();
}

// Picks a combo's entry with the keyboard (the combo has the focus; arrows move its choice).
void chooseWithKeys(QWidget* window, QComboBox* combo, const QString& text)
{
    combo->setFocus();
    QApplication::processEvents();
    const int target = combo->findText(text);
    ASSERT_GE(target, 0) << text.toStdString();
    while (combo->currentIndex() != target)
        QTest::keyClick(window->windowHandle(), combo->currentIndex() < target ? Qt::Key_Down : Qt::Key_Up);
}

QComboBox* remoteDateBox(app::gui::RemoteBrowser* remote)
{
    for (auto* combo : remote->findChildren<QComboBox*>())
        if (combo->findText("Last 7 days") >= 0) return combo;
    return nullptr;
}

// The red problem line of the remote panel ("" when none is shown).
QString remoteProblem(app::gui::RemoteBrowser* remote)
{
    auto* label = remote->findChild<QLabel*>("remoteProblem");
    return label && label->isVisible() ? label->text() : QString();
}

// A loopback archive may answer while the click's events are still processed.
bool answeredWithin(QSignalSpy& spy, int milliseconds)
{
    return spy.count() > 0 || spy.wait(milliseconds);
}

bool remoteBusy(app::gui::RemoteBrowser* remote)
{
    for (auto* bar : remote->findChildren<QProgressBar*>())
        if (bar->isVisible() && bar->maximum() == 0) return true;
    return false;
}

TEST(Panels, JobPanelNamesJobsKeepsTheSelectionAndShowsTheirStates)
{
    TempDir temp;
    OrthancServer orthanc(temp / "orthanc", {{"lightbox", "LIGHTBOX", freeTcpPort()}});
    orthanc.storeWithStorescu(dicomFilesUnder(testData() / "ct_philips_ingenuity_phantom"), "LIGHTBOX");
    auto silent = std::make_unique<SilentPeer>();
    auto cache = cacheWithOrthancNode(temp / "cache", orthanc);
    ASSERT_TRUE(cache);
    cache::NodeRecord stuck{"stuck", "STUCK", "127.0.0.1", silent->port(), "get", 30, 30};
    cache::NodeRecord down{"down", "DOWN", "127.0.0.1", freeTcpPort(), "get", 5, 5}; // nobody listens: refused
    ASSERT_TRUE(cache::saveNode(cache->connection(), stuck).ok());
    ASSERT_TRUE(cache::saveNode(cache->connection(), down).ok());
    {
        app::gui::MainWindow window(workstationOver(std::move(cache)));
        window.show();
        window.activateWindow(); // keys and shortcuts go to the active window
        ASSERT_TRUE(QTest::qWaitForWindowActive(&window));
        auto* panel = window.jobPanel();
        auto* jobs = panel->table();
        auto* remote = window.remoteBrowser();
        raiseDock(window, "remote");

        // Find the study on the archive and retrieve it, as a user does.
        chooseWithKeys(&window, remote->findChildren<QComboBox*>().first(), "pacs");
        QSignalSpy found(remote, &app::gui::RemoteBrowser::resultsReady);
        click(button(remote, "Search"));
        ASSERT_TRUE(answeredWithin(found, 15000));
        ASSERT_EQ(remote->results()->rowCount(), 1);
        const QString patient = remote->results()->item(0, RemotePatient)->text();
        const QString studyUid = remote->results()->item(0, RemotePatient)->data(Qt::UserRole).toString();
        ASSERT_FALSE(patient.isEmpty());
        clickRow(remote->results(), 0, RemotePatient);
        click(button(remote, "Retrieve"));
        ASSERT_TRUE(QTest::qWaitFor([&] { return panel->stateOf("T1") == "done"; }, 30000)) << panel->stateOf("T1").toStdString();

        // Named by patient and study, not by UID (which the tooltip keeps).
        const int done = rowOf(jobs, "T1");
        const QString label = jobs->item(done, JobWhat)->text();
        EXPECT_TRUE(label.startsWith(QString::fromUtf8("Retrieve \u2014 "))) << label.toStdString();
        EXPECT_TRUE(label.contains(patient)) << label.toStdString();
        EXPECT_FALSE(label.contains(studyUid)) << label.toStdString();
        EXPECT_TRUE(jobs->item(done, JobWhat)->toolTip().contains(studyUid));

        // A failed transfer (the node refuses), two that hang on a silent archive (its two
        // associations) and one queued behind them.
        ASSERT_TRUE(window.workstation().retrieve("down", studyUid.toStdString()).ok());    // T2
        ASSERT_TRUE(window.workstation().retrieve("stuck", studyUid.toStdString()).ok());   // T3
        ASSERT_TRUE(window.workstation().retrieve("stuck", "1.2.826.0.1.3680043.99.1").ok()); // T4
        ASSERT_TRUE(window.workstation().retrieve("stuck", "1.2.826.0.1.3680043.99.2").ok()); // T5
        ASSERT_TRUE(QTest::qWaitFor([&] { return panel->stateOf("T2") == "failed"; }, 20000)) << panel->stateOf("T2").toStdString();
        ASSERT_TRUE(QTest::qWaitFor([&] { return panel->stateOf("T3") == "running" && panel->stateOf("T4") == "running"; }, 10000));
        EXPECT_EQ(panel->stateOf("T5"), "queued");
        EXPECT_TRUE(jobs->item(rowOf(jobs, "T2"), JobWhat)->text().contains(patient)) << "a known study is named on any node";

        QPushButton* cancel = button(panel, "Cancel");
        QPushButton* retry = button(panel, "Retry");
        ASSERT_TRUE(cancel && retry);
        // The buttons follow the chosen job's state.
        clickRow(jobs, rowOf(jobs, "T1"), JobWhat);
        EXPECT_FALSE(cancel->isEnabled()) << "a done job cannot be cancelled";
        EXPECT_FALSE(retry->isEnabled()) << "a done job needs no retry";
        clickRow(jobs, rowOf(jobs, "T2"), JobWhat);
        EXPECT_FALSE(cancel->isEnabled());
        EXPECT_TRUE(retry->isEnabled());
        clickRow(jobs, rowOf(jobs, "T4"), JobWhat);
        EXPECT_TRUE(cancel->isEnabled());
        EXPECT_FALSE(retry->isEnabled());
        clickRow(jobs, rowOf(jobs, "T5"), JobWhat);
        EXPECT_TRUE(cancel->isEnabled());

        // A new job arrives: this session's jobs are listed first, the transfers move down a row.
        // The selection stays on T5, and Cancel cancels T5, not the job now in its old row (T4).
        const int before = rowOf(jobs, "T5");
        window.workstation().jobs().start(app::JobKind::Check, "a check", "", [](app::JobContext& context) {
            while (!context.cancelled()) QThread::msleep(20);
            return app::JobOutcome::done();
        });
        QApplication::processEvents();
        // At least a row (other jobs of the session, a thumbnail, may arrive at the same time).
        ASSERT_GT(rowOf(jobs, "T5"), before);
        const auto selected = jobs->selectionModel()->selectedRows();
        ASSERT_EQ(selected.size(), 1);
        EXPECT_EQ(jobs->item(selected.first().row(), JobId)->text(), "T5");
        click(cancel);
        EXPECT_TRUE(QTest::qWaitFor([&] { return panel->stateOf("T5") == "cancelled"; }, 5000)) << panel->stateOf("T5").toStdString();
        EXPECT_EQ(panel->stateOf("T4"), "running") << "the neighbour was not touched";
        EXPECT_FALSE(cancel->isEnabled());
        EXPECT_TRUE(retry->isEnabled());

        // A running transfer hung on the silent archive says "cancelled" as soon as it is (its
        // worker waits in the association request until the node's timeout), not "running".
        clickRow(jobs, rowOf(jobs, "T4"), JobWhat);
        ASSERT_TRUE(cancel->isEnabled());
        click(cancel);
        EXPECT_EQ(panel->stateOf("T4"), "cancelled");
        EXPECT_FALSE(cancel->isEnabled());
        EXPECT_EQ(panel->stateOf("T3"), "running");

        // States read at a glance: a failed one red with its error and an icon, a cancelled one
        // grey, a done one with a check; a bar only on running jobs.
        const int failed = rowOf(jobs, "T2"), cancelledRow = rowOf(jobs, "T5"), running = rowOf(jobs, "T3");
        EXPECT_EQ(jobs->item(failed, JobState)->foreground().color(), QColor(0xc6, 0x28, 0x28));
        EXPECT_FALSE(jobs->item(failed, JobProblem)->text().isEmpty());
        EXPECT_FALSE(jobs->item(failed, JobState)->icon().isNull());
        EXPECT_EQ(jobs->item(cancelledRow, JobState)->foreground().color(), QColor(Qt::gray));
        EXPECT_FALSE(jobs->item(rowOf(jobs, "T1"), JobState)->icon().isNull());
        EXPECT_EQ(jobs->cellWidget(rowOf(jobs, "T1"), JobProgress), nullptr);
        EXPECT_EQ(jobs->cellWidget(failed, JobProgress), nullptr);
        EXPECT_EQ(jobs->cellWidget(cancelledRow, JobProgress), nullptr);
        EXPECT_NE(jobs->cellWidget(running, JobProgress), nullptr);

        // Several rows in the dock's default height on a 1366x768 screen.
        const int rowHeight = jobs->rowHeight(0);
        EXPECT_GE(jobs->viewport()->height(), 4 * rowHeight) << jobs->viewport()->height() << " px for rows of " << rowHeight;
        clickRow(jobs, rowOf(jobs, "T2"), JobWhat);
        saveScreenshot(window, "panels-1-jobs");
        clickRow(jobs, running, JobWhat); // the running one in view too
        EXPECT_TRUE(cancel->isEnabled());
        saveScreenshot(window, "panels-1b-jobs-running");
        silent.reset(); // the hung associations end (the window's queue need not wait 30 s)
    }
}

TEST(Panels, RemoteTabDatePresetsLocalColumnAndIsoDates)
{
    TempDir temp;
    OrthancServer orthanc(temp / "orthanc", {{"lightbox", "LIGHTBOX", freeTcpPort()}});
    orthanc.storeWithStorescu(dicomFilesUnder(testData() / "ct_philips_ingenuity_phantom"), "LIGHTBOX");
    app::gui::MainWindow window(workstationOver(cacheWithOrthancNode(temp / "cache", orthanc)));
    ASSERT_TRUE(showActive(window));
    auto* remote = window.remoteBrowser();
    raiseDock(window, "remote");
    QComboBox* dates = remoteDateBox(remote);
    ASSERT_NE(dates, nullptr) << "no date presets";
    QSignalSpy found(remote, &app::gui::RemoteBrowser::resultsReady);
    auto searchWith = [&](const QString& preset) {
        chooseWithKeys(&window, dates, preset);
        found.clear();
        click(button(remote, "Search"));
        const bool answered = answeredWithin(found, 15000);
        if (!answered) ADD_FAILURE() << "no answer with " << preset.toStdString() << ": " << remoteProblem(remote).toStdString();
        return answered ? remote->results()->rowCount() : -1;
    };
    EXPECT_EQ(searchWith("Today"), 0) << "the phantom was not scanned today";
    EXPECT_EQ(searchWith("Last 7 days"), 0);
    ASSERT_EQ(searchWith("Any date"), 1);
    const QString date = remote->results()->item(0, RemoteDate)->text();
    EXPECT_TRUE(QRegularExpression("^\\d{4}-\\d{2}-\\d{2}$").match(date).hasMatch()) << date.toStdString();
    EXPECT_TRUE(columnShown(remote->results(), RemoteLocal)) << "the Local column is off-screen";
    EXPECT_EQ(remote->results()->item(0, RemoteLocal)->text(), "no");
    saveScreenshot(window, "panels-2-remote-any-date");

    // A custom range around the study's day finds it; the range fields show for it only.
    const QDate day = QDate::fromString(date, "yyyy-MM-dd");
    auto edits = remote->findChildren<QDateEdit*>();
    ASSERT_EQ(edits.size(), 2);
    EXPECT_FALSE(edits[0]->isVisible());
    edits[0]->setDate(day.addDays(-1));
    edits[1]->setDate(day.addDays(1));
    EXPECT_EQ(searchWith("Custom range"), 1);
    EXPECT_TRUE(edits[0]->isVisible());
    saveScreenshot(window, "panels-3-remote-custom-range");
    edits[0]->setDate(day.addDays(1));
    edits[1]->setDate(day.addDays(3));
    found.clear();
    click(button(remote, "Search"));
    ASSERT_TRUE(answeredWithin(found, 15000));
    EXPECT_EQ(remote->results()->rowCount(), 0) << "a range after the study's day";
}

TEST(Panels, RemoteTabShowsABusyBarWhileACFindHangsThenItsErrorInRed)
{
    TempDir temp;
    auto silent = std::make_unique<SilentPeer>();
    auto cache = cache::LocalCache::open(temp / "cache");
    ASSERT_TRUE(cache.ok());
    cache::NodeRecord node{"stuck", "STUCK", "127.0.0.1", silent->port(), "get", 3, 3}; // 3 s timeouts
    ASSERT_TRUE(cache::saveNode((*cache)->connection(), node).ok());
    {
        app::gui::MainWindow window(workstationOver(std::move(*cache)));
        window.show();
        window.activateWindow(); // keys and shortcuts go to the active window
        ASSERT_TRUE(QTest::qWaitForWindowActive(&window));
        auto* remote = window.remoteBrowser();
        raiseDock(window, "remote");
        EXPECT_FALSE(remoteBusy(remote));
        click(button(remote, "Search"));
        QTest::qWait(500);
        EXPECT_TRUE(remoteBusy(remote)) << "no busy indicator while the archive does not answer";
        EXPECT_TRUE(button(remote, "Cancel")->isEnabled());
        saveScreenshot(window, "panels-4-remote-searching");
        ASSERT_TRUE(QTest::qWaitFor([&] { return !remoteProblem(remote).isEmpty(); }, 20000)) << "no error in the panel";
        const QString problem = remoteProblem(remote);
        EXPECT_TRUE(problem.startsWith("timeout: stuck")) << problem.toStdString(); // its kind and the node
        EXPECT_FALSE(remoteBusy(remote));
        EXPECT_TRUE(button(remote, "Search")->isEnabled());
        EXPECT_EQ(remote->findChild<QLabel*>("remoteProblem")->palette().color(QPalette::WindowText), QColor(0xc6, 0x28, 0x28));
        saveScreenshot(window, "panels-5-remote-timeout");
        silent.reset();
    }
}

// Three studies of one CT image, renamed (dcmodify) so that case and dates decide the order.
std::filesystem::path threeStudies(const std::filesystem::path& folder)
{
    std::filesystem::create_directories(folder);
    const struct {
        const char* name;
        const char* date;
        const char* description;
    } studies[] = {{"adams^anna", "20190101", "CT HEAD"}, {"Baker^Bob", "20240301", "CT CHEST WITH CONTRAST"}, {"carter^carl", "20200615", "CT ABDOMEN"}};
    int n = 0;
    for (const auto& study : studies) {
        const auto file = folder / ("study" + std::to_string(++n) + ".dcm");
        std::filesystem::copy_file(testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm/I150", file);
        const int exit = QProcess::execute("dcmodify", {"-nb", "-gst", "-gse", "-gin", "-ma", QString("(0010,0010)=%1").arg(study.name),
                                                       "-ma", QString("(0008,0020)=%1").arg(study.date), "-ma",
                                                       QString("(0008,1030)=%1").arg(study.description),
                                                       QString::fromStdString(file.string())});
        if (exit != 0) return {};
    }
    return folder;
}

QStringList patients(QTableWidget* table)
{
    QStringList names;
    for (int r = 0; r < table->rowCount(); ++r) names << table->item(r, 0)->text();
    return names;
}

TEST(Panels, StudyListShowsItsMainColumnsNewestFirstAndSortsWithoutCase)
{
    TempDir temp;
    const auto folder = threeStudies(temp / "in");
    ASSERT_FALSE(folder.empty()) << "dcmodify failed";
    auto cache = cache::LocalCache::open(temp / "cache");
    ASSERT_TRUE(cache.ok());
    app::gui::MainWindow window(workstationOver(std::move(*cache)));
    ASSERT_TRUE(showActive(window));
    QSignalSpy imported(&window, &app::gui::MainWindow::importFinished);
    window.importPaths({QString::fromStdString(folder.string())});
    ASSERT_TRUE(imported.wait(60000));
    for (auto* dialog : window.findChildren<QWidget*>("importReport")) dialog->close();
    auto* table = window.studyBrowser()->table();
    ASSERT_EQ(table->rowCount(), 3);

    // First run: the newest study first.
    EXPECT_EQ(patients(table), (QStringList{"Baker, Bob", "carter, carl", "adams, anna"}));
    // Patient, study date, modalities, description, images: whole at the dock's width.
    for (int column : {0, 4, 6, 7, 10}) EXPECT_TRUE(columnShown(table, column)) << "column " << column << " not visible";
    saveScreenshot(window, "panels-6-study-list");

    // A click on Patient sorts by name without regard to case.
    auto* header = table->horizontalHeader();
    clickHeader(header, 0);
    if (header->sortIndicatorOrder() == Qt::DescendingOrder) clickHeader(header, 0);
    EXPECT_EQ(patients(table), (QStringList{"adams, anna", "Baker, Bob", "carter, carl"}));
    clickHeader(header, 4); // study date: by date
    if (header->sortIndicatorOrder() == Qt::DescendingOrder) clickHeader(header, 4);
    EXPECT_EQ(patients(table), (QStringList{"adams, anna", "carter, carl", "Baker, Bob"}));

    // The header's context menu shows a hidden column (the patient ID).
    EXPECT_TRUE(table->isColumnHidden(1));
    clickHeader(header, 0, Qt::RightButton);
    QMenu* menu = nullptr;
    ASSERT_TRUE(QTest::qWaitFor([&] { return (menu = qobject_cast<QMenu*>(QApplication::activePopupWidget())) != nullptr; }, 3000))
        << "no column menu";
    QAction* id = nullptr;
    for (QAction* action : menu->actions())
        if (action->text() == "ID") id = action;
    ASSERT_NE(id, nullptr);
    EXPECT_FALSE(id->isChecked());
    QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(id).center());
    EXPECT_FALSE(table->isColumnHidden(1));
}

TEST(Panels, TagDockShowsTheValueColumnWithTheWholeValueInATooltip)
{
    TempDir temp;
    auto cache = cache::LocalCache::open(temp / "cache");
    ASSERT_TRUE(cache.ok());
    app::gui::MainWindow window(workstationOver(std::move(*cache)));
    ASSERT_TRUE(showActive(window));
    ASSERT_TRUE(window.tagBrowser()->setFile(testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm/I150"));
    QTest::keyClick(window.windowHandle(), Qt::Key_T, Qt::ControlModifier); // View > DICOM tags
    auto* dock = window.findChild<QDockWidget*>("tags");
    ASSERT_TRUE(dock && dock->isVisible());
    QApplication::processEvents();
    auto* tree = window.tagBrowser()->tree();
    const int valueAt = tree->header()->sectionViewportPosition(3);
    EXPECT_LE(valueAt, tree->viewport()->width() - 100) << "the Value column starts at " << valueAt << " of "
                                                         << tree->viewport()->width() << " px";
    QTreeWidgetItem* description = nullptr;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(1) == "SeriesDescription") description = tree->topLevelItem(i);
    ASSERT_NE(description, nullptr);
    EXPECT_EQ(description->toolTip(3), description->text(3));
    EXPECT_GE(tree->columnWidth(1), tree->viewport()->width() / 5) << "the keyword column is too narrow to read";
    saveScreenshot(window, "panels-7-tags");
}

} // namespace
} // namespace lb::test
