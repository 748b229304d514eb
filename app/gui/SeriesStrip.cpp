#include "app/gui/SeriesStrip.h"
#include "app/gui/GuiText.h"
#include "app/gui/Background.h"

#include "core/VolumeAssembler.h"
#include "render/SliceRender.h"
#include "viewer/ViewerGrid.h"

#include <QApplication>
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

QImage makeThumbnail(const std::filesystem::path& file)
{
    core::VolumeLoadOptions options;
    options.threads = 1;
    auto loaded = core::assembleVolumes({file}, options);
    if (!loaded) return {};
    auto volume = core::largestVolume(*loaded);
    if (!volume) return {};
    render::SliceRequest request;
    request.plane = render::acquisitionPlane(volume->geometry());
    request.size = std::make_pair(kThumbnail, kThumbnail);
    if (volume->storedWindow) request.window = render::Window{(*volume->storedWindow)[0], (*volume->storedWindow)[1]};
    auto slice = render::renderSlice(*volume, request);
    if (!slice) return {};
    if (!slice->rgb.empty()) // colour as stored
        return QImage(slice->rgb.data(), slice->image.width, slice->image.height, slice->image.width * 3, QImage::Format_RGB888).copy();
    QImage image(slice->image.pixels.data(), slice->image.width, slice->image.height, slice->image.width,
                 QImage::Format_Grayscale8);
    if (slice->inverted) image.invertPixels();
    return image.copy(); // own the pixels
}

} // namespace

SeriesStrip::SeriesStrip(QWidget* parent) : QListWidget(parent)
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

void SeriesStrip::showSeries(const std::vector<cache::SeriesRow>& series,
                             const std::function<std::filesystem::path(const std::string&)>& middleFile)
{
    clear();
    const int generation = ++m_generation;
    std::vector<std::pair<QString, std::filesystem::path>> wanted;
    for (const auto& row : series) {
        const QString uid = qs(row.seriesUid);
        auto* item = new QListWidgetItem(QString("%1 %2\n%3\n%4 img")
                                             .arg(row.seriesNumber ? QString::number(*row.seriesNumber) : "-")
                                             .arg(qs(row.modality))
                                             .arg(qs(row.description).left(24))
                                             .arg(row.numInstances),
                                         this);
        item->setData(Qt::UserRole, uid);
        item->setToolTip(qs(row.description));
        if (auto cached = thumbnailCache().find(uid); cached != thumbnailCache().end()) item->setIcon(QPixmap::fromImage(*cached));
        else wanted.emplace_back(uid, middleFile(row.seriesUid));
    }
    if (wanted.empty()) {
        emit thumbnailsReady();
        return;
    }
    QPointer<SeriesStrip> self(this);
    runInBackground([self, generation, wanted] {
        for (const auto& [uid, file] : wanted) {
            QImage image = makeThumbnail(file);
            QMetaObject::invokeMethod(qApp, [self, generation, uid = uid, image] {
                thumbnailCache().insert(uid, image);
                if (!self || self->m_generation != generation) return;
                for (int r = 0; r < self->count(); ++r)
                    if (self->item(r)->data(Qt::UserRole).toString() == uid && !image.isNull())
                        self->item(r)->setIcon(QPixmap::fromImage(image));
            });
        }
        QMetaObject::invokeMethod(qApp, [self, generation] {
            if (self && self->m_generation == generation) emit self->thumbnailsReady();
        });
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
