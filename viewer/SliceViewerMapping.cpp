// SliceViewer's coordinates: widget points (logical pixels), picture pixels (the native picture:
// x right, y down, centres on whole numbers), patient positions (LPS mm) and voxels, through the
// camera and the frame each RenderedSlice carries (the same for orthogonal and oblique pictures);
// and the patient directions the screen edges show.
#include "viewer/SliceViewer.h"

#include <vtkCamera.h>
#include <vtkRenderer.h>

#include <cmath>

namespace lb::viewer {

std::array<double, 3> SliceViewer::patientAt(QPointF picture) const
{
    if (!m_rendered) return {};
    std::array<double, 3> p{};
    for (int c = 0; c < 3; ++c)
        p[c] = m_rendered->pictureOrigin[c] + picture.x() * m_rendered->pictureRight[c] + picture.y() * m_rendered->pictureDown[c];
    return p;
}

QPointF SliceViewer::pictureOf(const std::array<double, 3>& lps) const
{
    if (!m_rendered) return {};
    // The picture's axes are perpendicular: project on each.
    const auto& r = m_rendered->pictureRight;
    const auto& d = m_rendered->pictureDown;
    double x = 0, y = 0, rr = 0, dd = 0;
    for (int c = 0; c < 3; ++c) {
        const double offset = lps[c] - m_rendered->pictureOrigin[c];
        x += offset * r[c];
        y += offset * d[c];
        rr += r[c] * r[c];
        dd += d[c] * d[c];
    }
    return {rr > 0 ? x / rr : 0, dd > 0 ? y / dd : 0};
}

QPointF SliceViewer::pictureOfWidget(QPointF widget) const
{
    if (!m_rendered) return {};
    const auto& view = m_rendered->view;
    // Widget (logical, y down) -> display (device, y up) -> world (image mm) -> picture pixel.
    const double ratio = devicePixelRatioF();
    renderer()->SetDisplayPoint(widget.x() * ratio, deviceSize().height() - widget.y() * ratio, 0);
    renderer()->DisplayToWorld();
    double world[4];
    renderer()->GetWorldPoint(world);
    if (world[3] != 0)
        for (double& c : world) c /= world[3];
    return {world[0] / view.pixelWidthMm, view.height - 1 - world[1] / view.pixelHeightMm};
}

QPointF SliceViewer::widgetOfPicture(QPointF picture) const
{
    if (!m_rendered) return {};
    const auto& view = m_rendered->view;
    renderer()->SetWorldPoint(picture.x() * view.pixelWidthMm, (view.height - 1 - picture.y()) * view.pixelHeightMm, 0, 1);
    renderer()->WorldToDisplay();
    double display[3];
    renderer()->GetDisplayPoint(display);
    const double ratio = devicePixelRatioF();
    return QPointF(display[0] / ratio, (deviceSize().height() - display[1]) / ratio);
}

std::optional<std::array<int, 3>> SliceViewer::voxelAt(QPointF point) const
{
    if (!m_rendered || !m_volume) return std::nullopt;
    const auto& view = m_rendered->view;
    const QPointF picture = pictureOfWidget(point);
    const int x = static_cast<int>(std::lround(picture.x())), y = static_cast<int>(std::lround(picture.y()));
    if (x < 0 || x >= view.width || y < 0 || y >= view.height) return std::nullopt;
    // Through the picture's own frame: the same for orthogonal and oblique pictures.
    const auto index = volumeIndexOf(patientAt(QPointF(x, y)));
    std::array<int, 3> voxel{};
    for (int a = 0; a < 3; ++a) voxel[a] = static_cast<int>(std::lround(index[a]));
    if (!m_volume->contains(voxel[0], voxel[1], voxel[2], 0)) return std::nullopt;
    return voxel;
}

std::array<double, 3> SliceViewer::volumeIndexOf(const std::array<double, 3>& lps) const
{
    // An acquired slice of a tilted or unevenly spaced stack is not on the nominal grid: its
    // own origin gives i and j, and k is the slice shown.
    const auto own = m_volume->ownSliceGeometry(m_slice);
    if (!m_oblique && m_rendered && m_rendered->view.depth.volumeAxis == 2 && !m_volume->regularGrid && own
        && m_volume->slicePositions.size() == static_cast<size_t>(m_volume->geometry().dims[2])) {
        auto index = render::voxelIndexOf(*own, lps);
        index[2] = m_slice;
        return index;
    }
    return render::voxelIndexOf(m_volume->geometry(), lps);
}

std::optional<QPointF> SliceViewer::widgetPointOf(const std::array<int, 3>& voxel) const
{
    if (!m_rendered || !m_volume) return std::nullopt;
    if (const auto own = m_volume->ownSliceGeometry(voxel[2]); own && !m_volume->regularGrid)
        return widgetOfPicture(pictureOf(render::patientPosition(*own, {double(voxel[0]), double(voxel[1]), 0.0})));
    const auto lps = render::patientPosition(m_volume->geometry(), {double(voxel[0]), double(voxel[1]), double(voxel[2])});
    return widgetOfPicture(pictureOf(lps));
}

std::optional<SlicePlane> SliceViewer::slicePlane() const
{
    if (!m_rendered || !m_volume) return std::nullopt;
    const auto& view = m_rendered->view;
    SlicePlane plane;
    plane.point = patientAt(QPointF((view.width - 1) / 2.0, (view.height - 1) / 2.0));
    plane.normal = view.depthLps;
    plane.frameOfReferenceUid = m_volume->frameOfReferenceUid;
    return plane;
}

std::array<QString, 4> SliceViewer::edgeLabels() const
{
    if (!m_rendered) return {};
    const auto& view = m_rendered->view;
    if (m_rendered->imageView && view.rightLabel.empty()) return {}; // no PatientOrientation: no letters
    vtkCamera* camera = renderer()->GetActiveCamera();
    double up[3], direction[3];
    camera->GetViewUp(up);
    camera->GetDirectionOfProjection(direction);
    const double right[2] = {direction[1] * up[2] - direction[2] * up[1], direction[2] * up[0] - direction[0] * up[2]};
    // World x is the picture's right (rightLps), world y its top (-downLps).
    auto patient = [&](double wx, double wy) {
        if (m_rendered->imageView) { // PatientOrientation's letters, turned and flipped with the picture
            if (std::abs(wx) >= std::abs(wy)) return QString::fromStdString(wx > 0 ? view.rightLabel : view.leftLabel);
            return QString::fromStdString(wy > 0 ? view.topLabel : view.bottomLabel);
        }
        std::array<double, 3> lps{};
        for (int c = 0; c < 3; ++c) lps[c] = wx * view.rightLps[c] - wy * view.downLps[c];
        return QString::fromStdString(render::orientationLabel(lps));
    };
    return {patient(right[0], right[1]), patient(-right[0], -right[1]), patient(up[0], up[1]), patient(-up[0], -up[1])};
}

} // namespace lb::viewer
