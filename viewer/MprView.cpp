#include "viewer/MprView.h"

#include <QGridLayout>

namespace lb::viewer {

MprView::MprView(QWidget* parent) : QWidget(parent)
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(2);
    for (int p = 0; p < 3; ++p) {
        m_planes[p] = new SliceViewer(this);
        grid->addWidget(m_planes[p], p / 2, p % 2);
        connect(m_planes[p], &SliceViewer::voxelPicked, this, &MprView::setCrosshair);
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

SliceViewer* MprView::plane(render::ViewPlane which) const
{
    return m_planes[which == render::ViewPlane::Axial ? 0 : which == render::ViewPlane::Coronal ? 1 : 2];
}

void MprView::setVolume(std::shared_ptr<const core::Volume> volume)
{
    const auto& dims = volume->geometry().dims;
    m_planes[0]->setVolume(volume, render::ViewPlane::Axial);
    m_planes[1]->setVolume(volume, render::ViewPlane::Coronal);
    m_planes[2]->setVolume(volume, render::ViewPlane::Sagittal);
    // The same window everywhere: the axial plane's (stored in the DICOM, or automatic).
    const render::Window window = m_planes[0]->window();
    m_planes[1]->setWindow(window);
    m_planes[2]->setWindow(window);
    setCrosshair({dims[0] / 2, dims[1] / 2, dims[2] / 2});
    m_3d->setVolume(std::move(volume));
}

void MprView::clear()
{
    for (SliceViewer* viewer : m_planes) viewer->setVolume(nullptr);
    m_3d->setVolume(nullptr);
}

void MprView::setCrosshair(const std::array<int, 3>& voxel)
{
    m_crosshair = voxel;
    for (SliceViewer* viewer : m_planes) {
        const auto* current = viewer->current();
        if (current) viewer->setSlice(voxel[current->view.depth.volumeAxis]);
        viewer->setCrosshair(voxel);
    }
}

} // namespace lb::viewer
