#pragma once
// Mouse: left drag window/level, right drag zoom, middle drag pan, Ctrl+click picks a voxel.
// Keys: arrows/wheel/PgUp/PgDn/Home/End slices, R reset, I invert, C cine (+/- its speed).
// A 2D slice view of a volume: the lb_render slice (native resolution) shown as a textured
// image in patient millimetres, its modality values windowed on the GPU with the DICOM linear
// VOI (the same line as lb_render's, so a W/L drag only changes two numbers). Left drag: window (horizontal) and level (vertical);
// wheel, arrows, PgUp/PgDn, Home/End: slice; orientation labels come with the view.
#include "core/Volume.h"
#include "render/SliceRender.h"
#include "viewer/VtkViewport.h"

#include <array>
#include <memory>

#include <QTimer>
#include <optional>

namespace lb::viewer {

class SliceViewer : public VtkViewport {
    Q_OBJECT
public:
    explicit SliceViewer(QWidget* parent = nullptr);
    ~SliceViewer() override;

    void setVolume(std::shared_ptr<const core::Volume> volume, render::ViewPlane plane = render::ViewPlane::Axial);
    void setWindow(render::Window window);
    void setSlice(int slice);

    // The crosshair (a voxel: i, j, k) drawn as two lines through its projection; none: hidden.
    void setCrosshair(std::optional<std::array<int, 3>> voxel);
    // The voxel under a point of the widget (logical pixels), on the current slice.
    std::optional<std::array<int, 3>> voxelAt(QPointF point) const;
    // Where a voxel appears in the widget (logical pixels), whatever the slice.
    std::optional<QPointF> widgetPointOf(const std::array<int, 3>& voxel) const;
    render::ViewPlane plane() const { return m_plane; }

    void setZoom(double zoom); // 1: the slice fits the view
    double zoom() const { return m_zoom; }
    void setInverted(bool inverted);
    bool inverted() const { return m_inverted; }
    void setCine(bool running, double framesPerSecond = 10);
    bool cineRunning() const { return m_cine.isActive(); }
    void resetView(); // zoom, pan, invert and window back to how the series opened

    render::Window window() const { return m_window; }
    int slice() const { return m_slice; }
    int sliceCount() const;
    const render::RenderedSlice* current() const { return m_rendered.get(); }

signals:
    void windowChanged(double width, double center);
    void sliceChanged(int slice);
    // Ctrl + left click: the user points at a voxel (the MPR view moves the other planes there).
    void voxelPicked(std::array<int, 3> voxel);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resizeGL(int width, int height) override;
    // Orientation letters at the edges, slice and position top left, W/L bottom left, a scale bar.
    void paintOverlay(QPainter& painter) override;

private:
    void refresh(bool fitCamera);
    void placeCamera();
    void applyWindow();
    struct Scene;
    std::unique_ptr<Scene> m_scene;
    std::shared_ptr<const core::Volume> m_volume;
    render::ViewPlane m_plane = render::ViewPlane::Axial;
    render::Window m_window;
    bool m_haveWindow = false;
    int m_slice = 0;
    std::unique_ptr<render::RenderedSlice> m_rendered;
    enum class Drag { None, Window, Zoom, Pan };
    Drag m_drag = Drag::None;
    QPoint m_dragStart;
    render::Window m_dragWindow;
    double m_dragZoom = 1;
    std::array<double, 2> m_dragPan{0, 0};
    double m_zoom = 1;
    std::array<double, 2> m_pan{0, 0}; // mm, in the picture's plane
    bool m_inverted = false;
    QTimer m_cine;
    double m_cineFps = 10;
    std::optional<std::array<int, 3>> m_crosshair;
};

} // namespace lb::viewer
