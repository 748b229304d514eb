#pragma once
// Three linked planes of one volume: axial, coronal and sagittal side by side, the 3D view in
// the fourth cell. They meet at the crosshair (a patient position): Ctrl + click in one plane
// moves it there and the other planes follow; each plane draws the other two as coloured lines
// (axial blue, coronal green, sagittal red). Shift + drag about the crosshair in one plane turns
// the other two about that plane's normal: oblique MPR (the turned planes are sampled by
// lb_render's trilinear sampler; O returns to the orthogonal planes). Scrolling a plane moves
// the crosshair along its normal. Window and level follow from one plane to the others.
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
    void setCrosshairPoint(const std::array<double, 3>& lps);
    // The crosshair as the nearest voxel, and as a patient position.
    std::array<int, 3> crosshair() const;
    std::array<double, 3> crosshairPoint() const { return m_center; }
    // Turns the two planes other than `about` about its normal (radians; clockwise as `about`
    // shows it), as Shift + drag does.
    void turn(render::ViewPlane about, double radians);
    void resetOblique(); // all three orthogonal again, through the same crosshair
    bool oblique() const;
    SliceViewer* plane(render::ViewPlane which) const;
    VolumeView* volumeView() const { return m_3d; }

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    using Vec = std::array<double, 3>;
    struct Axes {
        Vec right, down;
    };
    void showPlanes();       // each plane through the crosshair with its axes
    void updateCrossLines(); // the other planes' lines and the crosshair in each
    static Vec normalOf(const Axes& axes);
    std::array<SliceViewer*, 3> m_planes{}; // axial, coronal, sagittal
    std::array<Axes, 3> m_axes{};
    VolumeView* m_3d = nullptr;
    std::shared_ptr<const core::Volume> m_volume;
    Vec m_center{0, 0, 0};
    bool m_syncing = false;
};

} // namespace lb::viewer
