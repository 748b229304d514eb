#pragma once
// Orthogonal views in the patient's orientation, radiological convention:
//   axial:    patient left on screen right, anterior at the top, looking from the feet;
//   coronal:  patient left on screen right, head at the top;
//   sagittal: anterior on screen left, head at the top.
// Each screen axis (and the depth axis) takes the volume axis closest to the wanted patient
// direction, flipped when it points the other way: one voxel per pixel, no interpolation.
// When the volume is oblique to the patient axes that is the nearest orthogonal view and the
// orientation labels say where the screen axes really point.
#include "core/Volume.h"

#include <array>
#include <string>

namespace lb::render {

enum class ViewPlane { Axial, Coronal, Sagittal };

const char* viewPlaneName(ViewPlane plane);
bool parseViewPlane(const std::string& text, ViewPlane& out);

struct AxisMapping {
    int volumeAxis = 0;    // 0 = i (columns), 1 = j (rows), 2 = k (slices)
    bool reversed = false; // screen index 0 is the volume axis' last voxel
};

struct ViewGeometry {
    AxisMapping screenX, screenY, depth;
    int width = 0, height = 0, depthCount = 0; // voxels along each
    double pixelWidthMm = 1, pixelHeightMm = 1, depthSpacingMm = 1;
    std::array<double, 3> rightLps{}, downLps{}, depthLps{}; // unit vectors on screen, in LPS
    // "L", "A", "LA" ... toward the right / left / top / bottom edges of the screen.
    std::string rightLabel, leftLabel, topLabel, bottomLabel;
    bool obliqueToPatient = false; // the nearest orthogonal view of an oblique volume
};

ViewGeometry viewGeometry(const core::VolumeGeometry& geometry, ViewPlane plane);

// The orthogonal view nearest the plane the images were acquired in (the slice normal's
// nearest patient axis): a sagittal MR opens sagittal, a scout (one coronal image) coronal.
ViewPlane acquisitionPlane(const core::VolumeGeometry& geometry);

// The patient directions (LPS unit vectors) of screen right, screen down and depth for a view.
std::array<std::array<double, 3>, 3> patientAxes(ViewPlane plane);

// The LPS position (mm) of a continuous voxel index (i, j, k): voxel centres at whole numbers.
std::array<double, 3> patientPosition(const core::VolumeGeometry& geometry, const std::array<double, 3>& index);

// The LPS position (mm) of a continuous pixel (x right, y down) of an orthogonal view's native
// picture at volume slice `slice` along the depth axis.
std::array<double, 3> picturePosition(const core::VolumeGeometry& geometry, const ViewGeometry& view, int slice, double x,
                                      double y);

// The continuous voxel index (i, j, k) at an LPS position (mm): patientPosition's inverse.
std::array<double, 3> voxelIndexOf(const core::VolumeGeometry& geometry, const std::array<double, 3>& lps);

// The patient coordinate (LPS mm, along depthLps) of depth index `d` through the volume's centre.
double depthPosition(const core::VolumeGeometry& geometry, const ViewGeometry& view, int depthIndex);

// An image without patient geometry (no ImageOrientationPatient: CR, DX, secondary capture)
// is shown as stored (columns to the right, rows down) in the `image` view; its edge letters
// come from PatientOrientation (toward the row's end = right edge, toward the column's end =
// bottom edge; the opposite letters on the other edges: R\F gives right R, left L, bottom F,
// top H) or are empty when the file does not say.
ViewGeometry imageViewGeometry(const core::VolumeGeometry& geometry, const std::array<std::string, 2>& patientOrientation);

// The opposite of a PatientOrientation direction: "L" for "R", "HP" for "FA".
std::string oppositeDirection(const std::string& letters);

// Letters of the patient directions a unit LPS vector points to ("L", "PS", ...), strongest first.
std::string orientationLabel(const std::array<double, 3>& lps);

} // namespace lb::render
