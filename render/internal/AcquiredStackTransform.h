#pragma once
// An ITK transform from patient space (LPS mm) to the "acquired stack space" of a tilted or
// unevenly spaced stack: (x mm along the row, y mm along the column, k) where k is the
// continuous slice index. ResampleImageFilter asks it, for each voxel of the regular output
// grid, where that point lies among the acquired slices:
//   - k comes from the point's distance along the normal, piecewise linear between the
//     acquired slices' own distances (any increment);
//   - x and y are measured from the slice origin interpolated at k (a tilted stack's origins
//     slide in-plane from slice to slice);
//   - a point outside the acquired slices, or between two slices separated by a gap, maps far
//     outside the input, so it takes the filter's default (lowest) value.
// Lives only in RegularGrid.cpp (ITK stays out of every other header).
#include <itkTransform.h>

#include <array>
#include <vector>

namespace lb::render::internal {

class AcquiredStackTransform : public itk::Transform<double, 3, 3> {
public:
    ITK_DISALLOW_COPY_AND_MOVE(AcquiredStackTransform);
    using Self = AcquiredStackTransform;
    using Superclass = itk::Transform<double, 3, 3>;
    using Pointer = itk::SmartPointer<Self>;
    using ConstPointer = itk::SmartPointer<const Self>;
    itkNewMacro(Self);
    itkTypeMacro(AcquiredStackTransform, Transform);

    using Vec = std::array<double, 3>;
    // row, column, normal: orthonormal; origins: each slice's IPP, ascending along the normal;
    // usableStep[k]: whether points between slice k and k + 1 may be interpolated.
    void setStack(const Vec& row, const Vec& column, const Vec& normal, std::vector<Vec> origins, std::vector<bool> usableStep);

    OutputPointType TransformPoint(const InputPointType& point) const override;

    // A geometric mapping with no parameters to optimise: the rest of the Transform interface
    // is empty on purpose.
    void SetParameters(const ParametersType&) override {}
    void SetFixedParameters(const FixedParametersType&) override {}
    void ComputeJacobianWithRespectToParameters(const InputPointType&, JacobianType& jacobian) const override
    {
        jacobian.SetSize(3, 0);
    }

protected:
    AcquiredStackTransform() : Superclass(0) {} // no parameters
    ~AcquiredStackTransform() override = default;

private:
    Vec m_row{}, m_column{}, m_normal{};
    std::vector<Vec> m_origins;
    std::vector<double> m_distances; // of each origin along the normal
    std::vector<bool> m_usableStep;
};

} // namespace lb::render::internal
