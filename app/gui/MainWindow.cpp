#include "app/gui/MainWindow.h"
#include "app/gui/GuiText.h"

#include "app/gui/JobPanel.h"
#include "app/gui/RemoteBrowser.h"
#include "app/gui/SeriesLoader.h"
#include "app/gui/SettingsDialog.h"
#include "app/gui/TagBrowser.h"
#include "cache/Importer.h"
#include "cache/InputCollector.h"
#include "cache/StudyQuery.h"

#include <QAction>
#include <QCloseEvent>
#include <QMessageBox>
#include <QSettings>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QMenuBar>
#include <QMimeData>
#include <QPointer>
#include <QUrl>
#include <QApplication>
#include <QKeySequence>
#include <QDockWidget>
#include <QHeaderView>
#include <QLineEdit>
#include <QPainter>
#include <QPixmap>
#include <QListWidget>
#include <QStatusBar>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <thread>

namespace lb::app::gui {
namespace {

// DICOM PN "Family^Given" as people read it.
QString personName(const std::string& dicom)
{
    QString name = qs(dicom);
    name.replace('^', ", ");
    return name;
}

QString date(const std::string& yyyymmdd)
{
    return yyyymmdd.size() == 8 ? qs(yyyymmdd.substr(0, 4) + "-" + yyyymmdd.substr(4, 2) + "-" + yyyymmdd.substr(6, 2))
                                : qs(yyyymmdd);
}

} // namespace

MainWindow::MainWindow(std::unique_ptr<cache::LocalCache> cache, Layout layout, QWidget* parent)
    : QMainWindow(parent), m_cache(std::move(cache)), m_loader(new SeriesLoader(this))
{
    setWindowTitle("Lightbox");
    if (auto reader = m_cache->openReader()) m_reader = std::move(*reader);
    if (layout == Layout::Mpr) {
        m_mpr = new viewer::MprView(this);
        setCentralWidget(m_mpr);
    } else {
        m_viewer = new viewer::SliceViewer(this);
        setCentralWidget(m_viewer);
    }

    auto* browser = new QWidget(this);
    auto* column = new QVBoxLayout(browser);
    m_search = new QLineEdit(browser);
    m_search->setPlaceholderText("Patient name (wildcards * ?)");
    m_studies = new QTableWidget(0, 6, browser);
    m_studies->setHorizontalHeaderLabels({"Patient", "ID", "Date", "Modalities", "Description", "Images"});
    m_studies->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_studies->setSelectionMode(QAbstractItemView::SingleSelection);
    m_studies->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_studies->verticalHeader()->hide();
    m_studies->horizontalHeader()->setStretchLastSection(true);
    m_series = new QListWidget(browser);
    column->addWidget(m_search);
    column->addWidget(m_studies, 3);
    column->addWidget(m_series, 1);
    auto* dock = new QDockWidget("Local studies", this);
    dock->setObjectName("studies");
    dock->setWidget(browser);
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
        m_jobs = new JobPanel(*m_queue, this);
        auto* jobDock = new QDockWidget("Jobs", this);
        jobDock->setObjectName("jobs");
        jobDock->setWidget(m_jobs);
        addDockWidget(Qt::BottomDockWidgetArea, jobDock);
        resizeDocks({jobDock}, {150}, Qt::Vertical); // the viewer keeps most of a laptop screen
        connect(m_remote, &RemoteBrowser::retrieveRequested, this, [this](QString node, QString study) {
            auto id = m_queue->enqueueRetrieve(node.toStdString(), study.toStdString());
            statusBar()->showMessage(id ? QString("retrieve queued (job %1)").arg(*id) : QString::fromStdString(id.error().message()));
        });
        connect(m_queue.get(), &TransferQueue::jobStateChanged, this, [this](qint64, QString state, QString) {
            if (state == "done") {
                refreshStudies();
                m_remote->refreshLocalState();
            }
        }, Qt::QueuedConnection);
        m_queue->start();
    } else {
        statusBar()->showMessage("transfers unavailable: " + QString::fromStdString(queue.error().message()));
    }
    connect(m_remote, &RemoteBrowser::problem, this, [this](QString message) { statusBar()->showMessage(message); });

    // Import: the File menu, or files and folders dropped on the window.
    setAcceptDrops(true);
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
    });
    fileMenu->addSeparator();
    fileMenu->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);
    auto* helpMenu = menuBar()->addMenu("&Help");
    helpMenu->addAction("&Keyboard and mouse", QKeySequence::HelpContents, this, [this] {
        QMessageBox::information(this, "Keyboard and mouse",
                                 "<table>"
                                 "<tr><td>Left drag</td><td>window / level</td></tr>"
                                 "<tr><td>Right drag</td><td>zoom</td></tr>"
                                 "<tr><td>Middle drag</td><td>pan</td></tr>"
                                 "<tr><td>Wheel, arrows</td><td>next / previous slice</td></tr>"
                                 "<tr><td>PgUp / PgDn, Home / End</td><td>jump / first, last slice</td></tr>"
                                 "<tr><td>R, I</td><td>reset view, invert</td></tr>"
                                 "<tr><td>C, + / -</td><td>cine on/off, its speed</td></tr>"
                                 "<tr><td>Ctrl + click (MPR)</td><td>move the crosshair there</td></tr>"
                                 "<tr><td>Ctrl+O</td><td>import a folder or DICOMDIR</td></tr>"
                                 "<tr><td>Ctrl+T</td><td>DICOM tags</td></tr>"
                                 "<tr><td>Ctrl+,</td><td>settings</td></tr>"
                                 "</table><p>All of it: docs/user-guide.md</p>");
    });

    m_tags = new TagBrowser(this);
    auto* tagDock = new QDockWidget("DICOM tags", this);
    tagDock->setObjectName("tags");
    tagDock->setWidget(m_tags);
    addDockWidget(Qt::RightDockWidgetArea, tagDock);
    tagDock->hide(); // View it with Ctrl+T
    auto* toggleTags = tagDock->toggleViewAction();
    toggleTags->setShortcut(QKeySequence("Ctrl+T"));
    addAction(toggleTags);

    connect(m_search, &QLineEdit::textChanged, this, [this] { refreshStudies(); });
    connect(m_studies, &QTableWidget::itemSelectionChanged, this, [this] {
        const auto rows = m_studies->selectionModel()->selectedRows();
        if (!rows.isEmpty()) showSeriesOf(m_studies->item(rows.first().row(), 0)->data(Qt::UserRole).toString());
    });
    connect(m_studies, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        open(m_studies->item(row, 0)->data(Qt::UserRole).toString());
    });
    connect(m_series, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { openSeries(item->data(Qt::UserRole).toString()); });
    connect(m_loader, &SeriesLoader::loaded, this, [this](std::shared_ptr<const core::Volume> volume, QString label) {
        if (m_mpr) m_mpr->setVolume(std::move(volume));
        else m_viewer->setVolume(std::move(volume));
        statusBar()->showMessage(label);
        QTimer::singleShot(0, this, [this] { emit seriesShown(); });
    });
    connect(m_loader, &SeriesLoader::preview, this, [this](std::shared_ptr<const core::Volume> slice, QString label) {
        // The single view shows the first decoded image at once; the MPR view waits for the volume.
        if (m_viewer) m_viewer->setVolume(std::move(slice));
        statusBar()->showMessage("loading " + label + " ... (first image shown)");
    });
    connect(m_loader, &SeriesLoader::failed, this, [this](QString message) { statusBar()->showMessage(message); });
    resize(1366, 768);
    refreshStudies();
}

MainWindow::~MainWindow()
{
    if (m_queue) m_queue->stop(); // running transfers go back to 'queued' for the next start
}

void MainWindow::importPaths(const QStringList& paths)
{
    std::vector<std::filesystem::path> inputs;
    for (const QString& path : paths) inputs.emplace_back(path.toStdString());
    statusBar()->showMessage(QString("importing %1 ...").arg(paths.join(", ")));
    QPointer<MainWindow> self(this);
    std::thread([self, root = m_cache->layout().root(), inputs] {
        int imported = 0, rejected = 0;
        QString message;
        auto cache = cache::LocalCache::open(root);
        if (!cache) {
            message = "import failed: " + QString::fromStdString(cache.error().message());
        } else {
            auto report = cache::importIntoCache(**cache, inputs);
            if (!report) {
                message = "import failed: " + QString::fromStdString(report.error().message());
            } else {
                imported = static_cast<int>(report->imported);
                rejected = static_cast<int>(report->rejected.size());
                message = QString("imported %1 new instances (%2 already there)").arg(imported).arg(report->alreadyPresent);
                if (rejected > 0)
                    message += QString(", %1 files rejected, e.g. %2: %3")
                                   .arg(rejected)
                                   .arg(QString::fromStdString(report->rejected.front().file))
                                   .arg(QString::fromStdString(report->rejected.front().reason));
            }
        }
        QMetaObject::invokeMethod(qApp, [self, imported, rejected, message] {
            if (!self) return;
            self->refreshStudies();
            self->statusBar()->showMessage(message);
            emit self->importFinished(imported, rejected);
        });
    }).detach();
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

void MainWindow::rememberGeometry()
{
    m_remembersGeometry = true;
    QSettings settings("Lightbox", "Lightbox");
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_remembersGeometry) {
        QSettings settings("Lightbox", "Lightbox");
        settings.setValue("window/geometry", saveGeometry());
        settings.setValue("window/state", saveState());
    }
    QMainWindow::closeEvent(event);
}

int MainWindow::localStudyCount() const
{
    return m_studies->rowCount();
}

QPixmap MainWindow::screenshot()
{
    QPixmap picture = grab();
    QPainter painter(&picture);
    for (auto* view : findChildren<viewer::SliceViewer*>())
        if (view->isVisible())
            painter.drawImage(QRect(view->mapTo(this, QPoint(0, 0)), view->size()), view->grabFramebuffer());
    return picture;
}

void MainWindow::refreshStudies()
{
    if (!m_reader) return statusBar()->showMessage("the cache index cannot be read");
    cache::StudyQueryOptions query;
    query.filter.patientName = m_search->text().toStdString();
    query.limit = 500;
    auto rows = cache::StudyQuery(*m_reader).studies(query);
    m_studies->setRowCount(0);
    if (!rows) {
        statusBar()->showMessage(qs(rows.error().message()));
        return;
    }
    m_studies->setRowCount(static_cast<int>(rows->size()));
    for (int r = 0; r < static_cast<int>(rows->size()); ++r) {
        const auto& study = (*rows)[r];
        const QStringList cells = {personName(study.patientName), qs(study.patientId), date(study.studyDate),
                                   qs(study.modalities), qs(study.description), QString::number(study.numInstances)};
        for (int c = 0; c < cells.size(); ++c) m_studies->setItem(r, c, new QTableWidgetItem(cells[c]));
        m_studies->item(r, 0)->setData(Qt::UserRole, qs(study.studyUid));
    }
    m_studies->resizeColumnsToContents();
    statusBar()->showMessage(QString("%1 studies").arg(rows->size()));
}

void MainWindow::showSeriesOf(const QString& studyUid)
{
    if (!m_reader) return;
    m_series->clear();
    auto rows = cache::StudyQuery(*m_reader).series(studyUid.toStdString());
    if (!rows) return;
    for (const auto& series : *rows) {
        auto* item = new QListWidgetItem(QString("%1  %2  %3 (%4 images)")
                                             .arg(series.seriesNumber ? QString::number(*series.seriesNumber) : "-")
                                             .arg(qs(series.modality))
                                             .arg(qs(series.description))
                                             .arg(series.numInstances),
                                         m_series);
        item->setData(Qt::UserRole, qs(series.seriesUid));
    }
}

bool MainWindow::open(const QString& target)
{
    if (!m_reader) return false;
    cache::StudyQuery query(*m_reader);
    const std::string uid = target.toStdString();
    // A study: its largest series.
    if (auto series = query.series(uid); series && !series->empty()) {
        showSeriesOf(target);
        const auto largest = std::max_element(series->begin(), series->end(),
                                              [](const auto& a, const auto& b) { return a.numInstances < b.numInstances; });
        openSeries(qs(largest->seriesUid));
        return true;
    }
    if (auto instances = query.instances(uid); instances && !instances->empty()) {
        openSeries(target);
        return true;
    }
    std::error_code ec;
    if (std::filesystem::exists(uid, ec)) {
        loadFiles(cache::collectImportInputs({uid}).files, target);
        return true;
    }
    statusBar()->showMessage(target + ": neither a study or series in the cache nor a file or folder");
    return false;
}

void MainWindow::openSeries(const QString& seriesUid)
{
    if (!m_reader) return;
    auto rows = cache::StudyQuery(*m_reader).instances(seriesUid.toStdString());
    if (!rows || rows->empty()) return;
    std::vector<std::filesystem::path> files;
    for (const auto& row : *rows) files.push_back(m_cache->store().absolutePath(row.filePath));
    m_tags->setFile(files[files.size() / 2]); // the image shown first: the middle one
    loadFiles(std::move(files), QString("series %1 (%2 images)").arg(seriesUid).arg(rows->size()));
}

void MainWindow::loadFiles(std::vector<std::filesystem::path> files, const QString& label)
{
    statusBar()->showMessage("loading " + label + " ...");
    m_loader->load(std::move(files), label);
}

void MainWindow::screenshotWhenShown(const QString& file, bool quitAfter)
{
    connect(this, &MainWindow::seriesShown, this, [this, file, quitAfter] {
        // One more turn of the event loop so that the viewer has painted the new series.
        QTimer::singleShot(100, this, [this, file, quitAfter] {
            const bool saved = screenshot().save(file);
            if (!saved) statusBar()->showMessage("cannot save " + file);
            if (quitAfter) QApplication::exit(saved ? 0 : 1);
        });
    });
}

} // namespace lb::app::gui
