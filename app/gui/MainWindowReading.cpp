// MainWindow: the reading room. A study opened for reading is hung by its hanging protocol with
// its most relevant local priors (HangingController); the priors strip lists every other study
// of the patient (cache and nodes) and the most relevant remote ones are fetched in the
// background at low priority, so they are local when the reader gets to them.
#include "app/gui/FindingsTable.h"
#include "app/gui/HangingController.h"
#include "app/gui/MainWindow.h"
#include "app/gui/PriorsStrip.h"
#include "app/gui/StudyBrowser.h"
#include "app/services/ProtocolLibrary.h"
#include "app/services/TransferQueue.h"
#include "render/ViewGeometry.h"

#include <QDockWidget>
#include <QInputDialog>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QShortcut>
#include <QStatusBar>

namespace lb::app::gui {

namespace {
constexpr int kPriorFetchPriority = -10; // behind anything the user asked for
} // namespace

// View menu: the reading room's actions (after the layouts).
void MainWindow::buildReadingMenus()
{
    for (QAction* menu : menuBar()->actions())
        if (menu->menu() && menu->text().remove('&') == "View") {
            menu->menu()->addSeparator();
            menu->menu()->addAction("Save layout as protocol...", this, [this] {
                bool ok = false;
                const QString name = QInputDialog::getText(this, "Save layout as protocol", "Protocol name:", QLineEdit::Normal,
                                                           QString(), &ok);
                if (!ok || name.trimmed().isEmpty()) return;
                auto saved = saveLayoutAsProtocol(name.trimmed());
                statusBar()->showMessage(saved ? "protocol saved: " + QString::fromStdString(saved->string())
                                               : QString::fromStdString(saved.error().message()));
            });
            menu->menu()->addAction("Carry measurement to the current study", this, [this] {
                if (!carryMeasurementToCurrent())
                    statusBar()->showMessage("measure a distance in a linked prior first (the active viewport)");
            });
            menu->menu()->addAction("Track finding...", this, [this] {
                bool ok = false;
                const QString name = QInputDialog::getText(this, "Track finding", "Finding:", QLineEdit::Normal, QString(), &ok);
                if (!ok || name.trimmed().isEmpty()) return;
                const auto tracked = trackFinding(name.trimmed());
                if (!tracked) statusBar()->showMessage(QString::fromStdString(tracked.error().message()));
            });
        }
}

void MainWindow::buildReadingRoom()
{
    m_hanging = new HangingController(*m_workstation, *m_grid, this);
    connect(m_hanging, &HangingController::message, this, [this](QString text) { statusBar()->showMessage(text); });

    m_priors = new PriorsStrip(this);
    auto* dock = new QDockWidget("Priors", this);
    dock->setObjectName("priors");
    dock->setWidget(m_priors);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    connect(m_priors, &PriorsStrip::priorChosen, this, [this](QString prior) {
        const QString current = m_readingStudy;
        if (current.isEmpty()) return;
        QString problem;
        if (!m_hanging->hang(current, prior, 1, &problem))
            statusBar()->showMessage(problem + (problem.contains("cache") ? " (still being fetched?)" : ""));
    });

    // Viewed-image tracking: every slice a viewport shows in its series' own plane.
    for (int i = 0; i < viewer::ViewerGrid::kMaxViewports; ++i)
        connect(m_grid->viewport(i), &viewer::SliceViewer::sliceChanged, this, [this, i] { noteSliceShown(i); });
    connect(&m_session, &ViewingSession::shown, this, [this](int viewport) { noteSliceShown(viewport); });
    connect(&m_session, &ViewingSession::viewed, this,
            [this](QString series, double fraction) { m_browser->seriesStrip()->setViewed(series, fraction); });
    m_browser->seriesStrip()->setViewedFractions([this](const std::string& series) { return m_session.viewedImages().fraction(series); });

    // N and P: from a viewport through the grid, from anywhere else in the window as shortcuts.
    connect(m_grid, &viewer::ViewerGrid::stepAsked, this, [this](int delta) {
        if (delta > 0) m_hanging->nextStep();
        else m_hanging->previousStep();
    });
    m_findings = new FindingsTable(this);
    auto* findingsDock = new QDockWidget("Findings", this);
    findingsDock->setObjectName("findings");
    findingsDock->setWidget(m_findings);
    addDockWidget(Qt::LeftDockWidgetArea, findingsDock);
    // One place for both below the study list: on a 1366x768 laptop two docks there left the
    // Remote tab's result list three rows high.
    tabifyDockWidget(dock, findingsDock);
    dock->raise();
    buildReadingMenus();
    auto* next = new QShortcut(QKeySequence(Qt::Key_N), this);
    connect(next, &QShortcut::activated, this, [this] { m_hanging->nextStep(); });
    auto* previous = new QShortcut(QKeySequence(Qt::Key_P), this);
    connect(previous, &QShortcut::activated, this, [this] { m_hanging->previousStep(); });

    if (TransferQueue* queue = m_workstation->transferQueue())
        connect(queue, &TransferQueue::jobStateChanged, this, [this, queue](qint64 id, QString state, QString) {
            const QString job = QString("T%1").arg(id);
            auto fetch = m_priorFetches.find(job);
            if (fetch == m_priorFetches.end()) {
                // A study the user retrieved has arrived: its priors are fetched before they are needed.
                if (state == "done") prefetchPriorsOfArrival(*queue, id);
                return;
            }
            if (state != "done" && state != "failed" && state != "cancelled") return;
            if (state == "done") m_priors->setFetched(fetch.value());
            m_priorFetches.erase(fetch);
        }, Qt::QueuedConnection);
}

void MainWindow::noteSliceShown(int viewport)
{
    const auto volume = m_grid->volumeOf(viewport);
    const auto* view = m_grid->viewport(viewport);
    if (!volume || volume->firstSliceOnly || view->obliquePlane()) return;
    if (volume->hasPatientGeometry && view->plane() != render::acquisitionPlane(volume->geometry())) return; // a reformat
    m_session.noteSliceShown(viewport, view->slice(), volume->geometry().dims[2]);
}

bool MainWindow::warnUnviewed()
{
    const QString study = m_session.openStudyUid();
    if (study.isEmpty() || m_warnedUnviewed.contains(study)) return false;
    const QStringList unviewed = m_session.unviewedSeries();
    if (unviewed.isEmpty()) return false;
    m_warnedUnviewed.insert(study);
    statusBar()->showMessage(QString("not looked at: %1 series of this study (%2)").arg(unviewed.size()).arg(unviewed.join(", ")));
    return true;
}

core::Result<std::filesystem::path> MainWindow::saveLayoutAsProtocol(const QString& name)
{
    const QString study = m_session.openStudyUid();
    if (study.isEmpty()) return core::makeError(core::ErrorCode::InvalidArgument, name.toStdString(), "no study is open");
    auto library = ProtocolLibrary::load();
    if (!library) return library.error();
    return library->save(m_hanging->protocolFromScreen(name.toStdString(), study));
}

bool MainWindow::carryMeasurementToCurrent()
{
    const int from = m_grid->activeIndex();
    const int group = m_grid->link(from).group;
    for (int to = 0; group >= 0 && to < m_grid->viewportCount(); ++to)
        if (to != from && m_grid->link(to).group == group && m_session.viewport(to).studyUid == m_readingStudy)
            return m_grid->carryDistance(from, to);
    return false;
}

core::Status MainWindow::trackFinding(const QString& name)
{
    if (m_readingStudy.isEmpty()) return core::makeError(core::ErrorCode::InvalidArgument, name.toStdString(), "no study is open for reading");
    const int group = m_grid->link(m_grid->activeIndex()).group;
    std::vector<FindingSize> sizes;
    for (int i = 0; i < m_grid->viewportCount(); ++i) {
        if (i != m_grid->activeIndex() && (group < 0 || m_grid->link(i).group != group)) continue;
        const auto mm = m_grid->viewport(i)->distanceMm();
        const auto& shown = m_session.viewport(i);
        const auto study = m_workstation->catalogue().study(shown.studyUid.toStdString());
        if (!mm || !study) continue;
        sizes.push_back({study->studyUid, study->studyDate, shown.seriesUid.toStdString(), *mm});
    }
    if (sizes.empty()) return core::makeError(core::ErrorCode::InvalidArgument, name.toStdString(), "no distance measured on screen");
    TrackedFindings findings(m_workstation->cacheRoot(), m_readingStudy.toStdString());
    if (auto loaded = findings.load(); !loaded) return loaded;
    findings.record(name.toStdString(), sizes);
    if (auto saved = findings.save(); !saved) return saved;
    m_findings->showFindings(findings.findings());
    if (auto* dock = findChild<QDockWidget*>("findings")) dock->raise(); // it shares its place with the priors
    return core::Status{};
}

bool MainWindow::openForReading(const QString& studyUid, const QString& prior, int step)
{
    if (studyUid != m_session.openStudyUid()) warnUnviewed(); // once; the next study opens all the same
    QString problem;
    startInWindowLevel();
    if (!m_hanging->hang(studyUid, prior, step, &problem)) {
        statusBar()->showMessage(problem);
        return false;
    }
    showBusyCells();
    focusViewer(); // the reader's keys go to the images now
    m_readingStudy = studyUid;
    m_browser->selectStudy(studyUid);
    TrackedFindings findings(m_workstation->cacheRoot(), studyUid.toStdString());
    if (auto loaded = findings.load(); !loaded) statusBar()->showMessage(QString::fromStdString(loaded.error().message()));
    m_findings->showFindings(findings.findings());
    findPriors(studyUid, true);
    return true;
}

void MainWindow::prefetchPriorsOfArrival(TransferQueue& queue, qint64 id)
{
    auto jobs = queue.jobs();
    if (!jobs) return;
    for (const auto& job : *jobs)
        if (job.id == id && job.kind == "retrieve" && job.seriesUid.empty())
            findPriors(QString::fromStdString(job.studyUid), false);
}

// Every other study of the patient, in the cache and on every node (a job: nodes may be slow),
// then the most relevant remote ones queued for fetching. `forTheStrip`: the study being read
// (the strip lists them); else a study that arrived (its priors are only fetched).
void MainWindow::findPriors(const QString& studyUid, bool forTheStrip)
{
    if (forTheStrip && !m_priorSearch.isEmpty()) m_workstation->jobs().cancel(m_priorSearch);
    const auto summary = m_workstation->catalogue().study(studyUid.toStdString());
    if (forTheStrip) m_priors->setSearching(summary ? QString::fromStdString(summary->description) : studyUid);
    auto rules = PriorRules::load();
    if (!rules) statusBar()->showMessage(QString::fromStdString(rules.error().message()) + " (the shipped prior rules are used)");
    auto search = std::make_shared<PriorSearch>(m_workstation->catalogue(), m_workstation->nodes(), rules ? *rules : PriorRules::shipped());
    auto found = std::make_shared<PriorList>();
    const std::string uid = studyUid.toStdString();
    auto work = [search, found, uid](JobContext& context) -> JobOutcome {
        auto list = search->find(uid, true, &context.cancel());
        if (!list) return JobOutcome::from(list.error());
        *found = std::move(*list);
        return JobOutcome::done();
    };
    QPointer<MainWindow> self(this);
    const QString job = m_workstation->jobs().start(JobKind::Query, "priors of " + studyUid, {}, std::move(work),
                                                    [self, search, found, studyUid, forTheStrip](const JobOutcome& outcome) {
        if (!self || (forTheStrip && self->m_readingStudy != studyUid)) return;
        if (forTheStrip) self->m_priorSearch.clear();
        if (outcome.state != JobState::Done) {
            if (outcome.error) self->statusBar()->showMessage("priors: " + QString::fromStdString(outcome.error->message()));
            return;
        }
        self->fetchPriors(*found, search->rules().fetchCount(), forTheStrip);
    });
    if (forTheStrip) m_priorSearch = job;
}

void MainWindow::fetchPriors(const PriorList& priors, int count, bool forTheStrip)
{
    QSet<QString> fetching;
    for (const auto& prior : PriorSearch::toFetch(priors, count)) {
        auto job = m_workstation->retrieve(prior.where, prior.studyUid, {}, kPriorFetchPriority);
        if (!job) continue; // no transfer queue in this window (read-only cache): listed, not fetched
        m_priorFetches.insert(*job, QString::fromStdString(prior.studyUid));
        fetching.insert(QString::fromStdString(prior.studyUid));
    }
    if (forTheStrip) m_priors->setPriors(priors, fetching);
}

} // namespace lb::app::gui
