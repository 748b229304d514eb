#pragma once
// Three linked planes of one volume: axial, coronal and sagittal side by side, the 3D view in
// the fourth cell. A crosshair voxel is shared: Ctrl + click in one plane moves the
// other two to the slices through that voxel, and every plane draws the crosshair. Window and
// level follow from one plane to the others.
#include "viewer/SliceViewer.h"
#include "viewer/VolumeView.h"

#include <QWidget>

namespace lb::viewer {

class MprView : public QWidget {
    Q_OBJECT
public:
    explicit MprView(QWidget* parent = nullptr);

    void setVolume(std::shared_ptr<const core::Volume> volume);
    void clear(); // nothing shown (another study opened)
    void setCrosshair(const std::array<int, 3>& voxel);
    std::array<int, 3> crosshair() const { return m_crosshair; }
    SliceViewer* plane(render::ViewPlane which) const;
    VolumeView* volumeView() const { return m_3d; }

private:
    std::array<SliceViewer*, 3> m_planes{}; // axial, coronal, sagittal
    VolumeView* m_3d = nullptr;
    std::array<int, 3> m_crosshair{0, 0, 0};
    bool m_syncing = false;
};

} // namespace lb::viewer
