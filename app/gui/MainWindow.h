#pragma once
// The workstation's main window, first cut: the local study browser (search as you type), the
// series of the selected study, and a slice viewer. Double-click or Enter opens a study's first
// (largest) series; selecting a series opens it.
#include "app/services/TransferQueue.h"
#include "cache/LocalCache.h"
#include "viewer/MprView.h"
#include "viewer/SliceViewer.h"

#include <QMainWindow>

#include <memory>
#include <optional>

class QLineEdit;
class QListWidget;
class QTableWidget;

namespace lb::app::gui {

class JobPanel;
class RemoteBrowser;
class SeriesLoader;
class TagBrowser;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum class Layout { Single, Mpr };
    explicit MainWindow(std::unique_ptr<cache::LocalCache> cache, Layout layout = Layout::Single, QWidget* parent = nullptr);
    ~MainWindow() override;

    // A study UID, a series UID, or a file/folder on disk. False when it is none of these.
    bool open(const QString& target);
    // Saves the window once the opened series is on screen, then quits when asked.
    void screenshotWhenShown(const QString& file, bool quitAfter);

    // Files, folders and DICOMDIRs, imported in the background through a second LocalCache
    // (its own writer identity and connection, so it never shares a transaction with the
    // transfer queue's importer). importFinished() reports; the study list refreshes.
    void importPaths(const QStringList& paths);

    // Window size, position and dock layout kept between runs (QSettings); off for screenshots
    // and tests, which want the window as it opens.
    void rememberGeometry();

    RemoteBrowser* remoteBrowser() const { return m_remote; }
    JobPanel* jobPanel() const { return m_jobs; } // null when the transfer queue could not start
    int localStudyCount() const;
    // The window as on screen, GL views included (their framebuffers, overlays and all).
    QPixmap screenshot();

signals:
    void seriesShown();
    void importFinished(int imported, int rejected);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void refreshStudies();
    void showSeriesOf(const QString& studyUid);
    void openSeries(const QString& seriesUid);
    void loadFiles(std::vector<std::filesystem::path> files, const QString& label);

    std::unique_ptr<cache::LocalCache> m_cache;
    // The window reads through its own connection: the transfer queue's importer writes
    // through the cache's.
    std::optional<cache::SqliteConnection> m_reader;
    std::unique_ptr<TransferQueue> m_queue;
    RemoteBrowser* m_remote = nullptr;
    JobPanel* m_jobs = nullptr;
    QLineEdit* m_search = nullptr;
    QTableWidget* m_studies = nullptr;
    QListWidget* m_series = nullptr;
    viewer::SliceViewer* m_viewer = nullptr; // layout 1x1
    viewer::MprView* m_mpr = nullptr;        // layout mpr
    SeriesLoader* m_loader = nullptr;
    TagBrowser* m_tags = nullptr;
    bool m_remembersGeometry = false;
};

} // namespace lb::app::gui
