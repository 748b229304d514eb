#include "app/gui/MainWindow.h"
#include "app/gui/SessionState.h"

#include "app/gui/QuarantineIndicator.h"
#include "cache/Quarantine.h"
#include "app/gui/GuiText.h"
#include "app/gui/Background.h"

#include "app/gui/JobPanel.h"
#include "app/gui/RemoteBrowser.h"
#include "app/gui/SeriesLoader.h"
#include "app/gui/SettingsDialog.h"
#include "app/gui/StoredFilesNote.h"
#include "app/gui/StudyBrowser.h"
#include "app/gui/TagBrowser.h"
#include "app/gui/ViewerPreferences.h"
#include "cache/CachePrune.h"
#include "cache/StudyRemoval.h"
#include "cache/Importer.h"
#include "cache/InputCollector.h"
#include "cache/StudyQuery.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QJsonDocument>
#include <QFile>
#include <QCloseEvent>
#include <QDate>
#include <QDateTime>
#include <QDialog>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QKeySequence>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QSettings>
#include <QStatusBar>
#include <QTableWidget>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace lb::app::gui {
namespace {

// "45Y" from DICOM dates (birth, study); empty when either is missing.
QString ageAt(const std::string& birth, const std::string& study)
{
    const QDate born = QDate::fromString(QString::fromStdString(birth), "yyyyMMdd");
    const QDate on = QDate::fromString(QString::fromStdString(study), "yyyyMMdd");
    if (!born.isValid() || !on.isValid() || on < born) return {};
    int years = on.year() - born.year();
    if (on.month() < born.month() || (on.month() == born.month() && on.day() < born.day())) --years;
    return QString("%1Y").arg(years);
}

} // namespace

MainWindow::MainWindow(std::unique_ptr<cache::LocalCache> cache, viewer::Layout layout, QWidget* parent)
    : QMainWindow(parent), m_cache(std::move(cache)), m_loader(new SeriesLoader(this))
{
    setWindowTitle(m_cache->readOnly() ? "Lightbox (read-only cache: browse and view only)" : "Lightbox");
    m_sessionStart = QDateTime::currentDateTimeUtc().toString("yyyy-MM-ddTHH:mm:ssZ").toStdString();
    if (auto reader = m_cache->openReader()) m_reader = std::move(*reader);
    if (m_reader)
        statusBar()->addPermanentWidget(new QuarantineIndicator(
            [this]() -> std::optional<int64_t> {
                auto count = cache::quarantineCount(*m_reader);
                return count ? std::optional<int64_t>(*count) : std::nullopt;
            },
            this));
    m_storedFiles = new StoredFilesNote(m_cache->store().storeDir(), this);
    statusBar()->addPermanentWidget(m_storedFiles);
    m_grid = new viewer::ViewerGrid(this);
    m_grid->setLayout(layout);
    setCentralWidget(m_grid);

    auto* dock = new QDockWidget("Local studies", this);
    dock->setObjectName("studies");
    if (m_reader) {
        m_browser = new StudyBrowser(*m_reader, m_cache->store(), dock);
        dock->setWidget(m_browser);
        connect(m_browser, &StudyBrowser::message, this, [this](QString text) { statusBar()->showMessage(text); });
        connect(m_browser, &StudyBrowser::studyActivated, this, [this](QString uid) { open(uid); });
        connect(m_browser, &StudyBrowser::seriesActivated, this, [this](QString uid) { openSeries(uid); });
        m_browser->table()->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(m_browser->table(), &QWidget::customContextMenuRequested, this, &MainWindow::showStudyMenu);
    }
    addDockWidget(Qt::LeftDockWidgetArea, dock);

    // Remote browser and job panel on the transfer queue (one runner per cache: a second window
    // on the same cache browses locally only).
    m_remote = new RemoteBrowser(m_cache->layout().indexFile(), this);
    auto* remoteDock = new QDockWidget("Remote", this);
    remoteDock->setObjectName("remote");
    remoteDock->setWidget(m_remote);
    addDockWidget(Qt::LeftDockWidgetArea, remoteDock);
    tabifyDockWidget(dock, remoteDock);
    dock->raise();
    if (auto queue = TransferQueue::open(*m_cache)) {
        m_queue = std::move(*queue);
    } else {
        statusBar()->showMessage("transfers unavailable: " + QString::fromStdString(queue.error().message()));
    }
    // Imports always; retrieves and sends when this window runs the cache's transfer queue.
    m_jobs = new JobPanel(m_queue.get(), this);
    auto* jobDock = new QDockWidget("Jobs", this);
    jobDock->setObjectName("jobs");
    jobDock->setWidget(m_jobs);
    addDockWidget(Qt::BottomDockWidgetArea, jobDock);
    resizeDocks({jobDock}, {120}, Qt::Vertical); // the viewer keeps most of a laptop screen
    if (m_queue) {
        connect(m_remote, &RemoteBrowser::retrieveRequested, this, [this](QString node, QString study, QString series) {
            auto id = m_queue->enqueueRetrieve(node.toStdString(), study.toStdString(), series.toStdString());
            statusBar()->showMessage(id ? QString("retrieve queued (job %1)").arg(*id) : QString::fromStdString(id.error().message()));
        });
        connect(m_queue.get(), &TransferQueue::jobStateChanged, this, [this](qint64, QString state, QString) {
            if (state == "done") {
                if (m_browser) m_browser->refresh();
                m_remote->refreshLocalState();
                pruneInBackground();
            }
        }, Qt::QueuedConnection);
        // A study being retrieved shows up (and opens) as soon as its first instances are in.
        connect(m_queue.get(), &TransferQueue::jobProgress, this, [this] {
            if (m_browser && m_listRefreshed.elapsed() > 1000) {
                m_listRefreshed.restart();
                m_browser->refresh();
            }
        }, Qt::QueuedConnection);
        m_listRefreshed.start();
        m_queue->start();
    }
    connect(m_remote, &RemoteBrowser::problem, this, [this](QString message) { statusBar()->showMessage(message); });

    m_tags = new TagBrowser(this);
    auto* tagDock = new QDockWidget("DICOM tags", this);
    tagDock->setObjectName("tags");
    tagDock->setWidget(m_tags);
    addDockWidget(Qt::RightDockWidgetArea, tagDock);
    tagDock->hide(); // View it with Ctrl+T
    auto* toggleTags = tagDock->toggleViewAction();
    toggleTags->setShortcut(QKeySequence("Ctrl+T"));
    addAction(toggleTags);

    setAcceptDrops(true); // files and folders dropped on the window are imported
    buildMenus();

    connect(m_grid, &viewer::ViewerGrid::seriesDropped, this, [this](int viewport, QString uid) { openSeries(uid, viewport); });
    connect(m_grid, &viewer::ViewerGrid::activeChanged, this, [this](int viewport) {
        if (!m_middleFile[viewport].empty()) m_tags->setFile(m_middleFile[viewport]);
    });
    connect(m_loader, &SeriesLoader::loaded, this, [this](std::shared_ptr<const core::Volume> volume, QString label, int viewport) {
        if (label != m_expected[viewport]) return; // the viewport asked for another series since
        m_grid->showVolume(viewport, std::move(volume), m_information[viewport]);
        statusBar()->showMessage(label);
        loadFinished(viewport);
        checkStoredFiles(viewport);
    });
    connect(m_loader, &SeriesLoader::regularGrid, this,
            [this](std::shared_ptr<const core::Volume> volume, std::shared_ptr<const core::Volume> grid, int viewport) {
                m_grid->setRegularGrid(viewport, volume, std::move(grid));
            });
    connect(m_loader, &SeriesLoader::preview, this, [this](std::shared_ptr<const core::Volume> slice, QString label, int viewport) {
        // A slice viewport shows the first decoded image at once; MPR and 3D wait for the volume.
        if (label != m_expected[viewport]) return m_loader->previewShown(viewport);
        m_grid->showVolume(viewport, std::move(slice), m_information[viewport]);
        // The loader decodes the rest once this image is painted (or the viewport is hidden).
        auto* view = m_grid->viewport(viewport);
        if (!view->isVisible()) {
            m_loader->previewShown(viewport);
        } else {
            auto connection = std::make_shared<QMetaObject::Connection>();
            *connection = connect(view, &viewer::VtkViewport::framePainted, this, [this, viewport, connection] {
                m_loader->previewShown(viewport);
                disconnect(*connection);
            });
        }
        statusBar()->showMessage("loading " + label + " ... (first image shown)");
    });
    connect(m_loader, &SeriesLoader::failed, this, [this](QString message, int viewport) {
        statusBar()->showMessage(message);
        loadFinished(viewport);
        checkStoredFiles(viewport); // damaged files may be why
    });
    resize(1366, 768);
    applyPreferences();
    if (m_browser) m_browser->refresh();
}

// Right click on a study: open it, send it to a node (a job on the transfer queue), or delete it
// from the cache (after asking: the only question the window asks).
void MainWindow::showStudyMenu(const QPoint& at)
{
    auto* table = m_browser->table();
    const int row = table->rowAt(at.y());
    if (row < 0) return;
    const QString study = table->item(row, 0)->data(Qt::UserRole).toString();
    QMenu menu(this);
    menu.addAction("Open", this, [this, study] { open(study); });
    QMenu* send = menu.addMenu("Send to");
    const QStringList nodes = nodeNames(m_cache->layout().indexFile());
    send->setEnabled(m_queue && !nodes.isEmpty());
    for (const QString& node : nodes)
        send->addAction(node, this, [this, node, study] {
            auto id = m_queue->enqueueSend(node.toStdString(), study.toStdString());
            statusBar()->showMessage(id ? QString("send to %1 queued (job %2)").arg(node).arg(*id)
                                        : QString::fromStdString(id.error().message()));
        });
    menu.addSeparator();
    menu.addAction("Delete from the cache...", this, [this, study, row, table] {
        const QString who = table->item(row, 0)->text() + " " + table->item(row, 4)->text();
        if (QMessageBox::question(this, "Delete", "Delete the study of " + who + " from this workstation's cache?\n"
                                                  "(The archive keeps its copy.)") != QMessageBox::Yes)
            return;
        for (int viewport = 0; viewport < viewer::ViewerGrid::kMaxViewports; ++viewport)
            if (m_viewportStudy[viewport] == study) {
                m_grid->showVolume(viewport, nullptr, {});
                m_expected[viewport].clear();
                m_viewportStudy[viewport].clear();
            }
        m_studiesOnScreen.erase(study.toStdString());
        if (m_openStudy == study) m_openStudy.clear();
        // Its own LocalCache: the transfer queue's importer writes through the window's.
        auto cache = cache::LocalCache::open(m_cache->layout().root());
        if (!cache) return statusBar()->showMessage(QString::fromStdString(cache.error().message()));
        auto removed = cache::removeStudy(**cache, study.toStdString());
        statusBar()->showMessage(removed ? QString("deleted %1 instances").arg(removed->instances)
                                         : QString::fromStdString(removed.error().message()));
        m_browser->refresh();
    });
    menu.exec(table->viewport()->mapToGlobal(at));
}

void MainWindow::applyPreferences()
{
    const ViewerPreferences preferences = ViewerPreferences::load();
    m_grid->setDragActions(preferences.buttons[0], preferences.buttons[1], preferences.buttons[2]);
    m_grid->setWindowPresets(preferences.presets);
}

void MainWindow::pruneInBackground()
{
    QPointer<MainWindow> self(this);
    cache::PruneOptions options;
    options.keepStudies = m_studiesOnScreen;
    options.keepAddedSince = m_sessionStart;
    runInBackground([self, root = m_cache->layout().root(), options] {
        auto cache = cache::LocalCache::open(root);
        if (!cache) return;
        auto limit = cache::cacheLimitBytes((*cache)->connection());
        if (!limit || *limit == 0) return;
        auto report = cache::pruneToLimit(**cache, *limit, options);
        const QString message = !report ? "cache limit: " + QString::fromStdString(report.error().message())
                                         : QString("cache over its %1 MB limit: removed the %2 oldest studies (%3 MB)")
                                               .arg(*limit / 1048576)
                                               .arg(report->removedStudies.size())
                                               .arg(report->bytesFreed / 1048576.0, 0, 'f', 1);
        const int removed = report ? static_cast<int>(report->removedStudies.size()) : 0;
        QMetaObject::invokeMethod(qApp, [self, message, removed] {
            if (!self) return;
            if (removed > 0) {
                if (self->m_browser) self->m_browser->refresh();
                self->m_remote->refreshLocalState();
                self->statusBar()->showMessage(message);
            }
            emit self->pruned(removed);
        });
    });
}

MainWindow::~MainWindow()
{
    if (m_queue) m_queue->stop(); // running transfers go back to 'queued' for the next start
    m_jobs->cancelLocalJobs();    // the application waits for its workers: let imports stop now
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
        SettingsDialog dialog(m_cache->layout().indexFile(), this);
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
        {viewer::Layout::ThreeD, "3D"}};
    int shortcut = 1;
    for (const auto& [layout, name] : choices) {
        QAction* action = viewMenu->addAction(QString("Layout %1").arg(name), this, [this, layout = layout] { setLayout(layout); });
        action->setShortcut(QKeySequence(QString("Ctrl+%1").arg(shortcut++)));
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
    helpMenu->addAction("&Keyboard and mouse", QKeySequence::HelpContents, this, [this] {
        auto* box = new QMessageBox(QMessageBox::Information, "Keyboard and mouse",
                                    "<table>"
                                    "<tr><td>Left drag</td><td>window / level (or the measuring tool)</td></tr>"
                                    "<tr><td>Right drag</td><td>zoom</td></tr>"
                                    "<tr><td>Middle drag</td><td>pan</td></tr>"
                                    "<tr><td>Wheel, arrows</td><td>next / previous slice</td></tr>"
                                    "<tr><td>PgUp / PgDn, Home / End</td><td>jump / first, last slice</td></tr>"
                                    "<tr><td>1 - 8, 0</td><td>window presets (brain, subdural, stroke, lung, mediastinum, abdomen, liver, bone), the series' own</td></tr>"
                                    "<tr><td>R, I, M, L</td><td>reset view, invert, colour maps, nearest/linear interpolation</td></tr>"
                                    "<tr><td>[ ]  H  V</td><td>rotate left / right, flip horizontally, vertically</td></tr>"
                                    "<tr><td>S, Shift+S</td><td>thick slab 5/10/20 mm, its mode (MIP, MinIP, average)</td></tr>"
                                    "<tr><td>D A B E F</td><td>measure distance, angle, box, ellipse, freehand ROI</td></tr>"
                                    "<tr><td>Esc, Delete</td><td>back to window/level, delete the selected measurement</td></tr>"
                                    "<tr><td>C, + / -</td><td>cine on/off, its speed</td></tr>"
                                    "<tr><td>Ctrl + click (MPR)</td><td>move the crosshair there</td></tr>"
                                    "<tr><td>Shift + drag (MPR), O</td><td>turn the crosshair: oblique planes; O: orthogonal again</td></tr>"
                                    "<tr><td>3D view</td><td>left drag rotate, right drag zoom, middle pan, 1-5 presets, R reset, X cut away the near half</td></tr>"
                                    "<tr><td>Ctrl+1 ... Ctrl+7</td><td>layouts 1x1, 1x2, 2x1, 2x2, 1x3, MPR + 3D, 3D</td></tr>"
                                    "<tr><td>Ctrl+O</td><td>import a folder or DICOMDIR</td></tr>"
                                    "<tr><td>Ctrl+T</td><td>DICOM tags</td></tr>"
                                    "<tr><td>Ctrl+,</td><td>settings</td></tr>"
                                    "</table><p>All of it: docs/user-guide.md</p>",
                                    QMessageBox::Close, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setModal(false);
        box->show();
    });
}

void MainWindow::setLayout(viewer::Layout layout)
{
    m_grid->setLayout(layout);
    for (QAction* action : findChildren<QAction*>())
        if (action->data().toString() == viewer::layoutName(layout)) action->setChecked(true);
    fillEmptyViewports();
}

// A bigger grid shows more of the open study: its series not on screen yet, in series order,
// in the empty viewports. What is already shown stays as the user left it.
void MainWindow::fillEmptyViewports()
{
    if (m_openStudy.isEmpty() || !m_browser) return;
    std::vector<QString> waiting;
    for (const auto& row : m_browser->seriesOf(m_openStudy)) {
        const QString uid = qs(row.seriesUid);
        bool shown = false;
        for (int viewport = 0; viewport < viewer::ViewerGrid::kMaxViewports; ++viewport)
            shown = shown || m_expected[viewport].contains(uid);
        if (!shown) waiting.push_back(uid);
    }
    for (int viewport = 0; viewport < m_grid->viewportCount() && !waiting.empty(); ++viewport)
        if (m_expected[viewport].isEmpty()) {
            openSeries(waiting.front(), viewport);
            waiting.erase(waiting.begin());
        }
}

void MainWindow::importPaths(const QStringList& paths)
{
    std::vector<std::filesystem::path> inputs;
    for (const QString& path : paths) inputs.emplace_back(path.toStdString());
    statusBar()->showMessage(QString("importing %1 ...").arg(paths.join(", ")));
    auto cancel = std::make_shared<core::CancelToken>();
    const int job = m_jobs->addLocalJob("import", paths.join(", "), cancel);
    QPointer<MainWindow> self(this);
    runInBackground([self, root = m_cache->layout().root(), inputs, cancel, job] {
        int imported = 0, rejected = 0;
        QString message, state = "failed", problem;
        QStringList report;
        auto cache = cache::LocalCache::open(root);
        if (!cache) {
            problem = QString::fromStdString(cache.error().message());
            message = "import failed: " + problem;
        } else {
            cache::ImportOptions options;
            options.cancel = cancel.get();
            options.onProgress = [self, job](const cache::ImportProgress& progress) {
                QMetaObject::invokeMethod(qApp, [self, job, progress] {
                    if (self) self->m_jobs->updateLocalJob(job, progress.done, progress.total);
                });
            };
            auto result = cache::importIntoCache(**cache, inputs, options);
            if (!result) {
                problem = QString::fromStdString(result.error().message());
                message = "import failed: " + problem;
            } else {
                imported = static_cast<int>(result->imported);
                rejected = static_cast<int>(result->rejected.size());
                state = result->cancelled ? "cancelled" : "done";
                message = QString("imported %1 new instances (%2 already there)").arg(imported).arg(result->alreadyPresent);
                if (rejected > 0) {
                    message += QString(", %1 files rejected (see the report)").arg(rejected);
                    problem = QString("%1 files rejected, e.g. %2: %3")
                                  .arg(rejected)
                                  .arg(QString::fromStdString(result->rejected.front().file))
                                  .arg(QString::fromStdString(result->rejected.front().reason));
                }
                for (const auto& issue : result->rejected)
                    report << QString::fromStdString(issue.file) + ": " + QString::fromStdString(issue.reason);
            }
        }
        QMetaObject::invokeMethod(qApp, [self, imported, rejected, message, report, job, state, problem] {
            if (!self) return;
            self->m_jobs->finishLocalJob(job, state, problem);
            if (self->m_browser) self->m_browser->refresh();
            self->statusBar()->showMessage(message);
            if (!report.isEmpty()) self->showImportReport(report);
            emit self->importFinished(imported, rejected);
            if (imported > 0) self->pruneInBackground();
        });
    });
}

void MainWindow::showImportReport(const QStringList& lines)
{
    // Not modal: the import is background work; the report stays until read.
    auto* dialog = new QDialog(this);
    dialog->setObjectName("importReport");
    dialog->setWindowTitle(QString("Import: %1 files rejected").arg(lines.size()));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto* text = new QPlainTextEdit(lines.join('\n'), dialog);
    text->setReadOnly(true);
    text->setLineWrapMode(QPlainTextEdit::NoWrap);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(text);
    dialog->resize(720, 320);
    dialog->show();
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
    viewer::Layout layout;
    if (restoreLayout && viewer::parseLayout(settings.value("window/layout").toString(), layout)) setLayout(layout);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
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
    return m_browser ? m_browser->studyCount() : 0;
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

QStringList MainWindow::informationFor(const QString& studyUid, const QString& seriesUid) const
{
    QStringList lines;
    if (!m_browser) return lines;
    if (auto study = m_browser->study(studyUid)) {
        QString name = qs(study->patientName);
        name.replace('^', ", ");
        lines << name;
        QStringList idLine{qs(study->patientId)};
        const QString age = ageAt(study->patientBirthDate, study->studyDate);
        if (!age.isEmpty() || !study->patientSex.empty()) idLine << (age + " " + qs(study->patientSex)).trimmed();
        lines << idLine.join("  ");
        const QDate day = QDate::fromString(qs(study->studyDate), "yyyyMMdd");
        lines << (day.isValid() ? day.toString("yyyy-MM-dd") : qs(study->studyDate)) + "  " + qs(study->description);
    }
    for (const auto& series : m_browser->seriesOf(studyUid))
        if (qs(series.seriesUid) == seriesUid)
            lines << QString("Se %1  %2").arg(series.seriesNumber ? QString::number(*series.seriesNumber) : "-").arg(qs(series.description));
    return lines;
}

bool MainWindow::open(const QString& target)
{
    if (!m_reader || !m_browser) return false;
    const std::string uid = target.toStdString();
    // A study: its largest series first, then the others in series order, one per viewport.
    if (auto series = m_browser->seriesOf(target); !series.empty()) {
        m_openStudy = target;
        const auto largest = std::max_element(series.begin(), series.end(),
                                              [](const auto& a, const auto& b) { return a.numInstances < b.numInstances; });
        std::vector<QString> order{qs(largest->seriesUid)};
        for (const auto& row : series)
            if (qs(row.seriesUid) != order.front()) order.push_back(qs(row.seriesUid));
        const int viewports = std::max(1, m_grid->viewportCount());
        m_grid->setActive(0);
        // A new study: every viewport is free, and none may keep showing the previous patient.
        for (int viewport = 0; viewport < viewer::ViewerGrid::kMaxViewports; ++viewport) {
            m_expected[viewport].clear();
            m_middleFile[viewport].clear();
            m_viewportSeries[viewport].clear();
            m_storedFiles->clear(viewport);
            if (viewport >= std::min<int>(viewports, static_cast<int>(order.size()))) m_grid->showVolume(viewport, nullptr, {});
        }
        for (int viewport = 0; viewport < viewports && viewport < static_cast<int>(order.size()); ++viewport)
            openSeries(order[viewport], viewport);
        m_browser->selectStudy(target); // its series strip, once the loads are under way
        return true;
    }
    if (auto instances = cache::StudyQuery(*m_reader).instances(uid); instances && !instances->empty()) {
        openSeries(target, 0);
        return true;
    }
    std::error_code ec;
    if (std::filesystem::exists(uid, ec)) {
        loadInto(0, cache::collectImportInputs({uid}).files, target, {target});
        return true;
    }
    statusBar()->showMessage(target + ": neither a study or series in the cache nor a file or folder");
    return false;
}

void MainWindow::openSeries(const QString& seriesUid, int viewport)
{
    if (!m_browser) return;
    if (viewport < 0) viewport = m_grid->activeIndex();
    auto files = m_browser->seriesFiles(seriesUid);
    if (files.empty()) return statusBar()->showMessage(seriesUid + ": no such series in the cache (deleted or pruned?)");
    auto study = cache::StudyQuery(*m_reader).studyOfSeries(seriesUid.toStdString());
    if (study && !study->empty()) m_studiesOnScreen.insert(*study);
    m_viewportStudy[viewport] = study ? qs(*study) : QString();
    const int count = static_cast<int>(files.size());
    loadInto(viewport, std::move(files), QString("series %1 (%2 images)").arg(seriesUid).arg(count), informationFor(study ? qs(*study) : QString(), seriesUid));
    m_viewportSeries[viewport] = seriesUid;
}

// After the load (the files are in the page cache, the decoders done): see cache/StoredFileCheck.h.
void MainWindow::checkStoredFiles(int viewport)
{
    if (m_viewportSeries[viewport].isEmpty() || !m_reader) return;
    auto rows = cache::StudyQuery(*m_reader).instances(m_viewportSeries[viewport].toStdString());
    if (rows && !rows->empty()) m_storedFiles->check(viewport, m_expected[viewport], std::move(*rows));
}

void MainWindow::loadInto(int viewport, std::vector<std::filesystem::path> files, const QString& label, QStringList information)
{
    if (files.empty()) return;
    m_expected[viewport] = label;
    m_viewportSeries[viewport].clear(); // openSeries sets it again for a cached series
    m_storedFiles->clear(viewport);
    m_information[viewport] = std::move(information);
    m_middleFile[viewport] = files[files.size() / 2];
    ++m_pendingLoads;
    statusBar()->showMessage("loading " + label + " ...");
    m_loader->load(std::move(files), label, viewport); // first: the rest can wait for it
    if (viewport == m_grid->activeIndex()) m_tags->setFile(m_middleFile[viewport]); // the image shown first
}

void MainWindow::loadFinished(int)
{
    if (m_pendingLoads > 0 && --m_pendingLoads == 0) QTimer::singleShot(0, this, [this] { emit seriesShown(); });
}

void MainWindow::screenshotWhenShown(const QString& file, bool quitAfter)
{
    connect(this, &MainWindow::seriesShown, this, [this, file, quitAfter] {
        // One more turn of the event loop so that the views have painted the new series (the
        // 3D view renders its first frame at full quality: give it time).
        const bool threeD = m_grid->layout() == viewer::Layout::Mpr || m_grid->layout() == viewer::Layout::ThreeD;
        QTimer::singleShot(threeD ? 1500 : 100, this, [this, file, quitAfter] {
            const bool saved = screenshot().save(file);
            if (!saved) statusBar()->showMessage("cannot save " + file);
            if (quitAfter) QApplication::exit(saved ? 0 : 1);
        });
    });
}

bool MainWindow::writeState(const QString& file) const
{
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
    return out.write(QJsonDocument(sessionState(*m_grid, m_viewportStudy)).toJson()) > 0;
}

void MainWindow::stateWhenShown(const QString& file, bool quitAfter)
{
    auto write = [this, file, quitAfter] {
        const bool written = writeState(file);
        if (!written) std::fprintf(stderr, "lightbox: cannot write %s\n", qPrintable(file));
        if (quitAfter) QApplication::exit(written ? 0 : 1);
    };
    if (m_pendingLoads == 0 && quitAfter) {
        QTimer::singleShot(100, this, write); // nothing to wait for (no --open)
    } else {
        connect(this, &MainWindow::seriesShown, this, [this, write] {
            // As for screenshots: one more turn so the views have painted (3D renders a full-quality frame).
            const bool threeD = m_grid->layout() == viewer::Layout::Mpr || m_grid->layout() == viewer::Layout::ThreeD;
            QTimer::singleShot(threeD ? 1500 : 100, this, write);
        });
    }
    if (!quitAfter) connect(qApp, &QApplication::aboutToQuit, this, [this, file] { writeState(file); });
}

} // namespace lb::app::gui
