#pragma once
// The workstation's main window: the local study browser (search as you type, thumbnails), the
// remote browser and the job panel in docks, and the viewer area in a layout (1x1 ... 2x2, MPR
// with 3D, 3D). Opening a study shows its largest series in the first viewport and the others,
// in series order, in the rest; a thumbnail dragged onto a viewport shows that series there.
#include "app/services/TransferQueue.h"
#include "cache/LocalCache.h"
#include "viewer/ViewerGrid.h"

#include <QElapsedTimer>
#include <QMainWindow>

#include <array>
#include <memory>
#include <optional>
#include <set>

class QProgressBar;
class QPushButton;

namespace lb::app::gui {

class JobPanel;
class RemoteBrowser;
class SeriesLoader;
class StoredFilesNote;
class StudyBrowser;
class TagBrowser;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(std::unique_ptr<cache::LocalCache> cache, viewer::Layout layout = viewer::Layout::One,
                        QWidget* parent = nullptr);
    ~MainWindow() override;

    // A study UID, a series UID, or a file/folder on disk. False when it is none of these.
    bool open(const QString& target);
    // A series of the cache in one viewport (the active one when -1).
    void openSeries(const QString& seriesUid, int viewport = -1);
    // Saves the window once the opened series are on screen, then quits when asked.
    void screenshotWhenShown(const QString& file, bool quitAfter);
    // `--state FILE`: what the window shows as JSON (app/gui/SessionState.h), once every series
    // asked for is shown and painted; then quits (exit 0 when written) when `quitAfter`, else
    // writes it again when the window closes.
    void stateWhenShown(const QString& file, bool quitAfter);
    bool writeState(const QString& file) const;

    // Files, folders and DICOMDIRs, imported in the background through a second LocalCache
    // (its own writer identity and connection, so it never shares a transaction with the
    // transfer queue's importer) with a progress bar; rejected files are listed in a report
    // window. importFinished() reports; the study list refreshes.
    void importPaths(const QStringList& paths);

    // Window size, position, dock layout and viewer layout kept between runs (QSettings); off
    // for screenshots and tests, which want the window as it opens.
    void rememberGeometry(bool restoreLayout = true);

    void setLayout(viewer::Layout layout);
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
    void buildMenus();
    void fillEmptyViewports();
    void loadInto(int viewport, std::vector<std::filesystem::path> files, const QString& label, QStringList information);
    void loadFinished(int viewport);
    void checkStoredFiles(int viewport);
    QStringList informationFor(const QString& studyUid, const QString& seriesUid) const;
    void showImportReport(const QStringList& lines);
    void applyPreferences();
    void showStudyMenu(const QPoint& at);
    // Over the cache's size limit: the oldest studies go, in the background (never one on screen).
    void pruneInBackground();

    std::unique_ptr<cache::LocalCache> m_cache;
    // The window reads through its own connection: the transfer queue's importer writes
    // through the cache's.
    std::optional<cache::SqliteConnection> m_reader;
    std::unique_ptr<TransferQueue> m_queue;
    StudyBrowser* m_browser = nullptr;
    RemoteBrowser* m_remote = nullptr;
    JobPanel* m_jobs = nullptr;
    viewer::ViewerGrid* m_grid = nullptr;
    SeriesLoader* m_loader = nullptr;
    TagBrowser* m_tags = nullptr;
    QElapsedTimer m_listRefreshed; // the study list follows retrieves about once a second
    bool m_remembersGeometry = false;
    // Per viewport: the load it waits for (a newer request wins), its corner text and files.
    std::array<QString, viewer::ViewerGrid::kMaxViewports> m_expected;
    std::array<QStringList, viewer::ViewerGrid::kMaxViewports> m_information;
    std::array<std::filesystem::path, viewer::ViewerGrid::kMaxViewports> m_middleFile;
    std::array<QString, viewer::ViewerGrid::kMaxViewports> m_viewportStudy;
    // The cached series each viewport loads ("" for files from disk): its stored files are
    // checked against their import fingerprint once the load is over.
    std::array<QString, viewer::ViewerGrid::kMaxViewports> m_viewportSeries;
    StoredFilesNote* m_storedFiles = nullptr;
    int m_pendingLoads = 0;
    QString m_openStudy;
    std::set<std::string> m_studiesOnScreen; // kept by the size limit
    std::string m_sessionStart;              // and so is whatever arrived since the window opened
};

} // namespace lb::app::gui
