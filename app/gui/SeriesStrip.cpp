#include "app/gui/SeriesStrip.h"
#include "app/gui/GuiText.h"

#include "viewer/ViewerGrid.h"

#include <QHash>
#include <QImage>
#include <QMimeData>
#include <QPixmap>
#include <QPointer>

namespace lb::app::gui {
namespace {

constexpr int kThumbnail = 96; // logical pixels

// Made once per series for the session (GUI thread only).
QHash<QString, QImage>& thumbnailCache()
{
    static QHash<QString, QImage> cache;
    return cache;
}

QImage imageOf(const Thumbnail& thumbnail)
{
    if (thumbnail.pixels.empty()) return {};
    const auto format = thumbnail.channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8;
    return QImage(thumbnail.pixels.data(), thumbnail.width, thumbnail.height, thumbnail.width * thumbnail.channels, format).copy();
}

} // namespace

SeriesStrip::SeriesStrip(SeriesLoader& loader, QWidget* parent) : QListWidget(parent), m_loader(loader)
{
    setViewMode(QListView::IconMode);
    setFlow(QListView::LeftToRight);
    setWrapping(true);
    setResizeMode(QListView::Adjust);
    setIconSize(QSize(kThumbnail, kThumbnail));
    setGridSize(QSize(kThumbnail + 24, kThumbnail + 44));
    setWordWrap(true);
    setMovement(QListView::Static);
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setSelectionMode(QAbstractItemView::SingleSelection);
}

void SeriesStrip::showSeries(const std::vector<SeriesSummary>& series,
                             const std::function<std::filesystem::path(const std::string&)>& middleFile)
{
    clear();
    ++m_generation;
    m_wanted.clear();
    for (const auto& row : series) {
        const QString uid = qs(row.seriesUid);
        auto* item = new QListWidgetItem(QString("%1 %2\n%3\n%4 img")
                                             .arg(row.seriesNumber ? QString::number(*row.seriesNumber) : "-")
                                             .arg(qs(row.modality))
                                             .arg(qs(row.description).left(24))
                                             .arg(row.instanceCount),
                                         this);
        item->setData(Qt::UserRole, uid);
        item->setData(Qt::UserRole + 1, item->text());
        if (m_viewed) setViewed(uid, m_viewed(row.seriesUid));
        item->setToolTip(qs(row.description));
        if (auto cached = thumbnailCache().find(uid); cached != thumbnailCache().end()) item->setIcon(QPixmap::fromImage(*cached));
        else m_wanted.emplace_back(uid, middleFile(row.seriesUid));
    }
    makeNextThumbnail(m_generation);
}

void SeriesStrip::setViewed(const QString& seriesUid, double fraction)
{
    for (int row = 0; row < count(); ++row) {
        QListWidgetItem* it = item(row);
        if (it->data(Qt::UserRole).toString() != seriesUid) continue;
        // On the first line, which the strip always shows: "2 CT \u2713 40%" (the tooltip in words).
        QStringList lines = it->data(Qt::UserRole + 1).toString().split('\n');
        const int percent = static_cast<int>(fraction * 100 + 0.5);
        if (fraction > 0) lines[0] += QString::fromUtf8(" \u2713%1%").arg(percent);
        it->setText(lines.join('\n'));
        QString tip = it->toolTip().section('\n', 0, 0);
        if (fraction > 0) tip += QString("\nviewed this session: %1 % of its images").arg(percent);
        it->setToolTip(tip);
    }
}

QString SeriesStrip::textOf(const QString& seriesUid) const
{
    for (int row = 0; row < count(); ++row)
        if (item(row)->data(Qt::UserRole).toString() == seriesUid) return item(row)->text();
    return {};
}

// One thumbnail job at a time: they are not urgent, and the viewer wants the cores.
void SeriesStrip::makeNextThumbnail(int generation)
{
    if (generation != m_generation) return;
    if (m_wanted.empty()) return emit thumbnailsReady();
    auto [uid, file] = m_wanted.front();
    m_wanted.erase(m_wanted.begin());
    QPointer<SeriesStrip> self(this);
    m_loader.thumbnail(file, kThumbnail, [self, generation, uid = uid](const Thumbnail& thumbnail) {
        const QImage image = imageOf(thumbnail);
        thumbnailCache().insert(uid, image);
        if (!self || self->m_generation != generation) return;
        for (int r = 0; r < self->count(); ++r)
            if (self->item(r)->data(Qt::UserRole).toString() == uid && !image.isNull()) self->item(r)->setIcon(QPixmap::fromImage(image));
        self->makeNextThumbnail(generation);
    });
}

QString SeriesStrip::seriesUidAt(int row) const
{
    return row >= 0 && row < count() ? item(row)->data(Qt::UserRole).toString() : QString();
}

int SeriesStrip::thumbnailsShown() const
{
    int shown = 0;
    for (int r = 0; r < count(); ++r) shown += item(r)->icon().isNull() ? 0 : 1;
    return shown;
}

QStringList SeriesStrip::mimeTypes() const
{
    return {viewer::kSeriesMimeType};
}

QMimeData* SeriesStrip::mimeData(const QList<QListWidgetItem*>& items) const
{
    if (items.isEmpty()) return nullptr;
    auto* data = new QMimeData;
    data->setData(viewer::kSeriesMimeType, items.first()->data(Qt::UserRole).toString().toUtf8());
    data->setText(items.first()->data(Qt::UserRole).toString());
    return data;
}

} // namespace lb::app::gui
