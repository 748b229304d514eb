#pragma once
// The workstation's main window: the local study browser (search as you type, thumbnails), the
// remote browser and the job panel in docks, and the viewer area in a layout (1x1 ... 2x2, MPR
// with 3D, 3D). It shows what the viewing session says each viewport shows (app/services/
// ViewingSession.h): opening a study puts its largest series in the first viewport and the
// others, in series order, in the rest; a thumbnail dragged onto a viewport shows that series
// there. Everything behind it comes from the Workstation (the composition root).
#include "app/services/PriorSearch.h"
#include "app/services/Workstation.h"
#include "viewer/ViewerGrid.h"

#include <QElapsedTimer>
#include <QMap>
#include <QSet>
#include <QMainWindow>
#include <QPointer>

#include <memory>

class QMenu;
class QToolBar;

namespace lb::app {
class TransferQueue;
}

namespace lb::app::gui {

class FindingsTable;
class HangingController;
class JobPanel;
class PriorsStrip;
class RemoteBrowser;
class StoredFilesNote;
class StudyBrowser;
class TagBrowser;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(std::unique_ptr<Workstation> workstation, viewer::Layout layout = viewer::Layout::One,
                        QWidget* parent = nullptr);
    ~MainWindow() override;

    // A study UID, a series UID, or a file/folder on disk. False when it is none of these.
    bool open(const QString& target);
    // A study of the cache hung by its hanging protocol beside its prior ("auto": the most
    // relevant local ones, a study UID, "" for none), at reading step `step`; the priors strip
    // then lists every other study of the patient and the most relevant remote ones are fetched.
    bool openForReading(const QString& studyUid, const QString& prior = "auto", int step = 1);
    HangingController* hanging() const { return m_hanging; }
    // View > Save layout as protocol: the screen as a protocol of the user's (ProtocolLibrary),
    // for studies like the open one. Returns the file written.
    core::Result<std::filesystem::path> saveLayoutAsProtocol(const QString& name);
    // Follow-up: the distance measured in the active viewport (a prior) placed in the current
    // study's viewport of its group where the link puts it, for the reader to adjust.
    bool carryMeasurementToCurrent();
    // The distances on screen in the active viewport's group (current and priors), kept as the
    // sizes of the finding `name` of the study being read (the Findings table shows them).
    core::Status trackFinding(const QString& name);
    FindingsTable* findingsTable() const { return m_findings; }
    PriorsStrip* priorsStrip() const { return m_priors; }
    // A series of the cache in one viewport (the active one when -1).
    void openSeries(const QString& seriesUid, int viewport = -1);
    // Saves the window once the opened series are on screen, then quits when asked.
    void screenshotWhenShown(const QString& file, bool quitAfter);
    // `--state FILE`: what the window shows as JSON (app/gui/SessionState.h), once every series
    // asked for is shown and painted; then quits (exit 0 when written) when `quitAfter`, else
    // writes it again when the window closes.
    void stateWhenShown(const QString& file, bool quitAfter);
    bool writeState(const QString& file) const;

    // Files, folders and DICOMDIRs, imported as a job (app/services/ImportService.h); rejected
    // files are listed in a report window. importFinished() reports; the study list refreshes.
    // Returns the job's id on the board.
    QString importPaths(const QStringList& paths);

    // Window size, position, dock layout and viewer layout kept between runs (QSettings); off
    // for screenshots and tests, which want the window as it opens.
    void rememberGeometry(bool restoreLayout = true);

    void setLayout(viewer::Layout layout);
    // The view the reader's keys and the toolbar act on: the active slice viewport, the MPR plane
    // last used, or the 3D view (by layout). Null before the MPR or 3D view exists.
    QWidget* activeView() const;
    viewer::SliceViewer* activeSliceViewer() const; // null for the 3D view
    // Shows and selects a study in the study list, clearing the search when it hides it.
    void revealStudy(const QString& studyUid);
    Workstation& workstation() { return *m_workstation; }
    viewer::ViewerGrid* viewerGrid() const { return m_grid; }
    StudyBrowser* studyBrowser() const { return m_browser; }
    TagBrowser* tagBrowser() const { return m_tags; }
    RemoteBrowser* remoteBrowser() const { return m_remote; }
    JobPanel* jobPanel() const { return m_jobs; }
    int localStudyCount() const;
    // The window as on screen, GL views included (their framebuffers, overlays and all).
    QPixmap screenshot();

signals:
    void seriesShown(); // every series asked for has loaded (or failed)
    void importFinished(int imported, int rejected);
    void pruned(int studiesRemoved);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildDocks();
    void buildReadingRoom();
    void buildReadingMenus();
    void findPriors(const QString& studyUid, bool forTheStrip);
    void fetchPriors(const PriorList& priors, int count, bool forTheStrip);
    void prefetchPriorsOfArrival(TransferQueue& queue, qint64 id);
    void noteSliceShown(int viewport);
    // Says once per study which of its series were never on screen; true when it said so now.
    bool warnUnviewed();
    void buildMenus();
    void buildToolbar();
    void buildToolMenus(); // Tools and Image: every toolbar and key action with its key
    QMenu* buildStudyMenu();
    QString studyInHand() const;
    QString describeStudy(const QString& studyUid) const; // "DOE JOHN, 2024-03-01 CT HEAD"
    void buildPanelsMenu(); // a toggle per panel and Reset layout
    void resetPanels();
    void showStudiesIfNoPanel();
    void startInWindowLevel(); // a new study: the W/L tool, whatever was chosen before
    void focusViewer();
    // The key as if pressed in the active view: what a menu entry or toolbar button of a key does.
    void sendKeyToView(int key, Qt::KeyboardModifiers modifiers);
    void showBusyCells();
    void followSession();
    void followTransfers();
    void showWarnings(int viewport);
    void applyPreferences();
    void showStudyMenu(const QPoint& at);
    void deleteStudy(const QString& studyUid, const QString& who);
    // Over the cache's size limit: the oldest studies go, as a job (never one on screen).
    void pruneInBackground();
    // `action` once the series asked for are shown (and painted); `evenWithoutLoads`: at once when none is loading.
    void afterShown(const std::function<void()>& action, bool evenWithoutLoads);

    std::unique_ptr<Workstation> m_workstation;
    ViewingSession& m_session;
    StudyBrowser* m_browser = nullptr;
    RemoteBrowser* m_remote = nullptr;
    JobPanel* m_jobs = nullptr;
    viewer::ViewerGrid* m_grid = nullptr;
    TagBrowser* m_tags = nullptr;
    StoredFilesNote* m_storedFiles = nullptr;
    HangingController* m_hanging = nullptr;
    PriorsStrip* m_priors = nullptr;
    FindingsTable* m_findings = nullptr;
    QString m_readingStudy;              // the study the reading room arranged
    QString m_priorSearch;               // its prior search job
    QMap<QString, QString> m_priorFetches; // transfer job "T<n>" -> prior study UID
    QSet<QString> m_warnedUnviewed;        // studies whose unviewed series were pointed out
    QElapsedTimer m_listRefreshed; // the study list follows retrieves about once a second
    bool m_remembersGeometry = false;
    QByteArray m_defaultState;         // the docks as first built (View > Reset layout)
    QPointer<viewer::SliceViewer> m_lastMprPlane; // the MPR plane the keys go to (the last focused)
    QToolBar* m_toolbar = nullptr;
};

} // namespace lb::app::gui
