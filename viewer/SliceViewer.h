#pragma once
// Mouse (buttons remappable): left drag does the tool's action (window/level by default), right
// drag zoom, middle drag pan, Ctrl+click picks a voxel. Keys: arrows/wheel/PgUp/PgDn/Home/End
// slices, comma/period previous/next time point (4D), R reset, I invert, C cine (+/- its speed,
// Shift+C over time or slices), 1-8 window presets (0: the series' own), [ ] rotate, H/V flip,
// S slab thickness (Shift+S its mode), W/Z/G tools window-level/zoom/pan, D/A/B/E/F measure
// distance/angle/box/ellipse/freehand, Esc back to window/level, Delete removes the selected
// measurement. The cursor shows the tool.
// A 2D slice view of a volume: the lb_render slice (native resolution) shown as a textured
// image in patient millimetres, its modality values windowed on the GPU with the DICOM linear
// VOI (the same line as lb_render's, so a W/L drag only changes two numbers). Left drag: window (horizontal) and level (vertical);
// wheel, arrows, PgUp/PgDn, Home/End: slice; orientation labels come with the view.
#include "core/Volume.h"
#include "render/SliceRender.h"
#include "viewer/Measurement.h"
#include "viewer/VtkViewport.h"

#include <array>
#include <memory>

#include <QColor>
#include <QFont>
#include <QFontMetricsF>
#include <QRectF>

class vtkScalarsToColors;
#include <QStringList>
#include <QTimer>
#include <optional>

namespace lb::viewer {

// What a mouse button does when dragged (the settings map buttons to these).
enum class DragAction { WindowLevel, Zoom, Pan, Scroll, None };

// What a plain left drag does. Zoom, Pan and Scroll do that drag action; Crosshair moves the
// crosshair (on a plain view: picks the point, as Ctrl+click); the rest measure.
enum class Tool { WindowLevel, Zoom, Pan, Scroll, Crosshair, Distance, Angle, Rectangle, Ellipse, Freehand };
// The tool's name in the JSON contract: "wl", "zoom", "pan", "scroll", "crosshair", "distance",
// "angle", "rectangle", "ellipse", "freehand"; parseTool reads them back (false if unknown).
const char* toolName(Tool tool);
bool parseTool(const QString& text, Tool& out);
// The span of a volume's values between their 1st and 99th percentiles (first time point, a
// sample of ~200 000 voxels): what a window/level drag across the view covers.
double sampledValueSpan(const core::Volume& volume);
// What cine steps through: the slices, or the time points of a 4D series.
enum class CineMode { Slices, Time };

// The plane of the slice on screen, in patient space, for reference lines and synchronised
// scrolling between views of the same frame of reference.
struct SlicePlane {
    std::array<double, 3> point{};  // the slice's centre (LPS mm)
    std::array<double, 3> normal{}; // unit
    std::string frameOfReferenceUid;
    QColor colour;                  // the line's; invalid: a dashed orange reference line
};

// An oblique plane: through `center`, screen right and down along the unit vectors (LPS).
struct ObliquePlane {
    std::array<double, 3> center{}, right{}, down{};
};

class SliceViewer : public VtkViewport {
    Q_OBJECT
public:
    explicit SliceViewer(QWidget* parent = nullptr);
    ~SliceViewer() override;

    void setVolume(std::shared_ptr<const core::Volume> volume, render::ViewPlane plane = render::ViewPlane::Axial);
    void setWindow(render::Window window);
    void setSlice(int slice);

    // The crosshair (a voxel: i, j, k, or a patient position) drawn as two lines through its
    // projection; none: hidden.
    void setCrosshair(std::optional<std::array<int, 3>> voxel);
    void setCrosshairPoint(std::optional<std::array<double, 3>> lps);
    // An oblique plane instead of the orthogonal view (lb_render's trilinear sampler, square
    // pixels of the smallest spacing); none: back to the orthogonal view. Scrolling moves the
    // plane along its normal; measurements are drawn on orthogonal views only.
    void setObliquePlane(std::optional<ObliquePlane> plane);
    const std::optional<ObliquePlane>& obliquePlane() const { return m_oblique; }
    // The patient position (LPS mm) of a continuous picture point, and back.
    std::array<double, 3> patientAt(QPointF picture) const;
    QPointF pictureOf(const std::array<double, 3>& lps) const;
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
    // Cine over slices or time; a 4D series starts over time (Shift+C switches).
    void setCineMode(CineMode mode);
    CineMode cineMode() const { return m_cineMode; }

    // 4D: the time point shown (0-based; "t n/N" in the corner when N > 1). 1 for a 3D volume.
    int timePoint() const { return m_timePoint; }
    int timePoints() const;
    void setTimePoint(int timePoint); // clamped

    // How fast a left drag changes window and level: 1 is the default rule (windowDragScale()).
    void setWindowSensitivity(double factor);
    double windowSensitivity() const { return m_windowSensitivity; }
    // Values per pixel of a window/level drag at the current sensitivity.
    double windowDragScale() const;
    void resetView(); // zoom, pan, invert and window back to how the series opened

    // Quarter turns clockwise and a horizontal mirror, applied on screen (labels follow).
    void rotateQuarter(int turnsClockwise);
    void flipHorizontal();
    void flipVertical();
    int quarterTurns() const { return m_turns; }
    bool flipped() const { return m_flipped; }
    // Orientation letters toward the right, left, top and bottom edges as shown now.
    std::array<QString, 4> edgeLabels() const;
    // The continuous voxel index (i, j, k) of a patient point on this view (acquired slices of an
    // irregular stack by their own positions).
    std::array<double, 3> volumeIndexOf(const std::array<double, 3>& lps) const;

    // 0: one slice; else a slab of that many mm around the slice, projected by `mode`.
    void setSlab(double mm, render::SlabMode mode = render::SlabMode::Mip);
    double slabMm() const { return m_slabMm; }
    // Preset n (1-based) of the presets (by default resources/presets/window_presets.json); 0:
    // the window the series opened with.
    void applyPreset(int number);
    bool applyPresetNamed(const QString& name); // a preset of the list by name ("lung"); false when none is called so
    QString presetName() const { return m_presetName; } // the preset shown ("" after a drag or the own window)
    void setWindowPresets(std::vector<render::WindowPreset> presets);
    // A colour map of resources/presets/colour_maps.json across the window ("grey": none; M
    // cycles). False for an unknown name.
    bool setColourMap(const QString& name);
    // Linear interpolation between voxels on screen (and trilinear on oblique planes) instead of
    // nearest neighbour (the default: one voxel, one flat square). L toggles.
    void setLinearInterpolation(bool linear);
    bool linearInterpolation() const { return m_linear; }
    QString colourMap() const { return m_colourMap; }

    void setTool(Tool tool);
    Tool tool() const { return m_tool; }
    void setDragActions(DragAction left, DragAction middle, DragAction right);
    // The measurements of the shown series on the current slice (all of them: measurements()).
    std::vector<const Measurement*> visibleMeasurements() const;
    std::vector<Measurement>* measurements();
    void removeSelectedMeasurement();
    // Where the labels of the visible measurements are drawn (logical pixels), in the order of
    // visibleMeasurements(): inside the view, apart from one another.
    std::vector<QRectF> measurementLabelRects() const;
    // Where the overlay puts its text (logical pixels): the four orientation letters (right,
    // left, top, bottom) and the four corner blocks (top left, top right, bottom left, bottom right).
    struct OverlayLayout {
        std::array<QRectF, 4> letters;
        std::array<QRectF, 4> corners;
        std::array<QStringList, 4> cornerLines; // what fits of each corner's lines
    };
    OverlayLayout overlayLayout() const;
    // Follow-up: the ends (LPS mm) of the selected distance, else of the last distance on the
    // slice shown; and a new distance between two patient points, on the slice nearest their
    // middle, selected so the reader can adjust it (a prior's finding carried to the current).
    std::optional<std::array<std::array<double, 3>, 2>> distanceEnds() const;
    void placeDistance(const std::array<double, 3>& from, const std::array<double, 3>& to);
    std::optional<double> distanceMm() const; // the length of distanceEnds()

    // Lines drawn top right: patient name, ID, age/sex, study date, series description.
    void setInformation(QStringList lines);
    // What the viewer must tell about the shown series (the viewing session's warnings): a badge
    // on the image, all of them in its tooltip. Until set, the volume's own warnings.
    void setNotices(QStringList notices);
    // How this view scrolls with the others of its comparison group ("linked: registered"), bottom left.
    void setLinkText(const QString& text);
    QStringList notices() const;

    std::optional<SlicePlane> slicePlane() const;
    // Other views' slices drawn as lines where they cut this one (parallel ones are left out).
    void setReferencePlanes(std::vector<SlicePlane> planes);
    const std::vector<SlicePlane>& referencePlanes() const { return m_referencePlanes; }
    // Moves to the slice nearest a patient position (synchronised scrolling).
    void showPosition(const std::array<double, 3>& lps);
    const core::Volume* volume() const { return m_volume.get(); }

    // Continuous picture pixel (native, x right, y down) under a widget point, and back.
    QPointF pictureOfWidget(QPointF widget) const;
    QPointF widgetOfPicture(QPointF picture) const;

    render::Window window() const { return m_window; }
    int slice() const { return m_slice; }
    int sliceCount() const;
    const render::RenderedSlice* current() const { return m_rendered.get(); }

signals:
    void windowChanged(double width, double center);
    void windowAdjusted(); // by the user (drag, preset key): what a comparison group follows
    void zoomAdjusted();   // by the user (drag): a comparison group follows it too
    void sliceChanged(int slice);
    // Ctrl + left click: the user points at a voxel (the MPR view moves the other planes there);
    // pointPicked: the same as a patient position (also on oblique planes).
    void voxelPicked(std::array<int, 3> voxel);
    void pointPicked(std::array<double, 3> lps);
    // Shift + left drag around the crosshair: turn it by this angle (radians, clockwise as seen).
    void crosshairTurned(double radians);
    void measurementsChanged();
    void toolChanged(lb::viewer::Tool tool);
    void timePointChanged(int timePoint);
    void activated(); // clicked or focused: the grid's active viewport

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void initializeGL() override;
    void resizeGL(int width, int height) override;
    // Orientation letters at the edges, slice and position top left, W/L bottom left, a scale bar.
    void paintOverlay(QPainter& painter) override;

private:
    // SliceViewerOverlay.cpp
    void paintCorners(QPainter& painter);
    void paintNoticeBadge(QPainter& painter, const QRect& area, int linesAbove);
    void paintMeasurements(QPainter& painter);
    QFont overlayFont() const;
    QStringList cornerText(int corner) const; // 0 top left, 1 top right, 2 bottom left, 3 bottom right
    // Label boxes of the visible measurements: anchored beside their shape, kept in the view and
    // shifted off one another.
    std::vector<QRectF> layoutLabels(const QFontMetricsF& metrics) const;
    void paintReferenceLines(QPainter& painter);
    void paintScaleBar(QPainter& painter);
    struct ScaleBar {
        double mm = 10, x0 = 0, x1 = 0, y = 0; // the bar from x0 to x1 at y, its text under it
        QString text;
        QRectF box; // bar and text
    };
    std::optional<ScaleBar> scaleBar() const;
    // Measurement editing: a handle near the point, or a new measurement with the tool.
    bool pressMeasurement(QPointF widget);
    void dragMeasurement(QPointF widget);
    void finishMeasurementDrag();
    DragAction actionFor(Qt::MouseButton button) const;
    void pick(QPointF widget); // voxelPicked and pointPicked for a widget point

    void refresh(bool fitCamera);
    // The texture holds grey from the modality's non-linear VOI (table, sigmoid), not values.
    bool greyTexture() const;
    vtkScalarsToColors* lookupTable(bool reversed); // null: plain grey
    void placeCamera();
    void applyWindow();
    void updateCursor();
    void stepCine(); // the next slice or time point, looping
    void remeasureVisible(); // statistics of the time point shown
    double valueSpan() const; // the span of values a drag across the view covers (windowDragScale)
    struct Scene;
    std::unique_ptr<Scene> m_scene;
    std::shared_ptr<const core::Volume> m_volume;
    // The regular grid of a tilted or unevenly spaced m_volume (render/RegularGrid.h), made when
    // an oblique plane first needs it; the orthogonal view keeps showing the acquired slices.
    std::shared_ptr<const core::Volume> m_regular;
    const core::Volume& reformatVolume();
    render::ViewPlane m_plane = render::ViewPlane::Axial;
    render::Window m_window;
    bool m_haveWindow = false;  // a window chosen (by the user, a preset, or automatic)
    int m_slice = 0;
    std::unique_ptr<render::RenderedSlice> m_rendered;
    DragAction m_drag = DragAction::None;
    std::array<DragAction, 3> m_buttonActions{DragAction::WindowLevel, DragAction::Pan, DragAction::Zoom}; // left, middle, right
    QPoint m_dragStart;
    int m_dragSlice = 0;
    std::array<double, 3> m_dragWorld{0, 0, 0};
    render::Window m_dragWindow;
    double m_dragZoom = 1;
    std::array<double, 2> m_dragPan{0, 0};
    double m_zoom = 1;
    std::array<double, 2> m_pan{0, 0}; // mm, in the picture's plane
    bool m_inverted = false;
    QTimer m_cine;
    double m_cineFps = 10;
    CineMode m_cineMode = CineMode::Slices;
    int m_timePoint = 0;
    double m_windowSensitivity = 1;
    double m_valueSpan = 0; // of the volume's values, computed with the volume (valueSpan())
    std::optional<std::array<double, 3>> m_crosshair; // LPS
    std::optional<ObliquePlane> m_oblique;
    bool m_turning = false; // Shift + left drag
    bool m_picking = false; // a left drag with the crosshair tool
    double m_turnAngle = 0;
    int m_turns = 0;
    bool m_flipped = false;
    double m_slabMm = 0;
    render::SlabMode m_slabMode = render::SlabMode::Mip;
    QString m_presetName;
    QString m_colourMap = "grey";
    bool m_linear = false;
    std::vector<render::WindowPreset> m_presets = render::windowPresets();
    Tool m_tool = Tool::WindowLevel;
    int m_selected = -1;                 // index into measurements()
    int m_editPoint = -1;                // the handle being dragged; -1: none
    bool m_creating = false;             // the selected measurement is still being drawn
    std::optional<QPointF> m_hover;      // picture point under the mouse
    QStringList m_information;
    std::optional<QStringList> m_notices; // reset with each volume
    QString m_linkText;
    std::vector<SlicePlane> m_referencePlanes;
};

} // namespace lb::viewer
