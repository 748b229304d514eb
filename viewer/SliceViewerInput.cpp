// SliceViewer's mouse and keyboard: what each button drags (remappable), the measuring tools'
// presses, Ctrl+click picks, Shift+drag turns the crosshair, and the keys of the header's list.
#include "viewer/SliceViewer.h"

#include "render/ColourMaps.h"

#include <QFocusEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include <vtkCamera.h>
#include <vtkRenderer.h>

#include <cmath>

namespace lb::viewer {

void SliceViewer::setTool(Tool tool)
{
    const bool changed = tool != m_tool;
    m_tool = tool;
    m_creating = false;
    updateCursor();
    if (changed) emit toolChanged(tool);
}

void SliceViewer::setDragActions(DragAction left, DragAction middle, DragAction right)
{
    m_buttonActions = {left, middle, right};
}

DragAction SliceViewer::actionFor(Qt::MouseButton button) const
{
    // The tool takes the left button only; the others keep what the settings map them to.
    if (button == Qt::LeftButton) {
        if (m_tool == Tool::Zoom) return DragAction::Zoom;
        if (m_tool == Tool::Pan) return DragAction::Pan;
        if (m_tool == Tool::Scroll) return DragAction::Scroll;
    }
    switch (button) {
    case Qt::LeftButton: return m_buttonActions[0];
    case Qt::MiddleButton: return m_buttonActions[1];
    case Qt::RightButton: return m_buttonActions[2];
    default: return DragAction::None;
    }
}

void SliceViewer::focusInEvent(QFocusEvent* event)
{
    VtkViewport::focusInEvent(event);
    emit activated();
}

void SliceViewer::leaveEvent(QEvent* event)
{
    m_hover.reset();
    update();
    VtkViewport::leaveEvent(event);
}

void SliceViewer::mousePressEvent(QMouseEvent* event)
{
    emit activated();
    // Ctrl + click, or a plain left click with the crosshair tool (whose drag keeps moving it).
    const bool crosshairTool = m_tool == Tool::Crosshair && event->modifiers() == Qt::NoModifier;
    if (event->button() == Qt::LeftButton && ((event->modifiers() & Qt::ControlModifier) || crosshairTool)) {
        m_picking = crosshairTool;
        pick(event->position());
        return;
    }
    if (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier) && m_crosshair && m_rendered) {
        // Turning the crosshair: the angle of the mouse about its centre, in picture coordinates
        // (so rotations and flips of the display do not change which way it turns).
        const QPointF centre = pictureOf(*m_crosshair), at = pictureOfWidget(event->position());
        m_turnAngle = std::atan2(at.y() - centre.y(), at.x() - centre.x());
        m_turning = true;
        return;
    }
    m_drag = DragAction::None;
    // Zoom, pan and scroll tools drag; W/L and the measuring tools may grab a measurement's handle.
    const bool measuring = m_tool == Tool::WindowLevel || m_tool >= Tool::Distance;
    if (event->button() == Qt::LeftButton && measuring && pressMeasurement(event->position())) {
        update();
        return;
    }
    m_drag = actionFor(event->button());
    m_dragStart = event->position().toPoint();
    m_dragWindow = m_window;
    m_dragZoom = m_zoom;
    m_dragSlice = m_slice;
    const QPointF picture = pictureOfWidget(event->position());
    if (m_rendered)
        m_dragWorld = {picture.x() * m_rendered->view.pixelWidthMm,
                       (m_rendered->view.height - 1 - picture.y()) * m_rendered->view.pixelHeightMm, 0};
}

void SliceViewer::mouseMoveEvent(QMouseEvent* event)
{
    m_hover = pictureOfWidget(event->position());
    if (event->buttons() == Qt::NoButton) {
        update();
        return;
    }
    if (m_picking) {
        pick(event->position());
        return;
    }
    if (m_turning) {
        const QPointF centre = pictureOf(*m_crosshair), at = pictureOfWidget(event->position());
        const double angle = std::atan2(at.y() - centre.y(), at.x() - centre.x());
        double delta = angle - m_turnAngle;
        if (delta > M_PI) delta -= 2 * M_PI;
        if (delta < -M_PI) delta += 2 * M_PI;
        m_turnAngle = angle;
        if (delta != 0) emit crosshairTurned(delta);
        return;
    }
    if (m_editPoint >= 0 || (m_creating && m_drag == DragAction::None)) {
        dragMeasurement(event->position());
        return;
    }
    const QPoint delta = event->position().toPoint() - m_dragStart;
    switch (m_drag) {
    case DragAction::WindowLevel: {
        const double scale = windowDragScale(); // values per pixel, the same both ways
        setWindow({m_dragWindow.center + delta.y() * scale, m_dragWindow.width + delta.x() * scale});
        emit windowAdjusted();
        m_presetName.clear();
        break;
    }
    case DragAction::Zoom: // up: closer
        setZoom(m_dragZoom * std::pow(2.0, -delta.y() / 200.0));
        emit zoomAdjusted();
        break;
    case DragAction::Pan: {
        // The point grabbed stays under the mouse, whatever the rotation.
        if (!m_rendered) break;
        const QPointF picture = pictureOfWidget(event->position());
        const double wx = picture.x() * m_rendered->view.pixelWidthMm;
        const double wy = (m_rendered->view.height - 1 - picture.y()) * m_rendered->view.pixelHeightMm;
        m_pan = {m_pan[0] + m_dragWorld[0] - wx, m_pan[1] + m_dragWorld[1] - wy};
        placeCamera();
        break;
    }
    case DragAction::Scroll: setSlice(m_dragSlice + delta.y() / 4); break; // a slice per 4 pixels
    case DragAction::None: break;
    }
}

void SliceViewer::mouseReleaseEvent(QMouseEvent*)
{
    m_turning = false;
    m_picking = false;
    if (m_editPoint >= 0 || m_creating) finishMeasurementDrag();
    m_drag = DragAction::None;
}

void SliceViewer::pick(QPointF widget)
{
    if (!m_oblique)
        if (auto voxel = voxelAt(widget)) emit voxelPicked(*voxel);
    if (m_rendered) emit pointPicked(patientAt(pictureOfWidget(widget)));
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
    case Qt::Key_C:
        if (event->modifiers() & Qt::ShiftModifier) setCineMode(m_cineMode == CineMode::Time ? CineMode::Slices : CineMode::Time);
        else setCine(!m_cine.isActive(), m_cineFps);
        break;
    case Qt::Key_Comma: setTimePoint(m_timePoint - 1); break;
    case Qt::Key_Period: setTimePoint(m_timePoint + 1); break;
    case Qt::Key_W: setTool(Tool::WindowLevel); break;
    case Qt::Key_Z: setTool(Tool::Zoom); break;
    case Qt::Key_G: setTool(Tool::Pan); break;
    case Qt::Key_Plus: setCine(m_cine.isActive(), m_cineFps + 2); break;
    case Qt::Key_Minus: setCine(m_cine.isActive(), m_cineFps - 2); break;
    case Qt::Key_BracketRight: rotateQuarter(1); break;
    case Qt::Key_BracketLeft: rotateQuarter(-1); break;
    case Qt::Key_H: flipHorizontal(); break;
    case Qt::Key_L: setLinearInterpolation(!m_linear); break;
    case Qt::Key_M: {
        const auto& maps = render::colourMaps();
        size_t next = 0;
        for (size_t i = 0; i < maps.size(); ++i)
            if (QString::fromStdString(maps[i].name) == m_colourMap) next = (i + 1) % maps.size();
        if (!maps.empty()) setColourMap(QString::fromStdString(maps[next].name));
        break;
    }
    case Qt::Key_V: flipVertical(); break;
    case Qt::Key_S:
        if (event->modifiers() & Qt::ShiftModifier)
            setSlab(m_slabMm, m_slabMode == render::SlabMode::Mip     ? render::SlabMode::MinIp
                              : m_slabMode == render::SlabMode::MinIp ? render::SlabMode::Average
                                                                      : render::SlabMode::Mip);
        else
            setSlab(m_slabMm == 0 ? 5 : m_slabMm == 5 ? 10 : m_slabMm == 10 ? 20 : 0, m_slabMode);
        break;
    case Qt::Key_D: setTool(Tool::Distance); break;
    case Qt::Key_A: setTool(Tool::Angle); break;
    case Qt::Key_B: setTool(Tool::Rectangle); break;
    case Qt::Key_E: setTool(Tool::Ellipse); break;
    case Qt::Key_F: setTool(Tool::Freehand); break;
    case Qt::Key_Escape: setTool(Tool::WindowLevel); break;
    case Qt::Key_Delete: case Qt::Key_Backspace: removeSelectedMeasurement(); break;
    default:
        if (event->key() >= Qt::Key_0 && event->key() <= Qt::Key_9) {
            applyPreset(event->key() - Qt::Key_0);
            emit windowAdjusted();
        } else {
            VtkViewport::keyPressEvent(event);
        }
    }
}

} // namespace lb::viewer
