#include "viewer/VolumeView.h"

#include "render/VolumeRender.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QPainter>
#include <QWheelEvent>

#include <vtkCamera.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkVolume.h>

#include <cmath>

namespace lb::viewer {
namespace {

// Frames per second asked of the ray caster while dragging (it thins its rays to keep up) and
// at rest (effectively: take the time a full-quality frame needs).
constexpr double kInteractiveRate = 15;
constexpr double kStillRate = 0.0001;

} // namespace

struct VolumeView::Scene {
    vtkSmartPointer<vtkVolume> prop;
};

VolumeView::VolumeView(QWidget* parent) : VtkViewport(parent), m_scene(std::make_unique<Scene>())
{
    renderer()->SetBackground(0, 0, 0);
    renderWindow()->SetDesiredUpdateRate(kStillRate);
}

VolumeView::~VolumeView() = default;

void VolumeView::initializeGL()
{
    VtkViewport::initializeGL();
    const auto* text = reinterpret_cast<const char*>(context()->functions()->glGetString(GL_RENDERER));
    const QString rendererName = text ? QString::fromLatin1(text) : QString();
    // Measured on llvmpipe: CPU ray cast 52 ms, GPU ray cast 288 ms a frame (docs/benchmarks.md).
    m_cpuRayCast = rendererName.contains("llvmpipe") || rendererName.contains("softpipe") || rendererName.isEmpty();
    m_initialized = true;
    rebuild();
}

void VolumeView::setVolume(std::shared_ptr<const core::Volume> volume)
{
    m_volume = std::move(volume);
    if (m_volume && m_volume->modality != m_chosenFor) m_chosenPreset.clear();
    rebuild();
    resetView();
}

void VolumeView::setPreset(const QString& name)
{
    m_chosenPreset = name;
    m_chosenFor = m_volume ? m_volume->modality : std::string();
    rebuild();
    update();
}

void VolumeView::rebuild()
{
    if (m_scene->prop) renderer()->RemoveVolume(m_scene->prop);
    m_scene->prop = nullptr;
    if (!m_volume || !m_initialized || m_volume->components() != 1) return;
    const std::string name = m_chosenPreset.isEmpty() ? render::defaultVolumePreset(*m_volume) : m_chosenPreset.toStdString();
    auto preset = render::volumePresetNamed(name);
    if (!preset) return;
    m_preset = QString::fromStdString(name);
    m_scene->prop = render::addVolume(renderer(), m_volume, *preset, 0, m_cpuRayCast);
    render::setCropBox(m_scene->prop, m_volume->geometry(), m_crop);
}

void VolumeView::setCropBox(std::optional<std::array<double, 6>> box)
{
    m_crop = box;
    if (m_scene->prop && m_volume) render::setCropBox(m_scene->prop, m_volume->geometry(), m_crop);
    update();
}

void VolumeView::cutAwayNearHalf()
{
    if (m_crop || !m_volume) return setCropBox(std::nullopt);
    // The volume axis most along the viewing direction; keep the half away from the camera.
    double direction[3];
    renderer()->GetActiveCamera()->GetDirectionOfProjection(direction);
    const auto& g = m_volume->geometry();
    int axis = 0;
    double best = -1, sign = 1;
    for (int a = 0; a < 3; ++a) {
        const double along = g.direction[a * 3] * direction[0] + g.direction[a * 3 + 1] * direction[1] + g.direction[a * 3 + 2] * direction[2];
        if (std::abs(along) > best) {
            best = std::abs(along);
            axis = a;
            sign = along;
        }
    }
    std::array<double, 6> box{0, 1, 0, 1, 0, 1};
    // Looking along +axis: the near half has the low indices.
    if (sign > 0) box[2 * axis] = 0.5;
    else box[2 * axis + 1] = 0.5;
    setCropBox(box);
}

void VolumeView::resetView()
{
    render::lookFromFront(renderer());
    renderer()->GetActiveCamera()->Zoom(1.3); // the box's corners need not stay in view
    update();
}

void VolumeView::rotate(double azimuth, double elevation)
{
    vtkCamera* camera = renderer()->GetActiveCamera();
    camera->Azimuth(azimuth);
    camera->Elevation(elevation);
    camera->OrthogonalizeViewUp();
    renderer()->ResetCameraClippingRange();
    update();
}

void VolumeView::setInteracting(bool interacting)
{
    m_interacting = interacting;
    renderWindow()->SetDesiredUpdateRate(interacting ? kInteractiveRate : kStillRate);
    update();
}

void VolumeView::mousePressEvent(QMouseEvent* event)
{
    m_button = event->button();
    m_last = event->position().toPoint();
    setInteracting(true);
}

void VolumeView::mouseMoveEvent(QMouseEvent* event)
{
    if (m_button == Qt::NoButton) return;
    const QPoint delta = event->position().toPoint() - m_last;
    m_last = event->position().toPoint();
    vtkCamera* camera = renderer()->GetActiveCamera();
    switch (m_button) {
    case Qt::LeftButton: rotate(-delta.x() * 0.5, delta.y() * 0.5); break; // half a degree per pixel
    case Qt::RightButton:
        camera->Dolly(std::pow(1.01, -delta.y()));
        renderer()->ResetCameraClippingRange();
        update();
        break;
    case Qt::MiddleButton: {
        // Move focal point and camera together, by the drag in the view's plane.
        double focal[3], position[3], up[3], direction[3];
        camera->GetFocalPoint(focal);
        camera->GetPosition(position);
        camera->GetViewUp(up);
        camera->GetDirectionOfProjection(direction);
        const double right[3] = {direction[1] * up[2] - direction[2] * up[1], direction[2] * up[0] - direction[0] * up[2],
                                 direction[0] * up[1] - direction[1] * up[0]};
        const double mmPerPixel = 2 * camera->GetDistance() * std::tan(camera->GetViewAngle() * M_PI / 360) / std::max(1, height());
        for (int c = 0; c < 3; ++c) {
            const double shift = (-delta.x() * right[c] + delta.y() * up[c]) * mmPerPixel;
            focal[c] += shift;
            position[c] += shift;
        }
        camera->SetFocalPoint(focal);
        camera->SetPosition(position);
        update();
        break;
    }
    default: break;
    }
}

void VolumeView::mouseReleaseEvent(QMouseEvent*)
{
    m_button = Qt::NoButton;
    setInteracting(false);
}

void VolumeView::wheelEvent(QWheelEvent* event)
{
    renderer()->GetActiveCamera()->Dolly(std::pow(1.1, event->angleDelta().y() / 120.0));
    renderer()->ResetCameraClippingRange();
    update();
}

void VolumeView::keyPressEvent(QKeyEvent* event)
{
    const auto& presets = render::volumePresets();
    const int number = event->key() - Qt::Key_1;
    if (number >= 0 && number < static_cast<int>(presets.size()) && event->key() <= Qt::Key_9)
        setPreset(QString::fromStdString(presets[number].name));
    else if (event->key() == Qt::Key_R) resetView();
    else if (event->key() == Qt::Key_X) cutAwayNearHalf();
    else VtkViewport::keyPressEvent(event);
}

void VolumeView::paintOverlay(QPainter& painter)
{
    if (!m_volume) return;
    QFont font = painter.font();
    font.setPixelSize(std::max(11, height() / 45));
    painter.setFont(font);
    const QRect area = rect().adjusted(6, 6, -6, -6);
    QString text = "3D  " + m_preset + (m_crop ? "  (cut)" : "");
    if (m_volume->components() != 1) text = "3D: colour volumes are not rendered";
    painter.setPen(QColor(255, 230, 120));
    painter.drawText(area, Qt::AlignLeft | Qt::AlignTop, text + (m_interacting ? "  (interactive)" : ""));
}

} // namespace lb::viewer
