#include "render/RegularGrid.h"

#include "render/internal/AcquiredStackTransform.h"

#include <itkImage.h>
#include <itkLinearInterpolateImageFunction.h>
#include <itkResampleImageFilter.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace lb::render {

namespace {

using Vec = std::array<double, 3>;
using FloatImage = itk::Image<float, 3>;

constexpr double kMaxSlicesAlongNormal = 2000;

double dot(const Vec& a, const Vec& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
Vec cross(const Vec& a, const Vec& b) { return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]}; }
Vec normalised(Vec v)
{
    const double length = std::sqrt(dot(v, v));
    if (length > 0)
        for (auto& c : v) c /= length;
    return v;
}

// Row, column made orthogonal to it, normal = row x column.
std::array<Vec, 3> orthonormalAxes(const core::VolumeGeometry& g)
{
    const Vec row = normalised({g.direction[0], g.direction[1], g.direction[2]});
    Vec column{g.direction[3], g.direction[4], g.direction[5]};
    const double along = dot(column, row);
    for (int c = 0; c < 3; ++c) column[c] -= along * row[c];
    column = normalised(column);
    return {row, column, normalised(cross(row, column))};
}

bool needsResampling(const core::Volume& volume)
{
    return !volume.regularGrid && volume.hasPatientGeometry && volume.components() == 1 && volume.slicePositions.size() >= 2
        && static_cast<int>(volume.slicePositions.size()) == volume.geometry().dims[2];
}

template <typename T>
void copySlices(const core::Volume& volume, int t, float* out)
{
    const size_t count = volume.sliceVoxels() * static_cast<size_t>(volume.geometry().dims[2]);
    const T* in = reinterpret_cast<const T*>(volume.data()) + static_cast<size_t>(t) * count;
    std::copy(in, in + count, out);
}

void toFloat(const core::Volume& volume, int t, float* out)
{
    switch (volume.pixelType()) {
    case core::PixelType::UInt8: copySlices<uint8_t>(volume, t, out); break;
    case core::PixelType::Int16: copySlices<int16_t>(volume, t, out); break;
    case core::PixelType::UInt16: copySlices<uint16_t>(volume, t, out); break;
    case core::PixelType::Int32: copySlices<int32_t>(volume, t, out); break;
    case core::PixelType::UInt32: copySlices<uint32_t>(volume, t, out); break;
    case core::PixelType::Float32: copySlices<float>(volume, t, out); break;
    }
}

// Rounded to the nearest value of T (linear interpolation of integers gives fractions).
template <typename T>
void storeRounded(const float* in, size_t count, std::byte* destination)
{
    T* out = reinterpret_cast<T*>(destination);
    if constexpr (std::is_floating_point_v<T>) {
        std::copy(in, in + count, out);
    } else {
        const double low = static_cast<double>(std::numeric_limits<T>::lowest()), high = static_cast<double>(std::numeric_limits<T>::max());
        for (size_t i = 0; i < count; ++i) out[i] = static_cast<T>(std::clamp(std::round(static_cast<double>(in[i])), low, high));
    }
}

void fromFloat(const float* in, size_t count, core::PixelType type, std::byte* destination)
{
    switch (type) {
    case core::PixelType::UInt8: storeRounded<uint8_t>(in, count, destination); break;
    case core::PixelType::Int16: storeRounded<int16_t>(in, count, destination); break;
    case core::PixelType::UInt16: storeRounded<uint16_t>(in, count, destination); break;
    case core::PixelType::Int32: storeRounded<int32_t>(in, count, destination); break;
    case core::PixelType::UInt32: storeRounded<uint32_t>(in, count, destination); break;
    case core::PixelType::Float32: storeRounded<float>(in, count, destination); break;
    }
}

} // namespace

core::VolumeGeometry regularGridFor(const core::Volume& acquired)
{
    if (!needsResampling(acquired)) return acquired.geometry();
    const core::VolumeGeometry& g = acquired.geometry();
    const auto [row, column, normal] = orthonormalAxes(g);
    // The acquired extent in (row, column, normal) coordinates: every slice's own rectangle.
    double uLow = std::numeric_limits<double>::infinity(), uHigh = -uLow, vLow = uLow, vHigh = -uLow;
    std::vector<double> distances;
    for (const Vec& origin : acquired.slicePositions) {
        const double u = dot(origin, row), v = dot(origin, column);
        uLow = std::min(uLow, u);
        uHigh = std::max(uHigh, u + (g.dims[0] - 1) * g.spacing[0]);
        vLow = std::min(vLow, v);
        vHigh = std::max(vHigh, v + (g.dims[1] - 1) * g.spacing[1]);
        distances.push_back(dot(origin, normal));
    }
    const double extent = distances.back() - distances.front();
    double finest = std::numeric_limits<double>::infinity();
    for (size_t k = 1; k < distances.size(); ++k)
        if (distances[k] - distances[k - 1] > 0.01) finest = std::min(finest, distances[k] - distances[k - 1]);
    const double step = std::max(std::isfinite(finest) ? finest : 1.0, extent / kMaxSlicesAlongNormal);

    core::VolumeGeometry grid;
    grid.spacing = {g.spacing[0], g.spacing[1], step};
    grid.dims = {static_cast<int>(std::lround((uHigh - uLow) / g.spacing[0])) + 1,
                 static_cast<int>(std::lround((vHigh - vLow) / g.spacing[1])) + 1,
                 static_cast<int>(std::floor(extent / step + 1e-6)) + 1};
    for (int c = 0; c < 3; ++c) {
        grid.origin[c] = row[c] * uLow + column[c] * vLow + normal[c] * distances.front();
        grid.direction[c] = row[c];
        grid.direction[3 + c] = column[c];
        grid.direction[6 + c] = normal[c];
    }
    return grid;
}

core::Result<std::shared_ptr<const core::Volume>> onRegularGrid(std::shared_ptr<const core::Volume> acquired,
                                                               const core::CancelToken* cancel)
{
    if (!acquired || !needsResampling(*acquired)) return acquired;
    const core::Volume& in = *acquired;
    const core::VolumeGeometry& g = in.geometry();
    const core::VolumeGeometry grid = regularGridFor(in);
    const auto [row, column, normal] = orthonormalAxes(g);

    std::vector<bool> usableStep(in.slicePositions.size(), true);
    for (int k : in.gapAfter)
        if (k >= 0 && static_cast<size_t>(k) < usableStep.size()) usableStep[static_cast<size_t>(k)] = false;
    for (int k : in.blankSlices) {
        if (k > 0) usableStep[static_cast<size_t>(k - 1)] = false;
        if (static_cast<size_t>(k) < usableStep.size()) usableStep[static_cast<size_t>(k)] = false;
    }
    auto transform = internal::AcquiredStackTransform::New();
    transform->setStack(row, column, normal, in.slicePositions, usableStep);

    auto out = std::make_shared<core::Volume>(grid, in.timePoints(), in.pixelType(), 1);
    if (out->data() == nullptr)
        return core::makeError(core::ErrorCode::Io, in.seriesUid, "cannot allocate " + std::to_string(out->byteSize()) + " bytes for the resampled grid");
    const double lowest = in.valueRange().first;

    // The input as ITK sees it: stack space (mm along row and column, slice index), identity axes.
    FloatImage::RegionType inputRegion;
    inputRegion.SetSize({static_cast<itk::SizeValueType>(g.dims[0]), static_cast<itk::SizeValueType>(g.dims[1]),
                         static_cast<itk::SizeValueType>(g.dims[2])});
    const double inputSpacing[3] = {g.spacing[0], g.spacing[1], 1.0};
    FloatImage::PointType outputOrigin;
    FloatImage::SpacingType outputSpacing;
    FloatImage::DirectionType outputDirection;
    for (int a = 0; a < 3; ++a) {
        outputOrigin[a] = grid.origin[a];
        outputSpacing[a] = grid.spacing[a];
        for (int c = 0; c < 3; ++c) outputDirection[c][a] = grid.direction[a * 3 + c]; // columns: the axes
    }
    FloatImage::SizeType outputSize{{static_cast<itk::SizeValueType>(grid.dims[0]), static_cast<itk::SizeValueType>(grid.dims[1]),
                                     static_cast<itk::SizeValueType>(grid.dims[2])}};
    const size_t outputVoxels = static_cast<size_t>(grid.dims[0]) * grid.dims[1] * grid.dims[2];

    for (int t = 0; t < in.timePoints(); ++t) {
        if (cancel && cancel->isCancelled()) return core::makeError(core::ErrorCode::Cancelled, in.seriesUid, "resampling cancelled");
        auto input = FloatImage::New();
        input->SetRegions(inputRegion);
        input->SetSpacing(inputSpacing);
        input->Allocate();
        toFloat(in, t, input->GetBufferPointer());

        using Resample = itk::ResampleImageFilter<FloatImage, FloatImage, double>;
        auto resample = Resample::New();
        resample->SetInput(input);
        resample->SetTransform(transform);
        resample->SetInterpolator(itk::LinearInterpolateImageFunction<FloatImage, double>::New());
        resample->SetDefaultPixelValue(static_cast<float>(lowest));
        resample->SetSize(outputSize);
        resample->SetOutputOrigin(outputOrigin);
        resample->SetOutputSpacing(outputSpacing);
        resample->SetOutputDirection(outputDirection);
        try {
            resample->Update();
        } catch (const itk::ExceptionObject& error) {
            return core::makeError(core::ErrorCode::Io, in.seriesUid, std::string("resampling failed: ") + error.GetDescription());
        }
        fromFloat(resample->GetOutput()->GetBufferPointer(), outputVoxels, in.pixelType(),
                  out->data() + static_cast<size_t>(t) * outputVoxels * core::bytesPerVoxel(in.pixelType()));
    }

    out->seriesUid = in.seriesUid;
    out->frameOfReferenceUid = in.frameOfReferenceUid;
    out->modality = in.modality;
    out->sliceThicknessMm = in.sliceThicknessMm;
    out->photometricInterpretation = in.photometricInterpretation;
    out->storedWindow = in.storedWindow;
    out->storedVoiFunction = in.storedVoiFunction;
    out->storedVoiLut = in.storedVoiLut;
    out->warnings = in.warnings;
    out->patientOrientation = in.patientOrientation;
    out->pixelSpacingSource = in.pixelSpacingSource;
    out->gantryTiltDegrees = in.gantryTiltDegrees;
    out->resampled = true;
    for (int k = 0; k < grid.dims[2]; ++k)
        out->slicePositions.push_back({grid.origin[0] + normal[0] * grid.spacing[2] * k, grid.origin[1] + normal[1] * grid.spacing[2] * k,
                                       grid.origin[2] + normal[2] * grid.spacing[2] * k});
    return std::shared_ptr<const core::Volume>(std::move(out));
}

} // namespace lb::render
