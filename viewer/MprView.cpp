#include "viewer/MprView.h"

#include "render/Vec3.h"

#include <QGridLayout>
#include <QKeyEvent>

#include <cmath>

namespace lb::viewer {
namespace {

constexpr render::ViewPlane kPlanes[3] = {render::ViewPlane::Axial, render::ViewPlane::Coronal, render::ViewPlane::Sagittal};
const QColor kColours[3] = {QColor(90, 160, 255), QColor(110, 220, 110), QColor(255, 110, 110)};

using render::cross;
using render::dot;
using Vec = render::Vec3;

// `v` turned by `radians` about the unit axis `k` (Rodrigues).
Vec turned(const Vec& v, const Vec& k, double radians)
{
    const double c = std::cos(radians), s = std::sin(radians), along = dot(k, v);
    const Vec across = cross(k, v);
    Vec out{};
    for (int i = 0; i < 3; ++i) out[i] = v[i] * c + across[i] * s + k[i] * along * (1 - c);
    return out;
}

int indexOf(render::ViewPlane plane)
{
    return plane == render::ViewPlane::Axial ? 0 : plane == render::ViewPlane::Coronal ? 1 : 2;
}

} // namespace

MprView::MprView(QWidget* parent) : QWidget(parent)
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(2);
    for (int p = 0; p < 3; ++p) {
        m_planes[p] = new SliceViewer(this);
        grid->addWidget(m_planes[p], p / 2, p % 2);
        connect(m_planes[p], &SliceViewer::pointPicked, this, &MprView::setCrosshairPoint);
        connect(m_planes[p], &SliceViewer::crosshairTurned, this, [this, p](double radians) { turn(kPlanes[p], radians); });
        connect(m_planes[p], &SliceViewer::sliceChanged, this, [this, p] {
            // Scrolled: the crosshair moves along this plane's normal (the other planes contain
            // that direction, so they stay; their lines move).
            if (m_syncing) return;
            const auto plane = m_planes[p]->slicePlane();
            if (!plane) return;
            Vec offset{};
            for (int c = 0; c < 3; ++c) offset[c] = plane->point[c] - m_center[c];
            const double along = dot(offset, plane->normal);
            for (int c = 0; c < 3; ++c) m_center[c] += plane->normal[c] * along;
            updateCrossLines();
        });
        connect(m_planes[p], &SliceViewer::windowChanged, this, [this, p](double width, double center) {
            if (m_syncing) return;
            m_syncing = true;
            for (int other = 0; other < 3; ++other)
                if (other != p) m_planes[other]->setWindow({center, width});
            m_syncing = false;
        });
    }
    m_3d = new VolumeView(this);
    grid->addWidget(m_3d, 1, 1);
}

void MprView::keyPressEvent(QKeyEvent* event)
{
    // Keys the planes do not use come here (O: orthogonal again).
    if (event->key() == Qt::Key_O) resetOblique();
    else QWidget::keyPressEvent(event);
}

SliceViewer* MprView::plane(render::ViewPlane which) const
{
    return m_planes[indexOf(which)];
}

MprView::Vec MprView::normalOf(const Axes& axes)
{
    return cross(axes.right, axes.down);
}

void MprView::setVolume(std::shared_ptr<const core::Volume> volume)
{
    m_volume = volume;
    const auto& dims = volume->geometry().dims;
    for (int p = 0; p < 3; ++p) {
        const auto axes = render::patientAxes(kPlanes[p]);
        m_axes[p] = {axes[0], axes[1]};
        m_planes[p]->setVolume(volume, kPlanes[p]);
    }
    // The same window everywhere: the axial plane's (stored in the DICOM, or automatic).
    const render::Window window = m_planes[0]->window();
    m_planes[1]->setWindow(window);
    m_planes[2]->setWindow(window);
    setCrosshair({dims[0] / 2, dims[1] / 2, dims[2] / 2});
    m_3d->setVolume(std::move(volume));
}

void MprView::clear()
{
    m_volume.reset();
    for (SliceViewer* viewer : m_planes) viewer->setVolume(nullptr);
    m_3d->setVolume(nullptr);
}

void MprView::setCrosshair(const std::array<int, 3>& voxel)
{
    if (!m_volume) return;
    setCrosshairPoint(render::patientPosition(m_volume->geometry(), {double(voxel[0]), double(voxel[1]), double(voxel[2])}));
}

void MprView::setCrosshairPoint(const std::array<double, 3>& lps)
{
    m_center = lps;
    showPlanes();
}

std::array<int, 3> MprView::crosshair() const
{
    if (!m_volume) return {0, 0, 0};
    const auto index = render::voxelIndexOf(m_volume->geometry(), m_center);
    return {static_cast<int>(std::lround(index[0])), static_cast<int>(std::lround(index[1])), static_cast<int>(std::lround(index[2]))};
}

bool MprView::oblique() const
{
    for (SliceViewer* viewer : m_planes)
        if (viewer->obliquePlane()) return true;
    return false;
}

void MprView::turn(render::ViewPlane about, double radians)
{
    const int fixed = indexOf(about);
    Vec axis = normalOf(m_axes[fixed]);
    const double length = std::sqrt(dot(axis, axis));
    if (length == 0 || !m_volume) return;
    for (double& c : axis) c /= length;
    for (int p = 0; p < 3; ++p)
        if (p != fixed) m_axes[p] = {turned(m_axes[p].right, axis, radians), turned(m_axes[p].down, axis, radians)};
    showPlanes();
}

void MprView::resetOblique()
{
    for (int p = 0; p < 3; ++p) {
        const auto axes = render::patientAxes(kPlanes[p]);
        m_axes[p] = {axes[0], axes[1]};
    }
    showPlanes();
}

void MprView::showPlanes()
{
    if (!m_volume) return;
    m_syncing = true;
    const auto index = render::voxelIndexOf(m_volume->geometry(), m_center);
    for (int p = 0; p < 3; ++p) {
        const auto ortho = render::patientAxes(kPlanes[p]);
        const bool turnedAway = dot(m_axes[p].right, ortho[0]) < 1 - 1e-9 || dot(m_axes[p].down, ortho[1]) < 1 - 1e-9;
        SliceViewer* viewer = m_planes[p];
        if (turnedAway) {
            viewer->setObliquePlane(ObliquePlane{m_center, m_axes[p].right, m_axes[p].down});
        } else {
            // Orthogonal: the volume's own slice through the crosshair, exact voxels.
            if (viewer->obliquePlane()) viewer->setObliquePlane(std::nullopt);
            if (const auto* current = viewer->current())
                viewer->setSlice(static_cast<int>(std::lround(index[current->view.depth.volumeAxis])));
        }
    }
    m_syncing = false;
    updateCrossLines();
}

void MprView::updateCrossLines()
{
    const std::string frame = m_volume ? m_volume->frameOfReferenceUid : std::string();
    for (int p = 0; p < 3; ++p) {
        std::vector<SlicePlane> others;
        for (int q = 0; q < 3; ++q) {
            if (q == p) continue;
            // An orthogonal plane shows the volume's own slice, whose normal is the volume axis
            // nearest the patient axis (an oblique or tilt-corrected grid is not on the patient
            // axes): its line must be that slice's, not the patient plane's.
            const auto* shown = m_planes[q]->current();
            Vec normal = !m_planes[q]->obliquePlane() && shown ? shown->view.depthLps : normalOf(m_axes[q]);
            const double length = std::sqrt(dot(normal, normal));
            for (double& c : normal) c /= length;
            others.push_back({m_center, normal, frame, kColours[q]});
        }
        m_planes[p]->setReferencePlanes(std::move(others));
        m_planes[p]->setCrosshairPoint(m_center);
    }
}

} // namespace lb::viewer
