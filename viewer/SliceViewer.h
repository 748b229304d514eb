#pragma once
// A 2D slice view of a volume: the lb_render slice (native resolution, DICOM VOI) shown as a
// textured image in patient millimetres. Left drag: window (horizontal) and level (vertical);
// wheel, arrows, PgUp/PgDn, Home/End: slice; orientation labels come with the view.
#include "core/Volume.h"
#include "render/SliceRender.h"
#include "viewer/VtkViewport.h"

#include <memory>

namespace lb::viewer {

class SliceViewer : public VtkViewport {
    Q_OBJECT
public:
    explicit SliceViewer(QWidget* parent = nullptr);
    ~SliceViewer() override;

    void setVolume(std::shared_ptr<const core::Volume> volume, render::ViewPlane plane = render::ViewPlane::Axial);
    void setWindow(render::Window window);
    void setSlice(int slice);

    render::Window window() const { return m_window; }
    int slice() const { return m_slice; }
    int sliceCount() const;
    const render::RenderedSlice* current() const { return m_rendered.get(); }

signals:
    void windowChanged(double width, double center);
    void sliceChanged(int slice);

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
    struct Scene;
    std::unique_ptr<Scene> m_scene;
    std::shared_ptr<const core::Volume> m_volume;
    render::ViewPlane m_plane = render::ViewPlane::Axial;
    render::Window m_window;
    bool m_haveWindow = false;
    int m_slice = 0;
    std::unique_ptr<render::RenderedSlice> m_rendered;
    QPoint m_dragStart;
    render::Window m_dragWindow;
    bool m_dragging = false;
};

} // namespace lb::viewer
