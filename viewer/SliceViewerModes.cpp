// SliceViewer's modes the reader must be able to see and change: the tool (its name in the JSON
// contract, its cursor), the time point of a 4D series and what cine steps through, and how fast
// a window/level drag goes (its rule below).
#include "viewer/SliceViewer.h"

#include <QPainter>
#include <QPixmap>

#include <algorithm>
#include <cmath>

namespace lb::viewer {
namespace {

struct ToolEntry {
    Tool tool;
    const char* name;
};

constexpr ToolEntry kTools[] = {
    {Tool::WindowLevel, "wl"},     {Tool::Zoom, "zoom"},         {Tool::Pan, "pan"},
    {Tool::Scroll, "scroll"},      {Tool::Crosshair, "crosshair"}, {Tool::Distance, "distance"},
    {Tool::Angle, "angle"},        {Tool::Rectangle, "rectangle"}, {Tool::Ellipse, "ellipse"},
    {Tool::Freehand, "freehand"},
};

// W/L: a disc half white, half black (contrast); zoom: a magnifier. Drawn here so that the two
// tools without a standard Qt cursor are still told apart from the arrow at a glance.
QCursor drawnCursor(bool magnifier)
{
    QPixmap pixmap(24, 24);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(Qt::black, 1.5));
    if (magnifier) {
        painter.setBrush(QColor(255, 255, 255, 160));
        painter.drawEllipse(QRectF(2, 2, 13, 13));
        painter.setPen(QPen(Qt::black, 3.5));
        painter.drawLine(QPointF(13, 13), QPointF(21, 21));
        painter.setPen(QPen(Qt::white, 1.5));
        painter.drawLine(QPointF(13, 13), QPointF(21, 21));
        painter.end();
        return QCursor(pixmap, 8, 8);
    }
    painter.setBrush(Qt::white);
    painter.drawEllipse(QRectF(3, 3, 18, 18));
    painter.setBrush(Qt::black);
    painter.drawPie(QRectF(3, 3, 18, 18), 45 * 16, 180 * 16);
    painter.end();
    return QCursor(pixmap, 12, 12);
}

} // namespace

const char* toolName(Tool tool)
{
    for (const auto& entry : kTools)
        if (entry.tool == tool) return entry.name;
    return "wl";
}

bool parseTool(const QString& text, Tool& out)
{
    for (const auto& entry : kTools)
        if (text.compare(entry.name, Qt::CaseInsensitive) == 0) {
            out = entry.tool;
            return true;
        }
    return false;
}

void SliceViewer::updateCursor()
{
    switch (m_tool) {
    case Tool::WindowLevel: setCursor(drawnCursor(false)); break;
    case Tool::Zoom: setCursor(drawnCursor(true)); break;
    case Tool::Pan: setCursor(Qt::OpenHandCursor); break;
    case Tool::Scroll: setCursor(Qt::SizeVerCursor); break;
    default: setCursor(Qt::CrossCursor); break; // the crosshair and the measuring tools: aim
    }
}

int SliceViewer::timePoints() const
{
    return m_volume ? std::max(1, m_volume->timePoints()) : 1;
}

void SliceViewer::setTimePoint(int timePoint)
{
    timePoint = std::clamp(timePoint, 0, timePoints() - 1);
    if (timePoint == m_timePoint) return;
    m_timePoint = timePoint;
    refresh(false);
    remeasureVisible();
    emit timePointChanged(m_timePoint);
}

void SliceViewer::setCineMode(CineMode mode)
{
    m_cineMode = mode;
    update(); // the corner says which
}

void SliceViewer::stepCine()
{
    if (m_cineMode == CineMode::Time && timePoints() > 1) {
        setTimePoint((m_timePoint + 1) % timePoints()); // loops, as cine does
        return;
    }
    const int count = sliceCount();
    if (count > 0) setSlice((m_slice + 1) % count);
}

void SliceViewer::remeasureVisible()
{
    auto* list = measurements();
    if (!list) return;
    for (Measurement& m : *list)
        if (m.plane == m_plane && m.slice == m_slice && m.timePoint != m_timePoint) {
            m.timePoint = m_timePoint;
            measure(*m_volume, m);
        }
    update();
}

void SliceViewer::setWindowSensitivity(double factor)
{
    m_windowSensitivity = std::clamp(factor, 0.05, 20.0);
}

// The rule: a drag across the whole view (its width for the window, its height for the level)
// changes by the span of the series' values between their 1st and 99th percentiles (CT head:
// air to dense bone, ~1200 HU; MR: its own intensity scale), times the sensitivity. The old rule
// (the current window's width per view width) crawled on narrow windows: a 200 px drag on W 80
// moved it by 14. A window wider than that span (a colour image's 256) uses its own width, so
// wide windows never get slower than before.
double SliceViewer::windowDragScale() const
{
    const double span = std::max({valueSpan(), m_window.width, 1.0});
    return span * m_windowSensitivity / std::max(1, width());
}

double SliceViewer::valueSpan() const
{
    return m_valueSpan;
}

// The 1st..99th percentile span of the first time point's values, from up to ~200 000 voxels
// taken at a fixed stride (a few ms for a 512x512x300 CT; the percentiles of such a sample are
// within a few HU of the full volume's).
double sampledValueSpan(const core::Volume& volume)
{
    const auto& dims = volume.geometry().dims;
    const size_t count = static_cast<size_t>(dims[0]) * dims[1] * dims[2];
    if (count == 0) return 0;
    const size_t stride = std::max<size_t>(1, count / 200000);
    std::vector<double> values;
    values.reserve(count / stride + 1);
    for (size_t n = 0; n < count; n += stride) {
        const int i = static_cast<int>(n % dims[0]), j = static_cast<int>(n / dims[0] % dims[1]);
        const int k = static_cast<int>(n / (static_cast<size_t>(dims[0]) * dims[1]));
        const double v = volume.valueAt(i, j, k);
        if (std::isfinite(v)) values.push_back(v);
    }
    if (values.size() < 2) return 0;
    const size_t low = values.size() / 100, high = values.size() - 1 - values.size() / 100;
    std::nth_element(values.begin(), values.begin() + low, values.end());
    const double lowValue = values[low];
    std::nth_element(values.begin(), values.begin() + high, values.end());
    return values[high] - lowValue;
}

} // namespace lb::viewer
