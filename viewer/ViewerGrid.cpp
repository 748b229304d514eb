#include "viewer/ViewerGrid.h"

#include "render/RegularGrid.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFrame>
#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMimeData>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>

#include <cmath>

namespace lb::viewer {
namespace {

struct LayoutShape {
    Layout layout;
    const char* name;
    int rows, columns;
};

constexpr LayoutShape kShapes[] = {
    {Layout::One, "1x1", 1, 1},      {Layout::OneByTwo, "1x2", 1, 2},   {Layout::TwoByOne, "2x1", 2, 1},
    {Layout::TwoByTwo, "2x2", 2, 2}, {Layout::OneByThree, "1x3", 1, 3}, {Layout::OneByFour, "1x4", 1, 4},
    {Layout::TwoByThree, "2x3", 2, 3}, {Layout::TwoByFour, "2x4", 2, 4}, {Layout::Mpr, "mpr", 0, 0},
    {Layout::ThreeD, "3d", 0, 0},
};

const LayoutShape& shapeOf(Layout layout)
{
    for (const auto& shape : kShapes)
        if (shape.layout == layout) return shape;
    return kShapes[0];
}

} // namespace

bool parseLayout(const QString& text, Layout& out)
{
    for (const auto& shape : kShapes)
        if (text.compare(shape.name, Qt::CaseInsensitive) == 0) {
            out = shape.layout;
            return true;
        }
    return false;
}

QString layoutName(Layout layout)
{
    return shapeOf(layout).name;
}

int viewportCount(Layout layout)
{
    return shapeOf(layout).rows * shapeOf(layout).columns;
}

ViewerGrid::ViewerGrid(QWidget* parent) : QWidget(parent), m_grid(new QGridLayout(this))
{
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setSpacing(2);
    m_needsVolume = new QLabel(this);
    m_needsVolume->setObjectName("needsVolume");
    m_needsVolume->setAlignment(Qt::AlignCenter);
    m_needsVolume->setWordWrap(true);
    m_needsVolume->setStyleSheet("QLabel { background: black; color: #e0e0e0; font-size: 14pt; }");
    m_needsVolume->hide();
    for (int i = 0; i < kMaxViewports; ++i) {
        // A frame per viewport: the active one is drawn in colour.
        m_frames[i] = new QFrame(this);
        auto* inside = new QVBoxLayout(m_frames[i]);
        inside->setContentsMargins(2, 2, 2, 2);
        m_viewers[i] = new SliceViewer(m_frames[i]);
        inside->addWidget(m_viewers[i]);
        m_timeSliders[i] = new QSlider(Qt::Horizontal, m_frames[i]);
        m_timeSliders[i]->setObjectName(QString("timeSlider%1").arg(i));
        m_timeSliders[i]->setToolTip("Time point (4D): , and . step through time, Shift+C makes cine go over time or slices");
        m_timeSliders[i]->setFocusPolicy(Qt::NoFocus); // the keys stay the viewport's
        m_timeSliders[i]->hide();
        inside->addWidget(m_timeSliders[i]);
        connect(m_timeSliders[i], &QSlider::valueChanged, m_viewers[i], &SliceViewer::setTimePoint);
        connect(m_viewers[i], &SliceViewer::timePointChanged, m_timeSliders[i], [this, i](int t) {
            const QSignalBlocker blocker(m_timeSliders[i]);
            m_timeSliders[i]->setValue(t);
        });
        m_viewers[i]->setAcceptDrops(true);
        m_viewers[i]->installEventFilter(this);
        connect(m_viewers[i], &SliceViewer::activated, this, [this, i] { setActive(i); });
        connect(m_viewers[i], &SliceViewer::sliceChanged, this, [this, i] { followSlice(i); });
        connect(m_viewers[i], &SliceViewer::windowAdjusted, this, [this, i] { followWindow(i); });
        connect(m_viewers[i], &SliceViewer::zoomAdjusted, this, [this, i] { followZoom(i); });
        connect(m_viewers[i], &SliceViewer::toolChanged, this, &ViewerGrid::setTool);
    }
    setLayout(Layout::One);
}

void ViewerGrid::setLayout(Layout layout)
{
    m_layout = layout;
    arrange();
    showActiveInMprAnd3d();
    updateReferenceLines();
}

void ViewerGrid::arrange()
{
    while (m_grid->count() > 0) delete m_grid->takeAt(0); // the layout items, not the widgets
    for (QFrame* frame : m_frames) frame->hide();
    if (m_mpr) m_mpr->hide();
    if (m_volume3d) m_volume3d->hide();
    m_needsVolume->hide();
    if (m_layout == Layout::Mpr || m_layout == Layout::ThreeD) m_grid->addWidget(m_needsVolume, 0, 0);
    for (int r = 0; r < 2; ++r) m_grid->setRowStretch(r, r == 0 ? 1 : 0);
    for (int c = 0; c < 4; ++c) m_grid->setColumnStretch(c, c == 0 ? 1 : 0);
    if (m_layout == Layout::Mpr) {
        if (!m_mpr) { // made when first used
            m_mpr = new MprView(this);
            applyPreferences(m_mpr);
            for (SliceViewer* plane : m_mpr->findChildren<SliceViewer*>())
                connect(plane, &SliceViewer::toolChanged, this, &ViewerGrid::setTool);
        }
        m_grid->addWidget(m_mpr, 0, 0);
        m_mpr->show();
        return;
    }
    if (m_layout == Layout::ThreeD) {
        if (!m_volume3d) m_volume3d = new VolumeView(this);
        m_grid->addWidget(m_volume3d, 0, 0);
        m_volume3d->show();
        return;
    }
    const auto& shape = shapeOf(m_layout);
    for (int i = 0; i < shape.rows * shape.columns; ++i) {
        m_grid->addWidget(m_frames[i], i / shape.columns, i % shape.columns);
        m_frames[i]->show();
    }
    for (int r = 0; r < 2; ++r) m_grid->setRowStretch(r, r < shape.rows ? 1 : 0);
    for (int c = 0; c < 4; ++c) m_grid->setColumnStretch(c, c < shape.columns ? 1 : 0);
    if (m_active >= shape.rows * shape.columns) m_active = 0;
    setActive(m_active);
}

void ViewerGrid::setActive(int index)
{
    if (index < 0 || index >= kMaxViewports) return;
    const bool changed = index != m_active;
    m_active = index;
    const bool several = viewportCount() > 1;
    for (int i = 0; i < kMaxViewports; ++i)
        m_frames[i]->setStyleSheet(several && i == m_active ? "QFrame { background: #d8b040; }" : "QFrame { background: #202020; }");
    if (changed) emit activeChanged(index);
}

void ViewerGrid::showVolume(int index, std::shared_ptr<const core::Volume> volume, QStringList information)
{
    if (index < 0 || index >= kMaxViewports) return;
    if (m_volumes[index] != volume) m_regular[index].reset();
    m_volumes[index] = volume;
    m_viewers[index]->setVolume(volume, volume ? render::acquisitionPlane(volume->geometry()) : render::ViewPlane::Axial);
    if (!volume && index == m_active) {
        if (m_mpr) m_mpr->clear();
        if (m_volume3d) m_volume3d->setVolume(nullptr);
    }
    m_viewers[index]->setInformation(information);
    showTimeSlider(index);
    if (index == m_active) showActiveInMprAnd3d();
    updateReferenceLines();
}

void ViewerGrid::showTimeSlider(int index)
{
    QSlider* slider = m_timeSliders[index];
    const QSignalBlocker blocker(slider);
    slider->setRange(0, m_viewers[index]->timePoints() - 1);
    slider->setValue(m_viewers[index]->timePoint());
    slider->setVisible(m_viewers[index]->timePoints() > 1);
}

void ViewerGrid::setViewPlane(int index, render::ViewPlane plane)
{
    if (index < 0 || index >= kMaxViewports) return;
    const auto& volume = m_volumes[index];
    if (!volume || !volume->hasPatientGeometry || volume->geometry().dims[2] < 2 || m_viewers[index]->plane() == plane) return;
    m_viewers[index]->setVolume(volume, plane);
    updateReferenceLines();
}

void ViewerGrid::setNotices(int index, const QStringList& notices)
{
    if (index < 0 || index >= kMaxViewports) return;
    m_viewers[index]->setNotices(notices);
    if (index == m_active && m_mpr)
        for (auto plane : {render::ViewPlane::Axial, render::ViewPlane::Coronal, render::ViewPlane::Sagittal})
            if (auto* view = m_mpr->plane(plane)) view->setNotices(notices);
}

void ViewerGrid::setRegularGrid(int index, const std::shared_ptr<const core::Volume>& volume, std::shared_ptr<const core::Volume> grid)
{
    if (index < 0 || index >= kMaxViewports || m_volumes[index] != volume || !grid) return;
    const bool had = m_regular[index] && m_regular[index]->seriesUid == volume->seriesUid;
    m_regular[index] = std::move(grid);
    if (!had && index == m_active) showActiveInMprAnd3d();
}

std::shared_ptr<const core::Volume> ViewerGrid::regularGridOf(int index)
{
    const auto& volume = m_volumes[index];
    if (!volume || volume->regularGrid) return volume;
    if (!m_regular[index] || m_regular[index]->seriesUid != volume->seriesUid) {
        auto grid = render::onRegularGrid(volume);
        m_regular[index] = grid ? *grid : volume;
    }
    return m_regular[index];
}

void ViewerGrid::showActiveInMprAnd3d()
{
    const auto& volume = m_volumes[m_active];
    const bool reformatLayout = m_layout == Layout::Mpr || m_layout == Layout::ThreeD;
    QWidget* reformatView = m_layout == Layout::Mpr ? static_cast<QWidget*>(m_mpr) : static_cast<QWidget*>(m_volume3d);
    if (!volume || volume->firstSliceOnly) return; // the whole series is still loading: keep what is shown
    QString why;
    if (!volume->hasPatientGeometry)
        why = "MPR and 3D need a volume: this series has no patient geometry (no ImageOrientationPatient), "
              "it is shown as an image in a slice layout (1x1).";
    else if (volume->geometry().dims[2] < 2)
        why = "MPR and 3D need a volume: this series is a single image.";
    if (reformatLayout && reformatView) {
        m_needsVolume->setText(why);
        m_needsVolume->setVisible(!why.isEmpty());
        reformatView->setVisible(why.isEmpty());
    }
    if (!why.isEmpty()) return;
    if (m_layout == Layout::Mpr && m_mpr) m_mpr->setVolume(regularGridOf(m_active));
    if (m_layout == Layout::ThreeD && m_volume3d) m_volume3d->setVolume(regularGridOf(m_active));
}

void ViewerGrid::setSynchronizedScrolling(bool on)
{
    m_sync = on;
}

void ViewerGrid::setDragActions(DragAction left, DragAction middle, DragAction right)
{
    m_dragActions = {left, middle, right};
    applyPreferences(this);
}

void ViewerGrid::setWindowPresets(const std::vector<render::WindowPreset>& presets)
{
    m_presets = presets;
    applyPreferences(this);
}

void ViewerGrid::setTool(Tool tool)
{
    if (m_settingTool) return; // a viewport's own toolChanged, while the grid sets them all
    const bool changed = tool != m_tool;
    m_tool = tool;
    m_settingTool = true;
    for (SliceViewer* viewer : findChildren<SliceViewer*>()) viewer->setTool(tool);
    m_settingTool = false;
    if (changed) emit toolChanged(tool);
}

void ViewerGrid::setWindowSensitivity(double factor)
{
    m_windowSensitivity = factor;
    applyPreferences(this);
}

// To every slice view below `root`: the grid's and, once made, the MPR view's.
void ViewerGrid::applyPreferences(QWidget* root)
{
    m_settingTool = true;
    for (SliceViewer* viewer : root->findChildren<SliceViewer*>()) {
        viewer->setDragActions(m_dragActions[0], m_dragActions[1], m_dragActions[2]);
        viewer->setWindowPresets(m_presets);
        viewer->setWindowSensitivity(m_windowSensitivity);
        viewer->setTool(m_tool);
    }
    m_settingTool = false;
}

void ViewerGrid::updateReferenceLines()
{
    const int count = viewportCount();
    for (int i = 0; i < kMaxViewports; ++i) {
        std::vector<SlicePlane> others;
        const auto mine = i < count ? m_viewers[i]->slicePlane() : std::nullopt;
        if (mine && !mine->frameOfReferenceUid.empty())
            for (int j = 0; j < count; ++j) {
                if (j == i) continue;
                const auto plane = m_viewers[j]->slicePlane();
                if (plane && plane->frameOfReferenceUid == mine->frameOfReferenceUid) others.push_back(*plane);
            }
        m_viewers[i]->setReferencePlanes(std::move(others));
    }
}

bool ViewerGrid::eventFilter(QObject* watched, QEvent* event)
{
    for (int i = 0; i < kMaxViewports; ++i) {
        if (watched != m_viewers[i]) continue;
        if (event->type() == QEvent::DragEnter || event->type() == QEvent::DragMove) {
            auto* drag = static_cast<QDropEvent*>(event);
            if (drag->mimeData()->hasFormat(kSeriesMimeType)) {
                drag->acceptProposedAction();
                return true;
            }
        } else if (event->type() == QEvent::KeyPress && static_cast<QKeyEvent*>(event)->key() == Qt::Key_K
                   && static_cast<QKeyEvent*>(event)->modifiers() == Qt::NoModifier) {
            return linkByHand(i);
        } else if (event->type() == QEvent::KeyPress && static_cast<QKeyEvent*>(event)->modifiers() == Qt::NoModifier
                   && (static_cast<QKeyEvent*>(event)->key() == Qt::Key_N || static_cast<QKeyEvent*>(event)->key() == Qt::Key_P)) {
            emit stepAsked(static_cast<QKeyEvent*>(event)->key() == Qt::Key_N ? 1 : -1);
            return true;
        } else if (event->type() == QEvent::Drop) {
            auto* drop = static_cast<QDropEvent*>(event);
            if (!drop->mimeData()->hasFormat(kSeriesMimeType)) return false;
            drop->acceptProposedAction();
            setActive(i);
            emit seriesDropped(i, QString::fromUtf8(drop->mimeData()->data(kSeriesMimeType)));
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace lb::viewer
