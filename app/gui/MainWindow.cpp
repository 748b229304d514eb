#include "app/gui/MainWindow.h"

#include "app/gui/GuiText.h"
#include "app/gui/FocusArea.h"
#include "app/gui/HangingController.h"
#include "app/gui/ImportReport.h"
#include "app/gui/JobPanel.h"
#include "app/gui/QuarantineIndicator.h"
#include "app/gui/RemoteBrowser.h"
#include "app/gui/SessionState.h"
#include "app/gui/StoredFilesNote.h"
#include "app/gui/StudyBrowser.h"
#include "app/gui/TagBrowser.h"
#include "app/gui/ViewerKeys.h"
#include "app/gui/ViewerPreferences.h"
#include "app/gui/WindowPlacement.h"
#include "app/services/TransferQueue.h"

#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QJsonArray>
#include <QLineEdit>
#include <QJsonDocument>
#include <QKeySequence>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QPixmap>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QStatusBar>
#include <QTimer>
#include <QUrl>

namespace lb::app::gui {

MainWindow::MainWindow(std::unique_ptr<Workstation> workstation, viewer::Layout layout, QWidget* parent)
    : QMainWindow(parent), m_workstation(std::move(workstation)), m_session(m_workstation->session())
{
    setWindowTitle(m_workstation->readOnly() ? "Lightbox (read-only cache: browse and view only)" : "Lightbox");
    const StudyCatalogue& catalogue = m_workstation->catalogue();
    statusBar()->addPermanentWidget(new QuarantineIndicator([&catalogue] { return catalogue.quarantined(); }, this));
    m_storedFiles = new StoredFilesNote(this);
    statusBar()->addPermanentWidget(m_storedFiles);
    m_grid = new viewer::ViewerGrid(this);
    m_grid->setLayout(layout);
    setCentralWidget(m_grid);
    buildDocks();
    setAcceptDrops(true); // files and folders dropped on the window are imported
    buildMenus();
    followSession();
    buildReadingRoom();
    followTransfers();
    buildToolbar();
    buildPanelsMenu();
    resize(1366, 768);
    m_defaultState = saveState(); // View > Reset layout comes back to this
    new ViewerKeyRouter(this, m_grid, [this] { return activeView(); });
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget*, QWidget* now) {
        if (!m_grid->mpr()) return;
        for (auto plane : {render::ViewPlane::Axial, render::ViewPlane::Coronal, render::ViewPlane::Sagittal})
            if (now == m_grid->mpr()->plane(plane)) m_lastMprPlane = m_grid->mpr()->plane(plane);
    });
    applyPreferences();
    m_browser->refresh();
}

QWidget* MainWindow::activeView() const
{
    switch (m_grid->layout()) {
    case viewer::Layout::ThreeD: return m_grid->volumeView();
    case viewer::Layout::Mpr:
        if (!m_grid->mpr()) return nullptr;
        return m_lastMprPlane ? m_lastMprPlane.data() : m_grid->mpr()->plane(render::ViewPlane::Axial);
    default: return m_grid->viewport(m_grid->activeIndex());
    }
}

viewer::SliceViewer* MainWindow::activeSliceViewer() const
{
    return qobject_cast<viewer::SliceViewer*>(activeView());
}

void MainWindow::focusViewer()
{
    if (QWidget* view = activeView()) view->setFocus(Qt::OtherFocusReason);
}

// A cell that waits says so: a slice viewport until its first image, the MPR planes and the 3D
// view until the whole series of the active viewport is in (they need every slice).
void MainWindow::showBusyCells()
{
    for (int i = 0; i < m_grid->viewportCount(); ++i) {
        const auto& shown = m_session.viewport(i);
        const auto volume = m_grid->volumeOf(i);
        const bool waiting = shown.loading && (!volume || QString::fromStdString(volume->seriesUid) != shown.seriesUid);
        m_grid->viewport(i)->setBusyText(waiting ? "loading " + shown.label + " ..." : QString());
    }
    const auto& active = m_session.viewport(m_grid->activeIndex());
    const QString wholeSeries = active.loading ? "loading " + active.label + " ...\n(the whole series is needed here)" : QString();
    if (m_grid->mpr())
        for (auto plane : {render::ViewPlane::Axial, render::ViewPlane::Coronal, render::ViewPlane::Sagittal})
            m_grid->mpr()->plane(plane)->setBusyText(wholeSeries);
    if (m_grid->mpr() && m_grid->mpr()->volumeView()) m_grid->mpr()->volumeView()->setBusyText(wholeSeries);
    if (m_grid->volumeView()) m_grid->volumeView()->setBusyText(wholeSeries);
}

MainWindow::~MainWindow() = default; // the Workstation stops the queue and cancels the jobs

void MainWindow::buildDocks()
{
    auto* dock = new QDockWidget("Local studies", this);
    dock->setObjectName("studies");
    m_browser = new StudyBrowser(m_workstation->catalogue(), m_workstation->loader(), dock);
    dock->setWidget(m_browser);
    connect(m_browser, &StudyBrowser::message, this, [this](QString text) { statusBar()->showMessage(text); });
    connect(m_browser, &StudyBrowser::studyActivated, this, [this](QString uid) {
        if (!openForReading(uid)) open(uid);
    });
    connect(m_browser, &StudyBrowser::seriesActivated, this, [this](QString uid) { openSeries(uid); });
    m_browser->table()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_browser->table(), &QWidget::customContextMenuRequested, this, &MainWindow::showStudyMenu);
    addDockWidget(Qt::LeftDockWidgetArea, dock);

    m_remote = new RemoteBrowser(m_workstation->remote(), m_workstation->nodes(), m_workstation->catalogue(), this);
    auto* remoteDock = new QDockWidget("Remote", this);
    remoteDock->setObjectName("remote");
    remoteDock->setWidget(m_remote);
    addDockWidget(Qt::LeftDockWidgetArea, remoteDock);
    tabifyDockWidget(dock, remoteDock);
    dock->raise();
    connect(m_remote, &RemoteBrowser::problem, this, [this](QString message) { statusBar()->showMessage(message); });
    connect(m_remote, &RemoteBrowser::retrieveRequested, this, [this](QString node, QString study, QString series) {
        auto id = m_workstation->retrieve(node.toStdString(), study.toStdString(), series.toStdString());
        statusBar()->showMessage(id ? QString("retrieve queued (job %1)").arg(*id) : qs(id.error().message()));
    });

    m_jobs = new JobPanel(m_workstation->jobs(), this);
    auto* jobDock = new QDockWidget("Jobs", this);
    jobDock->setObjectName("jobs");
    jobDock->setWidget(m_jobs);
    addDockWidget(Qt::BottomDockWidgetArea, jobDock);
    resizeDocks({jobDock}, {120}, Qt::Vertical); // the viewer keeps most of a laptop screen

    m_tags = new TagBrowser(this);
    auto* tagDock = new QDockWidget("DICOM tags", this);
    tagDock->setObjectName("tags");
    tagDock->setWidget(m_tags);
    addDockWidget(Qt::RightDockWidgetArea, tagDock);
    tagDock->hide(); // View it with Ctrl+T
    auto* toggleTags = tagDock->toggleViewAction();
    toggleTags->setShortcut(QKeySequence("Ctrl+T"));
    addAction(toggleTags);
}

// The viewers follow the session: what each viewport shows, its first image, its warnings.
void MainWindow::followSession()
{
    connect(m_grid, &viewer::ViewerGrid::seriesDropped, this, [this](int viewport, QString uid) { openSeries(uid, viewport); });
    connect(m_grid, &viewer::ViewerGrid::activeChanged, this, [this](int viewport) {
        const auto& shown = m_session.viewport(viewport);
        if (!shown.middleFile.empty()) m_tags->setFile(shown.middleFile);
        if (!shown.warnings.isEmpty()) statusBar()->showMessage("! " + shown.warnings.join("; "));
    });
    connect(&m_session, &ViewingSession::cleared, this, [this](int viewport) {
        m_grid->showVolume(viewport, nullptr, {});
        m_storedFiles->clear(viewport);
        showWarnings(viewport);
        showBusyCells();
    });
    connect(&m_session, &ViewingSession::preview, this, [this](int viewport, std::shared_ptr<const core::Volume> slice) {
        // A slice viewport shows the first decoded image at once; MPR and 3D wait for the volume.
        m_grid->showVolume(viewport, std::move(slice), m_session.viewport(viewport).information);
        showBusyCells();
        // The loader decodes the rest once this image is painted (or the viewport is hidden).
        auto* view = m_grid->viewport(viewport);
        if (!view->isVisible()) return m_session.previewShown(viewport);
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = connect(view, &viewer::VtkViewport::framePainted, this, [this, viewport, connection] {
            m_session.previewShown(viewport);
            disconnect(*connection);
        });
        statusBar()->showMessage("loading " + m_session.viewport(viewport).label + " ... (first image shown)");
    });
    connect(&m_session, &ViewingSession::shown, this, [this](int viewport, std::shared_ptr<const core::Volume> volume) {
        m_grid->showVolume(viewport, std::move(volume), m_session.viewport(viewport).information);
        statusBar()->showMessage(m_session.viewport(viewport).label);
        showBusyCells();
    });
    connect(&m_session, &ViewingSession::regularGrid, this,
            [this](int viewport, std::shared_ptr<const core::Volume> volume, std::shared_ptr<const core::Volume> grid) {
                m_grid->setRegularGrid(viewport, volume, std::move(grid));
            });
    connect(&m_session, &ViewingSession::failed, this, [this](int, QString message) {
        statusBar()->showMessage(message);
        showBusyCells();
    });
    connect(m_grid, &viewer::ViewerGrid::activeChanged, this, [this] { showBusyCells(); });
    connect(&m_session, &ViewingSession::warningsChanged, this, &MainWindow::showWarnings);
    connect(&m_session, &ViewingSession::settled, this, [this] {
        showBusyCells(); // the viewports are marked loaded only after `shown`
        QTimer::singleShot(0, this, [this] { emit seriesShown(); });
    });
}

// A viewport's warnings: its badge and tooltip on the image, the stored-file note, the status bar.
void MainWindow::showWarnings(int viewport)
{
    const auto& shown = m_session.viewport(viewport);
    m_grid->setNotices(viewport, shown.warnings);
    m_storedFiles->setNote(viewport, shown.label, shown.storedFilesSummary, shown.storedFileDetails);
    if (!shown.warnings.isEmpty() && viewport == m_grid->activeIndex()) statusBar()->showMessage("! " + shown.warnings.join("; "));
}

void MainWindow::followTransfers()
{
    TransferQueue* queue = m_workstation->transferQueue();
    if (!queue) return statusBar()->showMessage("transfers unavailable: " + m_workstation->transfersProblem());
    connect(queue, &TransferQueue::jobStateChanged, this, [this](qint64, QString state, QString) {
        if (state != "done") return;
        m_browser->refresh();
        m_remote->refreshLocalState();
        pruneInBackground();
    }, Qt::QueuedConnection);
    // A study being retrieved shows up (and opens) as soon as its first instances are in.
    connect(queue, &TransferQueue::jobProgress, this, [this] {
        if (m_listRefreshed.elapsed() < 1000) return;
        m_listRefreshed.restart();
        m_browser->refresh();
    }, Qt::QueuedConnection);
    m_listRefreshed.start();
}

// Right click on a study: open it, send it to a node (a job on the transfer queue), or delete it
// from the cache (after asking: the only question the window asks).
void MainWindow::showStudyMenu(const QPoint& at)
{
    auto* table = m_browser->table();
    const int row = table->rowAt(at.y());
    if (row < 0) return;
    const QString study = table->item(row, 0)->data(Qt::UserRole).toString();
    const QString who = describeStudy(study);
    QMenu menu(this);
    menu.addAction("Open", this, [this, study] { open(study); });
    QMenu* send = menu.addMenu("Send to");
    const QStringList nodes = qsList(m_workstation->nodes().names());
    send->setEnabled(m_workstation->transfersAvailable() && !nodes.isEmpty());
    for (const QString& node : nodes)
        send->addAction(node, this, [this, node, study] {
            auto id = m_workstation->send(node.toStdString(), study.toStdString());
            statusBar()->showMessage(id ? QString("send to %1 queued (job %2)").arg(node).arg(*id) : qs(id.error().message()));
        });
    menu.addSeparator();
    menu.addAction("Delete from the cache...", this, [this, study, who] { deleteStudy(study, who); });
    menu.exec(table->viewport()->mapToGlobal(at));
}

// The question promises only what the cache knows: which configured nodes it was retrieved from,
// sent to or listed by. With none, the warning says this may be the only copy.
void MainWindow::deleteStudy(const QString& studyUid, const QString& who)
{
    auto holders = m_workstation->maintenance().knownHolders(studyUid.toStdString(), m_workstation->nodes().names());
    QMessageBox box(this);
    box.setWindowTitle("Delete from the cache");
    if (holders && !holders->empty()) {
        box.setIcon(QMessageBox::Question);
        box.setText("Delete the study of " + who + " from this workstation's cache?");
        box.setInformativeText("Known to be on: " + qsList(*holders).join("; ") +
                               ".\nLightbox has not checked that the node still holds it.");
    } else {
        box.setIcon(QMessageBox::Warning);
        box.setText("No configured node is known to hold the study of " + who + ".");
        box.setInformativeText("It was not retrieved from, sent to or listed by any node set up here: deleting it may remove "
                               "the only copy. Send it to an archive first unless you are sure.");
    }
    QPushButton* remove = box.addButton(holders && !holders->empty() ? "Delete" : "Delete anyway", QMessageBox::DestructiveRole);
    box.setDefaultButton(box.addButton(QMessageBox::Cancel));
    box.exec();
    if (box.clickedButton() != remove) return;
    m_session.forgetStudy(studyUid);
    auto removed = m_workstation->maintenance().deleteStudy(studyUid.toStdString());
    statusBar()->showMessage(removed ? QString("deleted %1 instances").arg(*removed) : qs(removed.error().message()));
    m_browser->refresh();
}

void MainWindow::applyPreferences()
{
    const ViewerPreferences preferences = ViewerPreferences::load();
    m_grid->setDragActions(preferences.buttons[0], preferences.buttons[1], preferences.buttons[2]);
    m_grid->setWindowPresets(preferences.presets);
    m_grid->setWindowSensitivity(preferences.windowSensitivity);
}

void MainWindow::pruneInBackground()
{
    auto outcome = std::make_shared<PruneOutcome>();
    auto work = [&maintenance = m_workstation->maintenance(), keep = m_session.studiesOnScreen(),
                 since = m_workstation->sessionStart(), outcome](JobContext&) -> JobOutcome {
        auto pruned = maintenance.pruneToLimit(keep, since);
        if (!pruned) return JobOutcome::from(pruned.error());
        *outcome = *pruned;
        return JobOutcome::done();
    };
    QPointer<MainWindow> self(this);
    m_workstation->jobs().start(JobKind::Prune, "cache size limit", {}, std::move(work), [self, outcome](const JobOutcome& result) {
        if (!self) return;
        if (result.state == JobState::Failed && result.error) self->statusBar()->showMessage("cache limit: " + qs(result.error->message()));
        if (outcome->studiesRemoved > 0) {
            self->m_browser->refresh();
            self->m_remote->refreshLocalState();
            self->statusBar()->showMessage(QString("cache over its %1 MB limit: removed the %2 oldest studies (%3 MB)")
                                               .arg(outcome->limitBytes / 1048576)
                                               .arg(outcome->studiesRemoved)
                                               .arg(outcome->megabytesFreed, 0, 'f', 1));
        }
        emit self->pruned(outcome->studiesRemoved);
    });
}

void MainWindow::setLayout(viewer::Layout layout)
{
    if (m_hanging) m_hanging->forget(); // the reader arranges the screen now
    m_grid->setLayout(layout);
    for (QAction* action : findChildren<QAction*>())
        if (action->data().toString() == viewer::layoutName(layout)) action->setChecked(true);
    m_session.fillEmpty(m_grid->viewportCount()); // a bigger grid shows more of the open study
    showBusyCells();
    focusViewer(); // the keys go on to the views, not to whatever the old layout leaves focused
}

QString MainWindow::importPaths(const QStringList& paths)
{
    std::vector<std::filesystem::path> inputs;
    for (const QString& path : paths) inputs.emplace_back(path.toStdString());
    statusBar()->showMessage(QString("importing %1 ...").arg(paths.join(", ")));
    QPointer<MainWindow> self(this);
    return m_workstation->imports().importPaths(inputs, [self](const ImportOutcome& outcome) {
        if (!self) return;
        self->m_browser->refresh();
        QString message = outcome.state == JobState::Failed
                              ? "import failed: " + qs(outcome.problem)
                              : QString("imported %1 new instances (%2 already there)").arg(outcome.imported).arg(outcome.alreadyPresent);
        if (!outcome.rejected.empty()) message += QString(", %1 files rejected (see the report)").arg(outcome.rejected.size());
        self->statusBar()->showMessage(message);
        self->revealStudy(mainImportedStudy(outcome));
        if (!outcome.series.empty() || !outcome.rejected.empty() || !outcome.warnings.empty())
            showImportReport(self, outcome, self->m_workstation->catalogue());
        emit self->importFinished(outcome.imported, static_cast<int>(outcome.rejected.size()));
        if (outcome.imported > 0) self->pruneInBackground();
    });
}

// The study shown and selected in the list even when the search in force would hide it (the
// search is cleared then): the reader sees what the import brought.
void MainWindow::revealStudy(const QString& studyUid)
{
    if (studyUid.isEmpty()) return;
    auto rowOf = [this, &studyUid] {
        QTableWidget* table = m_browser->table();
        for (int row = 0; row < table->rowCount(); ++row)
            if (table->item(row, 0) && table->item(row, 0)->data(Qt::UserRole).toString() == studyUid) return row;
        return -1;
    };
    if (rowOf() < 0) { // hidden by the search in force
        m_browser->nameField()->clear();
        m_browser->idField()->clear();
        m_browser->modalityBox()->setCurrentIndex(0);
        m_browser->dateBox()->setCurrentIndex(0);
        m_browser->refresh();
    }
    const int row = rowOf();
    if (row < 0) return;
    m_browser->table()->selectRow(row);
    m_browser->table()->scrollToItem(m_browser->table()->item(row, 0));
    m_browser->selectStudy(studyUid);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile()) paths << url.toLocalFile();
    if (paths.isEmpty()) return;
    event->acceptProposedAction();
    importPaths(paths);
}

void MainWindow::rememberGeometry(bool restoreLayout)
{
    m_remembersGeometry = true;
    QSettings settings("Lightbox", "Lightbox");
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
    keepOnScreen(*this); // remembered on a bigger screen: shrunk and moved onto this one
    showStudiesIfNoPanel();
    viewer::Layout layout;
    if (restoreLayout && viewer::parseLayout(settings.value("window/layout").toString(), layout)) setLayout(layout);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (warnUnviewed()) { // once: a second close leaves
        event->ignore();
        return;
    }
    if (m_remembersGeometry) {
        QSettings settings("Lightbox", "Lightbox");
        settings.setValue("window/geometry", saveGeometry());
        settings.setValue("window/state", saveState());
        settings.setValue("window/layout", viewer::layoutName(m_grid->layout()));
    }
    QMainWindow::closeEvent(event);
}

int MainWindow::localStudyCount() const
{
    return m_browser->studyCount();
}

QPixmap MainWindow::screenshot()
{
    QPixmap picture = grab();
    QPainter painter(&picture);
    for (auto* view : findChildren<viewer::VtkViewport*>())
        if (view->isVisible())
            painter.drawImage(QRect(view->mapTo(this, QPoint(0, 0)), view->size()), view->grabFramebuffer());
    return picture;
}

bool MainWindow::open(const QString& target)
{
    if (target != m_session.openStudyUid()) warnUnviewed();
    m_hanging->forget();
    m_readingStudy.clear();
    // A study: its largest series first, then the others in series order, one per viewport.
    startInWindowLevel();
    const bool study = m_session.openStudy(target, std::max(1, m_grid->viewportCount()));
    if (study) {
        m_grid->setActive(0);
        m_browser->selectStudy(target); // its series strip, once the loads are under way
    }
    if (!study && !m_session.showSeries(0, target) && !m_session.showPath(0, target.toStdString())) {
        statusBar()->showMessage(target + ": neither a study or series in the cache nor a file or folder");
        return false;
    }
    showBusyCells();
    focusViewer(); // whatever was opened, the keys go to it
    return true;
}

void MainWindow::openSeries(const QString& seriesUid, int viewport)
{
    if (viewport < 0) viewport = m_grid->activeIndex();
    if (!m_session.showSeries(viewport, seriesUid))
        return statusBar()->showMessage(seriesUid + ": no such series in the cache (deleted or pruned?)");
    statusBar()->showMessage("loading " + m_session.viewport(viewport).label + " ...");
    showBusyCells();
    if (viewport == m_grid->activeIndex()) m_tags->setFile(m_session.viewport(viewport).middleFile); // the image shown first
}

// Once every requested series is shown: one more turn so that the views have painted (the 3D
// view renders its first frame at full quality: give it time).
void MainWindow::afterShown(const std::function<void()>& action, bool evenWithoutLoads)
{
    auto wait = [this, action] {
        const bool threeD = m_grid->layout() == viewer::Layout::Mpr || m_grid->layout() == viewer::Layout::ThreeD;
        QTimer::singleShot(threeD ? 1500 : 100, this, action);
    };
    if (evenWithoutLoads && !m_session.loading()) return wait();
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(this, &MainWindow::seriesShown, this, [connection, wait] {
        QObject::disconnect(*connection);
        wait();
    });
}

void MainWindow::screenshotWhenShown(const QString& file, bool quitAfter)
{
    afterShown([this, file, quitAfter] {
        const bool saved = screenshot().save(file);
        if (!saved) statusBar()->showMessage("cannot save " + file);
        if (quitAfter) QApplication::exit(saved ? 0 : 1);
    }, false); // asked for before --open starts the loads
}

bool MainWindow::writeState(const QString& file) const
{
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
    QJsonObject state = sessionState(*m_grid, m_session, m_hanging);
    const QRect frame = geometry();
    state["geometry"] = QJsonArray{frame.x(), frame.y(), frame.width(), frame.height()};
    state["focus"] = focusArea(QApplication::focusWidget(), *this);
    return out.write(QJsonDocument(state).toJson()) > 0;
}

void MainWindow::stateWhenShown(const QString& file, bool quitAfter)
{
    auto write = [this, file, quitAfter] {
        const bool written = writeState(file);
        if (!written) std::fprintf(stderr, "lightbox: cannot write %s\n", qPrintable(file));
        if (quitAfter) QApplication::exit(written ? 0 : 1);
    };
    // The links a comparison shows are part of the state: wait for its registrations too.
    afterShown([this, write] {
        if (!m_hanging->registering()) return write();
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = connect(m_hanging, &HangingController::registrationsSettled, this, [connection, write] {
            QObject::disconnect(*connection);
            write();
        });
    }, true); // asked for after --open: with nothing to load, at once
    if (!quitAfter) connect(qApp, &QApplication::aboutToQuit, this, [this, file] { writeState(file); });
}

} // namespace lb::app::gui
