#pragma once
// The viewing session: what each viewport shows (study, series, the load it waits for) and the
// warnings of what it shows. Opening a study puts its largest series in the first viewport and
// the others, in series order, in the rest; a new request for a viewport cancels the load it
// supersedes, and a load's late answer for a viewport that moved on is dropped. Warnings come
// from the volume (gantry tilt, variable spacing, missing slices, unreadable files skipped, lossy
// compression, a de-mosaiced series) and from the check of the stored files after the load.
//
// Lives on the GUI thread; the widgets follow its signals and read its state (the viewer draws
// the badge, the window writes `--state` from it).
#include "app/services/CacheMaintenance.h"
#include "app/services/SeriesLoader.h"
#include "app/services/StudyCatalogue.h"
#include "app/services/ViewedImages.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <array>
#include <set>

namespace lb::app {

class ViewingSession : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxViewports = 8; // as the viewer grid (2x4: mammograms, current over prior)

    struct Viewport {
        QString studyUid;
        QString seriesUid;  // "" for files from disk
        QString label;      // "series 1.2.3 (28 images)"
        QString loadJob;    // the job it waits for ("" once shown or failed)
        QStringList information; // corner text: patient, id/age/sex, date/description, series
        QStringList warnings;    // what the user must know about what is shown
        QString storedFilesSummary;    // "1 file changed since import (instance 14)"; "" when intact
        QStringList storedFileDetails; // per damaged stored file: "instance 14: truncated ..." 
        std::filesystem::path middleFile;
        bool loading = false;
    };

    ViewingSession(const StudyCatalogue& catalogue, const CacheMaintenance& maintenance, SeriesLoader& loader,
                   JobBoard& jobs, QObject* parent = nullptr);

    // A study: its series, largest first, in the first `viewports` viewports (the others emptied).
    bool openStudy(const QString& studyUid, int viewports);
    // A series of the cache in one viewport. False when the cache has no such series.
    bool showSeries(int viewport, const QString& seriesUid);
    // Files from disk (not in the cache) in one viewport.
    void showFiles(int viewport, std::vector<std::filesystem::path> files, const QString& label);
    // A file or folder on disk (a DICOMDIR is followed). False when there is nothing there.
    bool showPath(int viewport, const std::filesystem::path& path);
    // A bigger layout shows more of the open study: series not on screen yet, in the empty viewports.
    void fillEmpty(int viewports);
    void clear(int viewport);
    // The study is gone from the cache: every viewport showing it is emptied.
    void forgetStudy(const QString& studyUid);
    void previewShown(int viewport) { m_loader.previewShown(viewport); }

    const Viewport& viewport(int index) const { return m_viewports.at(index); }
    QString openStudyUid() const { return m_openStudy; }
    // The study the screen is about when a hanging protocol placed its series one by one.
    void setOpenStudy(const QString& studyUid) { m_openStudy = studyUid; }
    bool loading() const; // some viewport still waits for its series
    // Slice `slice` of `sliceCount` acquired slices of what viewport `viewport` shows was on
    // screen (viewed-image tracking: the strip's "viewed 40 %", the warning on leaving a study).
    void noteSliceShown(int viewport, int slice, int sliceCount);
    const ViewedImages& viewedImages() const { return m_viewed; }
    // The open study's series never shown this session (descriptions as "3 Bone 1mm").
    QStringList unviewedSeries() const;
    std::set<std::string> studiesOnScreen() const;

signals:
    void cleared(int viewport);
    void preview(int viewport, std::shared_ptr<const lb::core::Volume> oneSlice);
    void shown(int viewport, std::shared_ptr<const lb::core::Volume> volume);
    void regularGrid(int viewport, std::shared_ptr<const lb::core::Volume> volume, std::shared_ptr<const lb::core::Volume> grid);
    void failed(int viewport, QString message);
    void warningsChanged(int viewport);
    void settled(); // no viewport waits for a load any more
    void viewed(QString seriesUid, double fraction);

private:
    void onLoaded(int viewport, const QString& label, std::shared_ptr<const core::Volume> volume);
    void onFailed(int viewport, const QString& message);
    void checkStoredFiles(int viewport);
    void finishLoad(int viewport);
    QStringList informationFor(const QString& studyUid, const QString& seriesUid) const;

    const StudyCatalogue& m_catalogue;
    const CacheMaintenance& m_maintenance;
    SeriesLoader& m_loader;
    JobBoard& m_jobs;
    std::array<Viewport, kMaxViewports> m_viewports;
    std::array<QString, kMaxViewports> m_checkJob;
    std::array<int, kMaxViewports> m_generation{}; // a new request for a viewport ends what the old one started
    QString m_openStudy;
    ViewedImages m_viewed;
};

} // namespace lb::app
