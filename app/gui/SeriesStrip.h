#pragma once
// The series of one study as a strip of thumbnails (the middle image of each series, made on a
// worker thread and kept for the session). Drag one onto a viewport to show it there; double
// click or Enter opens it in the active viewport.
#include "app/services/SeriesLoader.h"
#include "app/services/StudyCatalogue.h"

#include <QListWidget>

#include <filesystem>
#include <functional>

namespace lb::app::gui {

class SeriesStrip : public QListWidget {
    Q_OBJECT
public:
    explicit SeriesStrip(SeriesLoader& loader, QWidget* parent = nullptr);
    // `middleFile`: the file of a series' middle image, for its thumbnail.
    void showSeries(const std::vector<SeriesSummary>& series,
                    const std::function<std::filesystem::path(const std::string& seriesUid)>& middleFile);
    QString seriesUidAt(int row) const;
    int thumbnailsShown() const; // how many items have their picture yet
    // Each series' share of images seen this session ("viewed 40 %" under its thumbnail).
    void setViewedFractions(std::function<double(const std::string& seriesUid)> fraction) { m_viewed = std::move(fraction); }
    void setViewed(const QString& seriesUid, double fraction); // one series, as the reader scrolls
    QString textOf(const QString& seriesUid) const;

signals:
    void thumbnailsReady();

protected:
    QMimeData* mimeData(const QList<QListWidgetItem*>& items) const override;
    QStringList mimeTypes() const override;

private:
    void makeNextThumbnail(int generation);
    SeriesLoader& m_loader;
    std::function<double(const std::string&)> m_viewed;
    int m_generation = 0; // a newer study's list drops older thumbnails still in flight
    std::vector<std::pair<QString, std::filesystem::path>> m_wanted;
};

} // namespace lb::app::gui
