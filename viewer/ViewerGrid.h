#pragma once
// The viewer area: slice viewports in a layout (1x1, 1x2, 2x1, 2x2, 1x3), the MPR view (three
// planes + 3D) or the 3D view alone. One viewport is active (framed): the series list, the tag
// browser and the MPR/3D layouts follow it. Viewports showing series of the same frame of
// reference are linked: scrolling one moves the others to the nearest slice (when their planes
// are parallel; switchable), and each draws the others' slices as reference lines. A series
// dragged from the series list (MIME type kSeriesMimeType: its UID) onto a viewport asks for
// that series there: seriesDropped().
#include "viewer/MprView.h"
#include "viewer/SliceViewer.h"
#include "viewer/ViewportLinks.h"
#include "viewer/VolumeView.h"

#include <QStringList>
#include <QWidget>

#include <array>
#include <memory>

class QFrame;
class QGridLayout;
class QLabel;
class QSlider;

namespace lb::viewer {

inline constexpr const char* kSeriesMimeType = "application/x-lightbox-series-uid";

enum class Layout { One, OneByTwo, TwoByOne, TwoByTwo, OneByThree, OneByFour, TwoByThree, TwoByFour, Mpr, ThreeD };
// "1x1", "1x2" (one row, two columns), "2x1", "2x2", "1x3", "1x4", "2x3", "2x4", "mpr", "3d".
bool parseLayout(const QString& text, Layout& out);
QString layoutName(Layout layout);
int viewportCount(Layout layout); // slice viewports the layout shows (0 for mpr and 3d)

class ViewerGrid : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxViewports = 8;
    explicit ViewerGrid(QWidget* parent = nullptr);

    void setLayout(Layout layout);
    Layout layout() const { return m_layout; }
    int viewportCount() const { return lb::viewer::viewportCount(m_layout); }
    SliceViewer* viewport(int index) const { return m_viewers[index]; }
    QSlider* timeSlider(int index) const { return m_timeSliders[index]; }
    int activeIndex() const { return m_active; }
    void setActive(int index);
    MprView* mpr() const { return m_mpr; }             // null until the mpr layout is first used
    VolumeView* volumeView() const { return m_volume3d; } // null until the 3d layout is first used

    // Shows a volume in a viewport (the MPR and 3D layouts show the active viewport's).
    // `information`: the corner text (patient, study, series).
    void showVolume(int index, std::shared_ptr<const core::Volume> volume, QStringList information);
    std::shared_ptr<const core::Volume> volumeOf(int index) const { return m_volumes[index]; }
    // The regular grid of viewport `index`'s volume, made elsewhere (the series loader's worker);
    // ignored unless the viewport still shows `volume`. Without it the grid is made when first needed.
    // The viewing session's warnings of what viewport `index` shows: its badge and tooltip, and
    // (for the active one) the MPR planes'.
    void setNotices(int index, const QStringList& notices);
    // Viewport `index` shows its volume in this plane (a reformat of the acquired slices when it
    // is not theirs); ignored for an image without patient geometry or a single slice.
    void setViewPlane(int index, render::ViewPlane plane);
    void setRegularGrid(int index, const std::shared_ptr<const core::Volume>& volume, std::shared_ptr<const core::Volume> grid);

    // Comparison groups (viewer/ViewportLinks.h): viewports of one group scroll and window
    // together through their links, across studies and frames of reference.
    void setLink(int index, const ViewportLink& link);
    const ViewportLink& link(int index) const { return m_links[index]; }
    void clearLinks();
    // Follow-up: the distance measured in viewport `from` placed in viewport `to` where the link
    // between them puts it (the reader then adjusts it). False unless both are linked in one group
    // and `from` has a distance on its slice.
    bool carryDistance(int from, int to);

    void setSynchronizedScrolling(bool on);
    bool synchronizedScrolling() const { return m_sync; }
    // For every slice view, the MPR's included.
    void setDragActions(DragAction left, DragAction middle, DragAction right);
    void setWindowPresets(const std::vector<render::WindowPreset>& presets);
    // The tool is the grid's, as in RadiAnt or Horos: chosen in one viewport (its key) it is set
    // in every slice viewport and the MPR planes, and toolChanged is emitted once; Esc in any
    // viewport returns all of them to window/level.
    void setTool(Tool tool);
    Tool tool() const { return m_tool; }
    // How fast a window/level drag goes in every slice view (SliceViewer::setWindowSensitivity).
    void setWindowSensitivity(double factor);

signals:
    void toolChanged(lb::viewer::Tool tool);
    void seriesDropped(int viewport, QString seriesUid);
    void activeChanged(int viewport);
    // The user linked a viewport to its group by hand (K: "these two show the same anatomy").
    void linkedByHand(int viewport);
    // N / P in a viewport: the next / previous reading step (+1 / -1), for whoever arranged it.
    void stepAsked(int delta);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void arrange();
    void followSlice(int from);
    void followWindow(int from);
    void followZoom(int from);
    bool linkByHand(int index);
    void updateReferenceLines();
    void showActiveInMprAnd3d();
    void applyPreferences(QWidget* root);
    std::array<DragAction, 3> m_dragActions{DragAction::WindowLevel, DragAction::Pan, DragAction::Zoom};
    Tool m_tool = Tool::WindowLevel;
    double m_windowSensitivity = 1;
    bool m_settingTool = false;
    std::vector<render::WindowPreset> m_presets = render::windowPresets();
    QGridLayout* m_grid;
    Layout m_layout = Layout::One;
    std::array<SliceViewer*, kMaxViewports> m_viewers{};
    std::array<QFrame*, kMaxViewports> m_frames{};
    // Under a viewport showing a 4D series: its time point (hidden for 3D series).
    std::array<QSlider*, kMaxViewports> m_timeSliders{};
    void showTimeSlider(int index);
    std::array<std::shared_ptr<const core::Volume>, kMaxViewports> m_volumes{};
    std::array<ViewportLink, kMaxViewports> m_links{};
    // MPR and 3D work on the regular grid of each viewport's volume (render/RegularGrid.h: the
    // volume itself unless it is tilted or unevenly spaced), made when first needed.
    std::array<std::shared_ptr<const core::Volume>, kMaxViewports> m_regular{};
    std::shared_ptr<const core::Volume> regularGridOf(int index);
    // Said instead of the MPR or 3D view when the active series is not a volume.
    QLabel* m_needsVolume = nullptr;
    MprView* m_mpr = nullptr;
    VolumeView* m_volume3d = nullptr;
    int m_active = 0;
    bool m_sync = true;
    bool m_following = false;
};

} // namespace lb::viewer
