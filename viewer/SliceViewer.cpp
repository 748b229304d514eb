#include "viewer/SliceViewer.h"

#include <QKeyEvent>
#include <QPainter>
#include <QMouseEvent>
#include <QWheelEvent>

#include <vtkCamera.h>
#include <vtkImageActor.h>
#include <vtkImageData.h>
#include <vtkImageProperty.h>
#include <vtkImageSliceMapper.h>
#include <vtkLookupTable.h>
#include <vtkPointData.h>
#include <vtkDataArray.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace lb::viewer {

struct SliceViewer::Scene {
    vtkSmartPointer<vtkImageData> image = vtkSmartPointer<vtkImageData>::New();
    vtkSmartPointer<vtkImageActor> actor = vtkSmartPointer<vtkImageActor>::New();
    vtkSmartPointer<vtkLookupTable> inverted = vtkSmartPointer<vtkLookupTable>::New(); // MONOCHROME1
};

SliceViewer::SliceViewer(QWidget* parent) : VtkViewport(parent), m_scene(std::make_unique<Scene>())
{
    m_scene->actor->GetMapper()->SetInputData(m_scene->image);
    m_scene->actor->GetProperty()->SetInterpolationTypeToNearest();
    m_scene->inverted->SetValueRange(1, 0); // white to black
    m_scene->inverted->SetSaturationRange(0, 0);
    m_scene->inverted->SetRampToLinear();
    m_scene->inverted->Build();
    renderer()->AddActor(m_scene->actor);
    renderer()->SetBackground(0, 0, 0);
    renderer()->GetActiveCamera()->ParallelProjectionOn();
    connect(&m_cine, &QTimer::timeout, this, [this] {
        const int count = sliceCount();
        if (count > 0) setSlice((m_slice + 1) % count); // loops, as cine does
    });
}

SliceViewer::~SliceViewer() = default;

int SliceViewer::sliceCount() const
{
    return m_rendered ? m_rendered->view.depthCount : 0;
}

void SliceViewer::setVolume(std::shared_ptr<const core::Volume> volume, render::ViewPlane plane)
{
    m_volume = std::move(volume);
    m_plane = plane;
    m_haveWindow = false;
    m_zoom = 1;
    m_pan = {0, 0};
    m_inverted = false;
    m_slice = m_volume ? render::viewGeometry(m_volume->geometry(), plane).depthCount / 2 : 0;
    refresh(true);
}

void SliceViewer::setWindow(render::Window window)
{
    m_window = window;
    m_window.width = std::max(1.0, m_window.width);
    m_haveWindow = true;
    applyWindow(); // on the GPU: the slice's values stay where they are
    update();
    emit windowChanged(m_window.width, m_window.center);
}

void SliceViewer::applyWindow()
{
    // VTK maps (x - (level - window/2)) / window to 0..1; the DICOM linear VOI is
    // (x - (c - 0.5 - (w-1)/2)) / (w-1): the same line with window = w-1, level = c-0.5.
    auto* property = m_scene->actor->GetProperty();
    property->SetColorWindow(std::max(1e-6, m_window.width - 1));
    property->SetColorLevel(m_window.center - 0.5);
    if (m_rendered) {
        m_rendered->window = m_window;
        // MONOCHROME1 is shown inverted; the user's invert flips that again.
        property->SetLookupTable(m_rendered->inverted != m_inverted ? m_scene->inverted.Get() : nullptr);
    }
}

void SliceViewer::setSlice(int slice)
{
    if (!m_volume) return;
    const int count = render::viewGeometry(m_volume->geometry(), m_plane).depthCount;
    slice = std::clamp(slice, 0, count - 1);
    if (slice == m_slice && m_rendered) return;
    m_slice = slice;
    refresh(false);
    emit sliceChanged(m_slice);
}

void SliceViewer::refresh(bool fitCamera)
{
    if (!m_volume) return;
    render::SliceRequest request;
    request.plane = m_plane;
    request.slice = m_slice;
    if (m_haveWindow) request.window = m_window;
    auto rendered = render::renderSlice(*m_volume, request);
    if (!rendered) return;
    m_rendered = std::make_unique<render::RenderedSlice>(std::move(*rendered));
    if (!m_haveWindow) {
        m_window = m_rendered->window;
        m_haveWindow = true;
    }
    // The slice's modality values as the texture (VTK's row 0 is at the bottom); the window is
    // applied by the image property, so a W/L drag does not touch them.
    const auto& view = m_rendered->view;
    auto& image = *m_scene->image;
    int dims[3];
    image.GetDimensions(dims);
    if (dims[0] != view.width || dims[1] != view.height || !image.GetScalarPointer()) {
        image.SetDimensions(view.width, view.height, 1);
        image.AllocateScalars(VTK_FLOAT, 1);
    }
    image.SetSpacing(view.pixelWidthMm, view.pixelHeightMm, 1);
    auto* target = static_cast<float*>(image.GetScalarPointer());
    for (int y = 0; y < view.height; ++y)
        std::memcpy(target + static_cast<size_t>(view.height - 1 - y) * view.width,
                    m_rendered->values.data() + static_cast<size_t>(y) * view.width,
                    static_cast<size_t>(view.width) * sizeof(float));
    image.GetPointData()->GetScalars()->Modified();
    image.Modified();
    applyWindow();
    if (fitCamera) placeCamera();
    update();
}

void SliceViewer::paintOverlay(QPainter& painter)
{
    if (!m_rendered) return;
    const auto& view = m_rendered->view;
    QFont font = painter.font();
    font.setPixelSize(std::max(11, height() / 45));
    painter.setFont(font);
    const int margin = 6;
    const QRect area = rect().adjusted(margin, margin, -margin, -margin);
    auto text = [&](const QRect& box, int flags, const QString& line) {
        painter.setPen(Qt::black); // a shadow keeps the text readable on bright tissue
        painter.drawText(box.translated(1, 1), flags, line);
        painter.setPen(QColor(255, 230, 120));
        painter.drawText(box, flags, line);
    };
    if (m_crosshair) {
        if (auto at = widgetPointOf(*m_crosshair)) {
            painter.setPen(QPen(QColor(90, 200, 255, 170), 1));
            painter.drawLine(QPointF(0, at->y()), QPointF(width(), at->y()));
            painter.drawLine(QPointF(at->x(), 0), QPointF(at->x(), height()));
        }
    }
    text(area, Qt::AlignLeft | Qt::AlignVCenter, QString::fromStdString(view.leftLabel));
    text(area, Qt::AlignRight | Qt::AlignVCenter, QString::fromStdString(view.rightLabel));
    text(area, Qt::AlignHCenter | Qt::AlignTop, QString::fromStdString(view.topLabel));
    text(area, Qt::AlignHCenter | Qt::AlignBottom, QString::fromStdString(view.bottomLabel));
    text(area, Qt::AlignLeft | Qt::AlignTop,
         QString("%1  %2 / %3\n%4 mm").arg(render::viewPlaneName(m_plane)).arg(m_slice + 1).arg(view.depthCount)
             .arg(m_rendered->positionMm, 0, 'f', 1));
    text(area, Qt::AlignLeft | Qt::AlignBottom,
         QString("W %1  L %2").arg(m_window.width, 0, 'f', 0).arg(m_window.center, 0, 'f', 0));
    // Scale bar: 10, 20, 50 or 100 mm, whichever is nearest a fifth of the view's width.
    const double scale = renderer()->GetActiveCamera()->GetParallelScale();
    if (scale <= 0) return;
    const double pixelsPerMm = height() / (2 * scale);
    double barMm = 10;
    for (double candidate : {20.0, 50.0, 100.0})
        if (candidate * pixelsPerMm <= width() / 4.0) barMm = candidate;
    const int barPixels = static_cast<int>(barMm * pixelsPerMm);
    const int x1 = area.right(), x0 = x1 - barPixels, y = area.bottom() - font.pixelSize() - 4;
    painter.setPen(QPen(QColor(255, 230, 120), 2));
    painter.drawLine(x0, y, x1, y);
    painter.drawLine(x0, y - 4, x0, y + 4);
    painter.drawLine(x1, y - 4, x1, y + 4);
    text(QRect(x0 - 40, y + 2, barPixels + 40, font.pixelSize() + 4), Qt::AlignRight | Qt::AlignTop,
         QString("%1 mm").arg(barMm, 0, 'f', 0));
}

void SliceViewer::resizeGL(int width, int height)
{
    VtkViewport::resizeGL(width, height);
    refresh(true);
}

void SliceViewer::setCrosshair(std::optional<std::array<int, 3>> voxel)
{
    m_crosshair = voxel;
    update();
}

std::optional<std::array<int, 3>> SliceViewer::voxelAt(QPointF point) const
{
    if (!m_rendered) return std::nullopt;
    const auto& view = m_rendered->view;
    // Widget (logical, y down) -> display (device, y up) -> world (image mm) -> picture pixel.
    const double ratio = devicePixelRatioF();
    const double displayY = deviceSize().height() - point.y() * ratio;
    renderer()->SetDisplayPoint(point.x() * ratio, displayY, 0);
    renderer()->DisplayToWorld();
    double world[4];
    renderer()->GetWorldPoint(world);
    if (world[3] != 0)
        for (double& c : world) c /= world[3];
    const int x = static_cast<int>(std::lround(world[0] / view.pixelWidthMm));
    const int yFromBottom = static_cast<int>(std::lround(world[1] / view.pixelHeightMm));
    const int y = view.height - 1 - yFromBottom;
    if (x < 0 || x >= view.width || y < 0 || y >= view.height) return std::nullopt;
    std::array<int, 3> voxel{};
    voxel[view.screenX.volumeAxis] = view.screenX.reversed ? view.width - 1 - x : x;
    voxel[view.screenY.volumeAxis] = view.screenY.reversed ? view.height - 1 - y : y;
    voxel[view.depth.volumeAxis] = m_slice;
    return voxel;
}

std::optional<QPointF> SliceViewer::widgetPointOf(const std::array<int, 3>& voxel) const
{
    if (!m_rendered) return std::nullopt;
    const auto& view = m_rendered->view;
    const int vx = voxel[view.screenX.volumeAxis], vy = voxel[view.screenY.volumeAxis];
    const int x = view.screenX.reversed ? view.width - 1 - vx : vx;
    const int y = view.screenY.reversed ? view.height - 1 - vy : vy;
    renderer()->SetWorldPoint(x * view.pixelWidthMm, (view.height - 1 - y) * view.pixelHeightMm, 0, 1);
    renderer()->WorldToDisplay();
    double display[3];
    renderer()->GetDisplayPoint(display);
    const double ratio = devicePixelRatioF();
    return QPointF(display[0] / ratio, (deviceSize().height() - display[1]) / ratio);
}

void SliceViewer::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ControlModifier)) {
        if (auto voxel = voxelAt(event->position())) emit voxelPicked(*voxel);
        return;
    }
    // Left: window/level; right: zoom; middle: pan.
    m_drag = event->button() == Qt::LeftButton    ? Drag::Window
             : event->button() == Qt::RightButton ? Drag::Zoom
             : event->button() == Qt::MiddleButton ? Drag::Pan
                                                   : Drag::None;
    m_dragStart = event->position().toPoint();
    m_dragWindow = m_window;
    m_dragZoom = m_zoom;
    m_dragPan = m_pan;
}

void SliceViewer::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint delta = event->position().toPoint() - m_dragStart;
    switch (m_drag) {
    case Drag::Window: {
        // One screen width of drag changes the window by its own range of values.
        const double scale = std::max(1.0, m_dragWindow.width) / std::max(1, width());
        setWindow({m_dragWindow.center + delta.y() * scale, m_dragWindow.width + delta.x() * scale});
        break;
    }
    case Drag::Zoom: setZoom(m_dragZoom * std::pow(2.0, -delta.y() / 200.0)); break; // up: closer
    case Drag::Pan: {
        const double mmPerPixel = 2 * renderer()->GetActiveCamera()->GetParallelScale() / std::max(1, height());
        m_pan = {m_dragPan[0] - delta.x() * mmPerPixel, m_dragPan[1] + delta.y() * mmPerPixel};
        placeCamera();
        break;
    }
    case Drag::None: break;
    }
}

void SliceViewer::mouseReleaseEvent(QMouseEvent*)
{
    m_drag = Drag::None;
}

void SliceViewer::setZoom(double zoom)
{
    m_zoom = std::clamp(zoom, 0.1, 50.0);
    placeCamera();
}

void SliceViewer::resetView()
{
    m_zoom = 1;
    m_pan = {0, 0};
    m_inverted = false;
    if (m_volume) setVolume(m_volume, m_plane);
}

void SliceViewer::setInverted(bool inverted)
{
    m_inverted = inverted;
    applyWindow();
    update();
}

void SliceViewer::setCine(bool running, double framesPerSecond)
{
    m_cineFps = std::clamp(framesPerSecond, 1.0, 60.0);
    if (!running) {
        m_cine.stop();
        return;
    }
    m_cine.start(static_cast<int>(1000 / m_cineFps));
}

// The camera looks at the picture's centre (plus the pan) from the front, zoom 1 fitting the
// whole slice into the view.
void SliceViewer::placeCamera()
{
    if (!m_rendered) return;
    const auto& view = m_rendered->view;
    const double height = view.height * view.pixelHeightMm, width = view.width * view.pixelWidthMm;
    const QSize pixels = deviceSize();
    const double aspect = pixels.height() > 0 ? double(pixels.width()) / pixels.height() : 1.0;
    vtkCamera* camera = renderer()->GetActiveCamera();
    const double cx = (view.width - 1) * view.pixelWidthMm / 2 + m_pan[0];
    const double cy = (view.height - 1) * view.pixelHeightMm / 2 + m_pan[1];
    camera->SetFocalPoint(cx, cy, 0);
    camera->SetPosition(cx, cy, 1000);
    camera->SetViewUp(0, 1, 0);
    camera->SetParallelScale(std::max(height, width / aspect) / 2 / m_zoom);
    renderer()->ResetCameraClippingRange();
    update();
}

void SliceViewer::wheelEvent(QWheelEvent* event)
{
    const int steps = event->angleDelta().y() / 120;
    if (steps != 0) setSlice(m_slice + steps);
}

void SliceViewer::keyPressEvent(QKeyEvent* event)
{
    const int count = sliceCount();
    switch (event->key()) {
    case Qt::Key_Up: case Qt::Key_Right: setSlice(m_slice + 1); break;
    case Qt::Key_Down: case Qt::Key_Left: setSlice(m_slice - 1); break;
    case Qt::Key_PageUp: setSlice(m_slice + std::max(1, count / 10)); break;
    case Qt::Key_PageDown: setSlice(m_slice - std::max(1, count / 10)); break;
    case Qt::Key_Home: setSlice(0); break;
    case Qt::Key_End: setSlice(count - 1); break;
    case Qt::Key_R: resetView(); break;
    case Qt::Key_I: setInverted(!m_inverted); break;
    case Qt::Key_C: setCine(!m_cine.isActive(), m_cineFps); break;
    case Qt::Key_Plus: setCine(m_cine.isActive(), m_cineFps + 2); break;
    case Qt::Key_Minus: setCine(m_cine.isActive(), m_cineFps - 2); break;
    default: VtkViewport::keyPressEvent(event);
    }
}

} // namespace lb::viewer
