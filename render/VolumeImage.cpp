#include "render/VolumeImage.h"

#include <vtkAOSDataArrayTemplate.h>
#include <vtkImageData.h>
#include <vtkMatrix4x4.h>
#include <vtkPointData.h>

#include <mutex>
#include <unordered_map>

namespace lb::render {
namespace {

// VTK frees array memory through a plain function pointer: it cannot hold a shared_ptr, so the
// volumes lent to VTK are kept here, one entry per loan, until VTK calls back.
std::mutex g_loansMutex;
std::unordered_multimap<void*, std::shared_ptr<const core::Volume>> g_loans;

void endLoan(void* data)
{
    std::lock_guard lock(g_loansMutex);
    if (auto found = g_loans.find(data); found != g_loans.end()) g_loans.erase(found);
}

template <typename T>
vtkSmartPointer<vtkDataArray> lend(const std::shared_ptr<const core::Volume>& volume, size_t offset, size_t count)
{
    auto array = vtkSmartPointer<vtkAOSDataArrayTemplate<T>>::New();
    // VTK wants a mutable pointer; nothing in the display pipeline writes to its input.
    T* data = const_cast<T*>(reinterpret_cast<const T*>(volume->data())) + offset;
    {
        std::lock_guard lock(g_loansMutex);
        g_loans.emplace(data, volume);
    }
    array->SetNumberOfComponents(volume->components());
    array->SetArray(data, static_cast<vtkIdType>(count), 0, vtkAbstractArray::VTK_DATA_ARRAY_USER_DEFINED);
    array->SetArrayFreeFunction(endLoan);
    return array;
}

} // namespace

vtkSmartPointer<vtkImageData> wrapVolume(std::shared_ptr<const core::Volume> volume, int timePoint)
{
    const auto& g = volume->geometry();
    auto image = vtkSmartPointer<vtkImageData>::New();
    image->SetDimensions(g.dims[0], g.dims[1], g.dims[2]);
    image->SetSpacing(g.spacing[0], g.spacing[1], g.spacing[2]);
    image->SetOrigin(0, 0, 0);
    const size_t perTimePoint = static_cast<size_t>(g.dims[0]) * g.dims[1] * g.dims[2] * volume->components();
    const size_t offset = perTimePoint * static_cast<size_t>(timePoint);
    vtkSmartPointer<vtkDataArray> scalars;
    switch (volume->pixelType()) {
    case core::PixelType::UInt8: scalars = lend<uint8_t>(volume, offset, perTimePoint); break;
    case core::PixelType::Int16: scalars = lend<int16_t>(volume, offset, perTimePoint); break;
    case core::PixelType::UInt16: scalars = lend<uint16_t>(volume, offset, perTimePoint); break;
    case core::PixelType::Int32: scalars = lend<int32_t>(volume, offset, perTimePoint); break;
    case core::PixelType::UInt32: scalars = lend<uint32_t>(volume, offset, perTimePoint); break;
    case core::PixelType::Float32: scalars = lend<float>(volume, offset, perTimePoint); break;
    }
    scalars->SetName("modality values");
    image->GetPointData()->SetScalars(scalars);
    return image;
}

vtkSmartPointer<vtkMatrix4x4> patientMatrix(const core::VolumeGeometry& g)
{
    auto matrix = vtkSmartPointer<vtkMatrix4x4>::New();
    for (int axis = 0; axis < 3; ++axis)
        for (int row = 0; row < 3; ++row) matrix->SetElement(row, axis, g.direction[axis * 3 + row]);
    for (int row = 0; row < 3; ++row) matrix->SetElement(row, 3, g.origin[row]);
    return matrix;
}

} // namespace lb::render
