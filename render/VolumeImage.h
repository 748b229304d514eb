#pragma once
// A core Volume as vtkImageData without copying its voxels: the image's scalars point into the
// volume's buffer and keep the volume alive until VTK lets go of them. The image is in voxel
// space scaled by the spacing (origin 0, identity direction); patientMatrix() places it in
// patient LPS millimetres (for an actor's or volume's user matrix), so every mapper, with or
// without direction-matrix support, draws it where the patient is.
#include "core/Volume.h"

#include <vtkSmartPointer.h>

#include <array>
#include <memory>

class vtkImageData;
class vtkMatrix4x4;

namespace lb::render {

vtkSmartPointer<vtkImageData> wrapVolume(std::shared_ptr<const core::Volume> volume, int timePoint = 0);
vtkSmartPointer<vtkMatrix4x4> patientMatrix(const core::VolumeGeometry& geometry);

} // namespace lb::render
