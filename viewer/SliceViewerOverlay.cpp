// What SliceViewer draws over the image, in logical pixels: the four corners of text (slice and
// position top left, patient and study top right, window and zoom bottom left, the voxel under
// the mouse bottom right), orientation letters at the edges, a scale bar, the crosshair, the
// reference lines of other views and the measurements of this slice. Text has a dark halo; the
// corners are laid out around the letters (overlayLayout) and the measurement labels around one
// another and the overlay (layoutLabels), so nothing is drawn over anything else.
#include "viewer/SliceViewer.h"

#include <algorithm>

#include <QPainter>
#include <QPainterPath>

#include <vtkCamera.h>
#include <vtkRenderer.h>

#include <cmath>

namespace lb::viewer {
namespace {

const QColor kText(255, 230, 120);
const QColor kMeasure(120, 255, 120);
const QColor kSelected(255, 255, 255);
const QColor kReference(255, 140, 60, 200);

// Text with a dark halo (its outline stroked 3 px wide under it): readable on bone and on air.
void haloText(QPainter& painter, const QFont& font, QPointF topLeft, const QStringList& lines, const QColor& colour)
{
    const QFontMetricsF metrics(font);
    QPainterPath path;
    for (int i = 0; i < lines.size(); ++i)
        path.addText(topLeft + QPointF(0, metrics.ascent() + i * metrics.lineSpacing()), font, lines[i]);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(QColor(0, 0, 0, 220), 3, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter.drawPath(path);
    painter.setPen(Qt::NoPen);
    painter.setBrush(colour);
    painter.drawPath(path);
    painter.restore();
}

const char* slabModeName(render::SlabMode mode)
{
    switch (mode) {
    case render::SlabMode::Mip: return "MIP";
    case render::SlabMode::MinIp: return "MinIP";
    default: return "AVG";
    }
}

} // namespace

void SliceViewer::paintOverlay(QPainter& painter)
{
    if (!m_rendered) return;
    painter.setFont(overlayFont());
    painter.setRenderHint(QPainter::Antialiasing);
    paintReferenceLines(painter);
    if (m_crosshair) {
        const QPointF at = widgetOfPicture(pictureOf(*m_crosshair));
        painter.setPen(QPen(QColor(90, 200, 255, 170), 1));
        if (m_referencePlanes.empty()) { // else the other planes' lines make the cross
            painter.drawLine(QPointF(0, at.y()), QPointF(width(), at.y()));
            painter.drawLine(QPointF(at.x(), 0), QPointF(at.x(), height()));
        } else {
            painter.setBrush(Qt::NoBrush);
            painter.drawEllipse(at, 5, 5); // Shift + drag about it turns the planes
        }
    }
    paintMeasurements(painter);
    paintCorners(painter);
    paintScaleBar(painter);
}

// What the data does not say or did not give (tilt, variable increment, unreadable or damaged
// files ...): an amber badge on the image under the top-left lines, the first notice in it, all
// of them in the tooltip (and the workstation's status bar).
void SliceViewer::paintNoticeBadge(QPainter& painter, const QRect& area, int linesAbove)
{
    const QStringList all = notices();
    if (all.isEmpty()) return;
    const QFontMetrics metrics(painter.font());
    const QString more = all.size() > 1 ? QString("  (+%1)").arg(all.size() - 1) : QString();
    // Under half the width: the patient's lines on the right stay readable.
    const int room = std::max(80, area.width() * 9 / 20 - metrics.horizontalAdvance(more) - 12);
    const QString text = metrics.elidedText("\u26A0 " + all.front(), Qt::ElideRight, room) + more;
    const int top = area.top() + linesAbove * metrics.lineSpacing() + 4;
    const QRect badge(area.left(), top, metrics.horizontalAdvance(text) + 12, metrics.height() + 6);
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(230, 160, 20, 220));
    painter.drawRoundedRect(badge, 4, 4);
    painter.setPen(Qt::black);
    painter.drawText(badge, Qt::AlignCenter, text);
    painter.restore();
}

QFont SliceViewer::overlayFont() const
{
    QFont font = this->font();
    font.setPixelSize(std::max(11, height() / 45));
    return font;
}

// The four corners' lines, before the layout fits them (overlayLayout()).
QStringList SliceViewer::cornerText(int corner) const
{
    QStringList lines;
    if (!m_rendered) return lines;
    const auto& view = m_rendered->view;
    if (corner == 0) {
        const QString planeName = m_rendered->imageView ? QString("image") : QString(render::viewPlaneName(m_plane));
        if (m_oblique) lines << QString("%1, oblique").arg(planeName);
        else lines << QString("%1  %2 / %3").arg(planeName).arg(m_slice + 1).arg(view.depthCount);
        if (timePoints() > 1) // 4D: the time point, and what cine steps through
            lines << QString("t %1/%2%3").arg(m_timePoint + 1).arg(timePoints()).arg(m_cineMode == CineMode::Time ? "  (cine: time)" : "");
        if (!m_rendered->imageView) lines << QString("%1 mm").arg(m_rendered->positionMm, 0, 'f', 1);
        if (m_volume && m_volume->sliceThicknessMm > 0) lines << QString("thk %1 mm").arg(m_volume->sliceThicknessMm, 0, 'g', 3);
        if (m_slabMm > 0)
            lines << QString("%1 slab %2 mm (%3 slices)").arg(slabModeName(m_slabMode)).arg(m_slabMm, 0, 'g', 3).arg(m_rendered->slabSlices);
    } else if (corner == 1) {
        lines = m_information;
    } else if (corner == 2) {
        QString windowLine = QString("W %1  L %2").arg(m_window.width, 0, 'f', 0).arg(m_window.center, 0, 'f', 0);
        if (m_rendered->voi == "table")
            windowLine = "VOI LUT" + (m_volume && m_volume->storedVoiLut && !m_volume->storedVoiLut->explanation.empty()
                                          ? " " + QString::fromStdString(m_volume->storedVoiLut->explanation)
                                          : QString());
        else if (m_rendered->voi != "linear")
            windowLine += "  " + QString::fromStdString(m_rendered->voi);
        if (!m_presetName.isEmpty()) windowLine += "  (" + m_presetName + ")";
        if (m_colourMap != "grey") windowLine += "  " + m_colourMap;
        lines << windowLine;
        QString zoomLine = QString("Zoom %1x").arg(m_zoom, 0, 'f', 2);
        if (m_turns != 0) zoomLine += QString("  rot %1").arg(m_turns * 90);
        if (m_flipped) zoomLine += "  flip";
        if (m_linear) zoomLine += "  linear";
        lines << zoomLine;
        if (!m_linkText.isEmpty()) lines << m_linkText;
    } else if (m_hover && m_volume) {
        const int x = static_cast<int>(std::lround(m_hover->x())), y = static_cast<int>(std::lround(m_hover->y()));
        if (x >= 0 && x < view.width && y >= 0 && y < view.height) {
            const auto index = volumeIndexOf(patientAt(QPointF(x, y)));
            std::array<long, 3> voxel{};
            for (int a = 0; a < 3; ++a) voxel[a] = std::lround(index[a]);
            const float value = m_rendered->values[static_cast<size_t>(y) * view.width + x];
            QString line = QString("[%1, %2, %3]").arg(voxel[0]).arg(voxel[1]).arg(voxel[2]);
            if (!std::isnan(value)) line += QString("  %1%2").arg(value, 0, 'g', 6).arg(m_volume->modality == "CT" ? " HU" : "");
            lines << line;
        }
    }
    return lines;
}

// The letters sit at the middles of the edges; the corner blocks keep out of their bands: no
// line reaches the middle column of the top and bottom letters (lines are elided to fit), and
// the blocks stop short of the side letters' row (the last lines are left out). Computed with
// the font's metrics in logical pixels, so at QT_SCALE_FACTOR=2 a 2x2 cell of a 1366x768
// screen (about 330x170 logical pixels) is laid out as that small view, and nothing collides.
SliceViewer::OverlayLayout SliceViewer::overlayLayout() const
{
    OverlayLayout layout;
    const QFontMetricsF metrics(overlayFont());
    const QRectF area = QRectF(rect()).adjusted(6, 6, -6, -6);
    const auto labels = edgeLabels();
    const double gap = 6, lineHeight = metrics.lineSpacing();
    for (int e = 0; e < 4; ++e) {
        const QSizeF size(metrics.horizontalAdvance(labels[e]) + 2, metrics.height());
        QPointF at;
        if (e == 0) at = {area.right() - size.width(), area.center().y() - size.height() / 2};
        if (e == 1) at = {area.left(), area.center().y() - size.height() / 2};
        if (e == 2) at = {area.center().x() - size.width() / 2, area.top()};
        if (e == 3) at = {area.center().x() - size.width() / 2, area.bottom() - size.height()};
        layout.letters[e] = labels[e].isEmpty() ? QRectF(at, QSizeF(0, 0)) : QRectF(at, size);
    }
    const double middle = std::max({layout.letters[2].width(), layout.letters[3].width(), metrics.horizontalAdvance("W")});
    const double maxWidth = std::max(20.0, area.width() / 2 - middle / 2 - gap);
    const QRectF side = layout.letters[0].united(layout.letters[1]);
    const double topRoom = side.top() - gap - area.top(), bottomRoom = area.bottom() - side.bottom() - gap;
    // The notice badge under the top-left lines takes about a line and a half.
    const int badgeLines = notices().isEmpty() ? 0 : 2;
    for (int c = 0; c < 4; ++c) {
        const bool top = c < 2, left = c % 2 == 0;
        const int fit = std::max(0, static_cast<int>(std::floor((top ? topRoom : bottomRoom) / lineHeight)) - (c == 0 ? badgeLines : 0));
        QStringList lines = cornerText(c).mid(0, fit);
        double width = 0;
        for (QString& line : lines) {
            line = metrics.elidedText(line, Qt::ElideRight, maxWidth);
            width = std::max(width, metrics.horizontalAdvance(line));
        }
        const double height = lines.size() * lineHeight;
        const double x = left ? area.left() : area.right() - width, y = top ? area.top() : area.bottom() - height;
        layout.corners[c] = lines.isEmpty() ? QRectF(QPointF(x, y), QSizeF(0, 0)) : QRectF(x, y, width, height);
        layout.cornerLines[c] = lines;
    }
    return layout;
}

void SliceViewer::paintCorners(QPainter& painter)
{
    const OverlayLayout layout = overlayLayout();
    const QFont font = overlayFont();
    const auto labels = edgeLabels();
    for (int e = 0; e < 4; ++e)
        if (!labels[e].isEmpty()) haloText(painter, font, layout.letters[e].topLeft() + QPointF(1, 0), {labels[e]}, kText);
    for (int c = 0; c < 4; ++c) {
        const QStringList& lines = layout.cornerLines[c];
        const QRectF& box = layout.corners[c];
        const QFontMetricsF metrics(font);
        for (int i = 0; i < lines.size(); ++i) { // each line against its corner's outer edge
            const double x = c % 2 == 0 ? box.left() : box.right() - metrics.horizontalAdvance(lines[i]);
            haloText(painter, font, QPointF(x, box.top() + i * metrics.lineSpacing()), {lines[i]}, kText);
        }
    }
    const int margin = 6;
    const QRect area = rect().adjusted(margin, margin, -margin, -margin);
    paintNoticeBadge(painter, area, static_cast<int>(layout.cornerLines[0].size()));
}

// 10, 20, 50 or 100 mm, whichever is nearest a fifth of the view's width. None when the file
// gives no pixel spacing (the 1 mm the picture is laid out with is not a distance); "at
// detector" when only ImagerPixelSpacing gives it (not corrected for magnification).
std::optional<SliceViewer::ScaleBar> SliceViewer::scaleBar() const
{
    if (!m_volume || !m_rendered || m_volume->pixelSpacingSource.empty()) return std::nullopt;
    const double scale = const_cast<SliceViewer*>(this)->renderer()->GetActiveCamera()->GetParallelScale();
    if (scale <= 0) return std::nullopt;
    const QRectF area = QRectF(rect()).adjusted(6, 6, -6, -6);
    const double lineHeight = QFontMetricsF(overlayFont()).height();
    const double pixelsPerMm = height() / (2 * scale);
    ScaleBar bar;
    bar.mm = 10;
    for (double candidate : {20.0, 50.0, 100.0})
        if (candidate * pixelsPerMm <= width() / 4.0) bar.mm = candidate;
    const double barPixels = bar.mm * pixelsPerMm;
    bar.y = area.bottom() - 2 * lineHeight - 4;
    bar.x1 = area.right();
    bar.x0 = bar.x1 - barPixels;
    bar.text = QString(m_volume->pixelSpacingSource == "detector" ? "%1 mm at detector" : "%1 mm").arg(bar.mm, 0, 'f', 0);
    const double textWidth = QFontMetricsF(overlayFont()).horizontalAdvance(bar.text);
    bar.box = QRectF(QPointF(std::min(bar.x0, bar.x1 - textWidth), bar.y - 5), QPointF(bar.x1, bar.y + 3 + lineHeight));
    return bar;
}

void SliceViewer::paintScaleBar(QPainter& painter)
{
    const auto bar = scaleBar();
    if (!bar) return;
    painter.setPen(QPen(kText, 2));
    painter.drawLine(QPointF(bar->x0, bar->y), QPointF(bar->x1, bar->y));
    painter.drawLine(QPointF(bar->x0, bar->y - 4), QPointF(bar->x0, bar->y + 4));
    painter.drawLine(QPointF(bar->x1, bar->y - 4), QPointF(bar->x1, bar->y + 4));
    const QFontMetricsF metrics(overlayFont());
    haloText(painter, overlayFont(), QPointF(bar->x1 - metrics.horizontalAdvance(bar->text), bar->y + 2), {bar->text}, kText);
}

void SliceViewer::paintReferenceLines(QPainter& painter)
{
    if (!m_volume || m_referencePlanes.empty()) return;
    const auto& view = m_rendered->view;
    // The picture plane: P(x, y) = p0 + x ex + y ey; a plane (q, n) cuts it where
    // n.(p0 - q) + x n.ex + y n.ey = 0.
    const auto p0 = patientAt(QPointF(0, 0));
    const auto px = patientAt(QPointF(1, 0));
    const auto py = patientAt(QPointF(0, 1));
    for (const SlicePlane& plane : m_referencePlanes) {
        painter.setPen(plane.colour.isValid() ? QPen(plane.colour, 1.2) : QPen(kReference, 1, Qt::DashLine));
        double a = 0, b = 0, c = 0, parallel = 0;
        for (int i = 0; i < 3; ++i) {
            a += plane.normal[i] * (px[i] - p0[i]);
            b += plane.normal[i] * (py[i] - p0[i]);
            c += plane.normal[i] * (p0[i] - plane.point[i]);
            parallel += plane.normal[i] * view.depthLps[i];
        }
        if (std::abs(parallel) > 0.98) continue; // the same orientation: no line to draw
        QPointF from, to;
        if (std::abs(a) > std::abs(b)) {
            const double y0 = -0.5, y1 = view.height - 0.5;
            from = {-(b * y0 + c) / a, y0};
            to = {-(b * y1 + c) / a, y1};
        } else {
            const double x0 = -0.5, x1 = view.width - 0.5;
            from = {x0, -(a * x0 + c) / b};
            to = {x1, -(a * x1 + c) / b};
        }
        painter.drawLine(widgetOfPicture(from), widgetOfPicture(to));
    }
}

void SliceViewer::paintMeasurements(QPainter& painter)
{
    if (!m_volume || m_volume->seriesUid.empty() || m_oblique) return; // kept on orthogonal views
    const auto& all = MeasurementStore::session().of(m_volume->seriesUid);
    const std::vector<QRectF> labels = layoutLabels(QFontMetricsF(painter.font()));
    size_t visible = 0; // the index into labels: visibleMeasurements()' order
    for (int i = 0; i < static_cast<int>(all.size()); ++i) {
        const Measurement& m = all[i];
        if (m.plane != m_plane || m.slice != m_slice) continue;
        if (m.points.empty()) {
            ++visible;
            continue;
        }
        const QColor colour = i == m_selected ? kSelected : kMeasure;
        painter.setPen(QPen(colour, 1.5));
        painter.setBrush(Qt::NoBrush);
        std::vector<QPointF> at;
        for (const QPointF& p : m.points) at.push_back(widgetOfPicture(p));
        switch (m.kind) {
        case MeasureKind::Distance:
        case MeasureKind::Angle:
            for (size_t p = 1; p < at.size(); ++p) painter.drawLine(at[p - 1], at[p]);
            break;
        case MeasureKind::Rectangle: painter.drawRect(QRectF(at[0], at.back()).normalized()); break;
        case MeasureKind::Ellipse: painter.drawEllipse(QRectF(at[0], at.back()).normalized()); break;
        case MeasureKind::Freehand: {
            QPainterPath path(at[0]);
            for (size_t p = 1; p < at.size(); ++p) path.lineTo(at[p]);
            path.closeSubpath();
            painter.drawPath(path);
            break;
        }
        }
        const size_t handles = m.kind == MeasureKind::Freehand ? 1 : at.size();
        for (size_t p = 0; p < handles; ++p) painter.drawRect(QRectF(at[p] - QPointF(3, 3), QSizeF(6, 6)));
        if (!m.text.isEmpty() && visible < labels.size())
            haloText(painter, painter.font(), labels[visible].topLeft() + QPointF(2, 1), m.text.split('\n'), colour);
        ++visible;
    }
}

std::vector<QRectF> SliceViewer::measurementLabelRects() const
{
    return layoutLabels(QFontMetricsF(overlayFont()));
}

// Each label starts beside the lower right of its shape; it is pushed inside the view, then, if
// it meets a label placed before it or the overlay's text, moved to the nearest free place
// (still inside the view). Same order as visibleMeasurements().
std::vector<QRectF> SliceViewer::layoutLabels(const QFontMetricsF& metrics) const
{
    std::vector<QRectF> placed;
    const QRectF area = QRectF(rect()).adjusted(4, 4, -4, -4);
    // The overlay's own text and scale bar are not to be covered either.
    std::vector<QRectF> taken;
    const OverlayLayout overlay = overlayLayout();
    for (int i = 0; i < 7; ++i) {
        const QRectF& box = i < 4 ? overlay.letters[i] : overlay.corners[i - 4];
        if (!box.isEmpty()) taken.push_back(box.adjusted(-2, -2, 2, 2));
    }
    // The value under the mouse (bottom right) comes and goes: its line is kept free always, so
    // that labels do not jump when the mouse enters the view.
    const QFontMetricsF font(overlayFont());
    const double valueWidth = font.horizontalAdvance("[000, 000, 000]  -0000.0 HU");
    taken.emplace_back(QPointF(width() - 6 - valueWidth, height() - 6 - font.lineSpacing() - 2), QPointF(width(), height()));
    if (const auto bar = scaleBar()) taken.push_back(bar->box);
    for (const Measurement* m : visibleMeasurements()) {
        if (m->points.empty() || m->text.isEmpty()) {
            placed.emplace_back();
            continue;
        }
        const QStringList lines = m->text.split('\n');
        double width = 0;
        for (const QString& line : lines) width = std::max(width, metrics.horizontalAdvance(line));
        const QSizeF size(width + 4, lines.size() * metrics.lineSpacing() + 2);
        QPointF anchor = widgetOfPicture(m->points.back());
        double left = anchor.x();
        for (const QPointF& p : m->points) {
            const QPointF w = widgetOfPicture(p);
            anchor = QPointF(std::max(anchor.x(), w.x()), std::max(anchor.y(), w.y()));
            left = std::min(left, w.x());
        }
        auto inside = [&](QPointF at) {
            return QPointF(std::clamp(at.x(), area.left(), std::max(area.left(), area.right() - size.width())),
                           std::clamp(at.y(), area.top(), std::max(area.top(), area.bottom() - size.height())));
        };
        const QRectF first(inside(anchor + QPointF(8, 4)), size);
        auto free = [&](const QRectF& box) {
            if (!area.contains(box)) return false;
            for (const QRectF& other : placed)
                if (!other.isNull() && other.intersects(box)) return false;
            for (const QRectF& other : taken)
                if (other.intersects(box)) return false;
            return true;
        };
        // Else the nearest free place: beside the shape on either side, above or below any label
        // or overlay text in the way.
        std::vector<double> xs{first.left(), std::max(area.left(), left - 8 - size.width())};
        std::vector<double> ys{first.top()};
        for (const auto* list : {&placed, &taken})
            for (const QRectF& other : *list)
                if (!other.isNull()) ys.insert(ys.end(), {other.bottom() + 2, other.top() - 2 - size.height()});
        QRectF best = first;
        double bestDistance = free(first) ? 0 : 1e300;
        for (double x : xs)
            for (double y : ys) {
                const QRectF box(QPointF(x, y), size);
                const double distance = std::hypot(x - first.left(), y - first.top());
                if (distance < bestDistance && free(box)) {
                    best = box;
                    bestDistance = distance;
                }
            }
        placed.push_back(best);
    }
    return placed;
}

} // namespace lb::viewer
