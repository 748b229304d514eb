// What SliceViewer draws over the image, in logical pixels: the four corners of text (slice and
// position top left, patient and study top right, window and zoom bottom left, the voxel under
// the mouse bottom right), orientation letters at the edges, a scale bar, the crosshair, the
// reference lines of other views and the measurements of this slice.
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

void shadowedText(QPainter& painter, const QRect& box, int flags, const QString& text, const QColor& colour = kText)
{
    painter.setPen(Qt::black); // a shadow keeps the text readable on bright tissue
    painter.drawText(box.translated(1, 1), flags, text);
    painter.setPen(colour);
    painter.drawText(box, flags, text);
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
    QFont font = painter.font();
    font.setPixelSize(std::max(11, height() / 45));
    painter.setFont(font);
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

void SliceViewer::paintCorners(QPainter& painter)
{
    const auto& view = m_rendered->view;
    const int margin = 6;
    const QRect area = rect().adjusted(margin, margin, -margin, -margin);
    const auto labels = edgeLabels();
    shadowedText(painter, area, Qt::AlignRight | Qt::AlignVCenter, labels[0]);
    shadowedText(painter, area, Qt::AlignLeft | Qt::AlignVCenter, labels[1]);
    shadowedText(painter, area, Qt::AlignHCenter | Qt::AlignTop, labels[2]);
    shadowedText(painter, area, Qt::AlignHCenter | Qt::AlignBottom, labels[3]);

    QStringList topLeft;
    const QString planeName = m_rendered->imageView ? QString("image") : QString(render::viewPlaneName(m_plane));
    if (m_oblique) topLeft << QString("%1, oblique").arg(planeName);
    else topLeft << QString("%1  %2 / %3").arg(planeName).arg(m_slice + 1).arg(view.depthCount);
    if (!m_rendered->imageView) topLeft << QString("%1 mm").arg(m_rendered->positionMm, 0, 'f', 1);
    if (m_volume && m_volume->sliceThicknessMm > 0) topLeft << QString("thk %1 mm").arg(m_volume->sliceThicknessMm, 0, 'g', 3);
    if (m_slabMm > 0)
        topLeft << QString("%1 slab %2 mm (%3 slices)").arg(slabModeName(m_slabMode)).arg(m_slabMm, 0, 'g', 3).arg(m_rendered->slabSlices);
    shadowedText(painter, area, Qt::AlignLeft | Qt::AlignTop, topLeft.join('\n'));
    paintNoticeBadge(painter, area, static_cast<int>(topLeft.size()));
    shadowedText(painter, area, Qt::AlignRight | Qt::AlignTop, m_information.join('\n'));

    QStringList bottomLeft;
    QString windowLine = QString("W %1  L %2").arg(m_window.width, 0, 'f', 0).arg(m_window.center, 0, 'f', 0);
    if (m_rendered->voi == "table")
        windowLine = "VOI LUT" + (m_volume && m_volume->storedVoiLut && !m_volume->storedVoiLut->explanation.empty()
                                      ? " " + QString::fromStdString(m_volume->storedVoiLut->explanation)
                                      : QString());
    else if (m_rendered->voi != "linear")
        windowLine += "  " + QString::fromStdString(m_rendered->voi);
    if (!m_presetName.isEmpty()) windowLine += "  (" + m_presetName + ")";
    if (m_colourMap != "grey") windowLine += "  " + m_colourMap;
    bottomLeft << windowLine;
    QString zoomLine = QString("Zoom %1x").arg(m_zoom, 0, 'f', 2);
    if (m_turns != 0) zoomLine += QString("  rot %1").arg(m_turns * 90);
    if (m_flipped) zoomLine += "  flip";
    if (m_linear) zoomLine += "  linear";
    bottomLeft << zoomLine;
    if (!m_linkText.isEmpty()) bottomLeft << m_linkText;
    shadowedText(painter, area, Qt::AlignLeft | Qt::AlignBottom, bottomLeft.join('\n'));

    if (m_hover && m_volume) {
        const int x = static_cast<int>(std::lround(m_hover->x())), y = static_cast<int>(std::lround(m_hover->y()));
        if (x >= 0 && x < view.width && y >= 0 && y < view.height) {
            const auto index = volumeIndexOf(patientAt(QPointF(x, y)));
            std::array<long, 3> voxel{};
            for (int a = 0; a < 3; ++a) voxel[a] = std::lround(index[a]);
            const float value = m_rendered->values[static_cast<size_t>(y) * view.width + x];
            QString line = QString("[%1, %2, %3]").arg(voxel[0]).arg(voxel[1]).arg(voxel[2]);
            if (!std::isnan(value)) line += QString("  %1%2").arg(value, 0, 'g', 6).arg(m_volume->modality == "CT" ? " HU" : "");
            shadowedText(painter, area, Qt::AlignRight | Qt::AlignBottom, line);
        }
    }
}

void SliceViewer::paintScaleBar(QPainter& painter)
{
    // 10, 20, 50 or 100 mm, whichever is nearest a fifth of the view's width. None when the file
    // gives no pixel spacing (the 1 mm the picture is laid out with is not a distance); "at
    // detector" when only ImagerPixelSpacing gives it (not corrected for magnification).
    if (!m_volume || m_volume->pixelSpacingSource.empty()) return;
    const bool atDetector = m_volume->pixelSpacingSource == "detector";
    const double scale = renderer()->GetActiveCamera()->GetParallelScale();
    if (scale <= 0) return;
    const QRect area = rect().adjusted(6, 6, -6, -6);
    const int lineHeight = painter.fontMetrics().height();
    const double pixelsPerMm = height() / (2 * scale);
    double barMm = 10;
    for (double candidate : {20.0, 50.0, 100.0})
        if (candidate * pixelsPerMm <= width() / 4.0) barMm = candidate;
    const int barPixels = static_cast<int>(barMm * pixelsPerMm);
    const int x1 = area.right(), x0 = x1 - barPixels, y = area.bottom() - 2 * lineHeight - 4;
    painter.setPen(QPen(kText, 2));
    painter.drawLine(x0, y, x1, y);
    painter.drawLine(x0, y - 4, x0, y + 4);
    painter.drawLine(x1, y - 4, x1, y + 4);
    shadowedText(painter, QRect(x0 - 120, y + 2, barPixels + 120, lineHeight + 2), Qt::AlignRight | Qt::AlignTop,
                 QString(atDetector ? "%1 mm at detector" : "%1 mm").arg(barMm, 0, 'f', 0));
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
    for (int i = 0; i < static_cast<int>(all.size()); ++i) {
        const Measurement& m = all[i];
        if (m.plane != m_plane || m.slice != m_slice || m.points.empty()) continue;
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
        if (!m.text.isEmpty()) {
            QPointF anchor = at.back();
            for (const QPointF& p : at) anchor = QPointF(std::max(anchor.x(), p.x()), std::max(anchor.y(), p.y()));
            shadowedText(painter, QRect(anchor.toPoint() + QPoint(8, 4), QSize(260, 80)), Qt::AlignLeft | Qt::AlignTop, m.text,
                         colour);
        }
    }
}

} // namespace lb::viewer
