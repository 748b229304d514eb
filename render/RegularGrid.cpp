#include "render/RegularGrid.h"

#include "render/Vec3.h"

#include "render/ItkHeadersBegin.h"
#include <itkAffineTransform.h>
#include <itkImage.h>
#include <itkLinearInterpolateImageFunction.h>
#include <itkResampleImageFilter.h>
#include "render/ItkHeadersEnd.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace lb::render {

namespace {

using Vec = Vec3;
using FloatImage = itk::Image<float, 3>;

constexpr double kMaxSlicesAlongNormal = 2000;

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

// Rounded to the nearest value of T (linear interpolation of integers gives fractions); float
// arithmetic so the loop vectorises.
template <typename T>
void storeRounded(const float* in, size_t count, std::byte* destination)
{
    T* out = reinterpret_cast<T*>(destination);
    if constexpr (std::is_floating_point_v<T>) {
        std::copy(in, in + count, out);
    } else {
        const float low = static_cast<float>(std::numeric_limits<T>::lowest()), high = static_cast<float>(std::numeric_limits<T>::max());
        for (size_t i = 0; i < count; ++i) {
            const float v = std::clamp(in[i], low, high);
            out[i] = static_cast<T>(v + (v >= 0 ? 0.5f : -0.5f));
        }
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

namespace {

// A run of acquired slices [first, last] with the same step along the normal and the same
// in-plane slide from one to the next: between them the map from patient space to stack space
// is affine, so ITK resamples it on its fast linear path.
struct Segment {
    int first = 0, last = 0;
};

std::vector<Segment> affineSegments(const core::Volume& in, const std::vector<double>& distances)
{
    const auto& p = in.slicePositions;
    std::vector<bool> usable(p.size() - 1, true); // the step from k to k + 1
    for (int k : in.gapAfter)
        if (k >= 0 && static_cast<size_t>(k) < usable.size()) usable[static_cast<size_t>(k)] = false;
    for (int k : in.blankSlices) {
        if (k > 0) usable[static_cast<size_t>(k - 1)] = false;
        if (static_cast<size_t>(k) < usable.size()) usable[static_cast<size_t>(k)] = false;
    }
    auto sameStep = [&](size_t a, size_t b) {
        for (int c = 0; c < 3; ++c)
            if (std::abs((p[a + 1][c] - p[a][c]) - (p[b + 1][c] - p[b][c])) > 1e-3) return false;
        return std::abs((distances[a + 1] - distances[a]) - (distances[b + 1] - distances[b])) <= 1e-3;
    };
    std::vector<Segment> segments;
    for (size_t k = 0; k < usable.size(); ++k) {
        if (!usable[k]) continue;
        if (!segments.empty() && segments.back().last == static_cast<int>(k) && sameStep(k - 1, k)) segments.back().last = static_cast<int>(k + 1);
        else segments.push_back({static_cast<int>(k), static_cast<int>(k + 1)});
    }
    return segments;
}

// Patient point -> stack space (mm along the row, mm along the column, continuous slice index)
// inside one segment: k grows with the distance along the normal, and the slice origin slides
// with k from the segment's first slice.
itk::AffineTransform<double, 3>::Pointer segmentTransform(const core::Volume& in, const std::vector<double>& distances,
                                                          const Segment& segment, const std::array<Vec, 3>& axes)
{
    const auto& [row, column, normal] = axes;
    const Vec& origin = in.slicePositions[static_cast<size_t>(segment.first)];
    const Vec& next = in.slicePositions[static_cast<size_t>(segment.first + 1)];
    const double step = distances[static_cast<size_t>(segment.first) + 1] - distances[static_cast<size_t>(segment.first)];
    const Vec slide{next[0] - origin[0], next[1] - origin[1], next[2] - origin[2]};
    const double d0 = distances[static_cast<size_t>(segment.first)];
    itk::Matrix<double, 3, 3> matrix;
    itk::Vector<double, 3> offset;
    const Vec inPlane[2] = {row, column};
    for (int r = 0; r < 2; ++r) {
        const double slidePerMm = dot(slide, inPlane[r]) / step; // in-plane shift per mm along the normal
        for (int c = 0; c < 3; ++c) matrix[r][c] = inPlane[r][c] - slidePerMm * normal[c];
        offset[r] = -dot(origin, inPlane[r]) + slidePerMm * d0;
    }
    for (int c = 0; c < 3; ++c) matrix[2][c] = normal[c] / step;
    offset[2] = segment.first - d0 / step;
    auto transform = itk::AffineTransform<double, 3>::New();
    transform->SetMatrix(matrix);
    transform->SetOffset(offset);
    return transform;
}

} // namespace

core::Result<std::shared_ptr<const core::Volume>> onRegularGrid(std::shared_ptr<const core::Volume> acquired,
                                                               const core::CancelToken* cancel)
{
    if (!acquired || !needsResampling(*acquired)) return acquired;
    const core::Volume& in = *acquired;
    const core::VolumeGeometry& g = in.geometry();
    const core::VolumeGeometry grid = regularGridFor(in);
    const auto axes = orthonormalAxes(g);
    const Vec& normal = axes[2];
    std::vector<double> distances;
    for (const Vec& position : in.slicePositions) distances.push_back(dot(position, normal));
    const auto segments = affineSegments(in, distances);

    auto out = std::make_shared<core::Volume>(grid, in.timePoints(), in.pixelType(), 1);
    if (out->data() == nullptr)
        return core::makeError(core::ErrorCode::Io, in.seriesUid, "cannot allocate " + std::to_string(out->byteSize()) + " bytes for the resampled grid");
    const double lowest = in.valueRange().first;

    // The input as ITK sees it: stack space (mm along row and column, slice index), identity axes.
    FloatImage::RegionType inputRegion;
    inputRegion.SetSize({static_cast<itk::SizeValueType>(g.dims[0]), static_cast<itk::SizeValueType>(g.dims[1]),
                         static_cast<itk::SizeValueType>(g.dims[2])});
    const double inputSpacing[3] = {g.spacing[0], g.spacing[1], 1.0};
    FloatImage::SpacingType outputSpacing;
    FloatImage::DirectionType outputDirection;
    for (int a = 0; a < 3; ++a) {
        outputSpacing[a] = grid.spacing[a];
        for (int c = 0; c < 3; ++c) outputDirection[c][a] = grid.direction[a * 3 + c]; // columns: the axes
    }
    const size_t sliceVoxels = static_cast<size_t>(grid.dims[0]) * grid.dims[1];
    const size_t outputVoxels = sliceVoxels * grid.dims[2];
    // Which output slices each segment fills (by their distance along the normal); the others
    // (gaps) keep the lowest value.
    std::vector<std::pair<int, int>> slabs(segments.size(), {0, -1}); // first, last output slice
    for (size_t s = 0; s < segments.size(); ++s) {
        const double from = distances[static_cast<size_t>(segments[s].first)] - 1e-3, to = distances[static_cast<size_t>(segments[s].last)] + 1e-3;
        slabs[s].first = std::max(0, static_cast<int>(std::ceil((from - distances.front()) / grid.spacing[2])));
        slabs[s].second = std::min(grid.dims[2] - 1, static_cast<int>(std::floor((to - distances.front()) / grid.spacing[2])));
        if (s > 0) slabs[s].first = std::max(slabs[s].first, slabs[s - 1].second + 1);
    }
    // Output slices without a segment (gaps) hold the lowest value.
    const size_t voxelBytes = core::bytesPerVoxel(in.pixelType());
    const std::vector<float> lowestSlice(sliceVoxels, static_cast<float>(lowest));
    // ITK's output in slabs of a few slices: buffers of the same size come back from the heap
    // instead of fresh pages for the whole grid.
    constexpr int kSlicesPerRun = 8;

    for (int t = 0; t < in.timePoints(); ++t) {
        if (cancel && cancel->isCancelled()) return core::makeError(core::ErrorCode::Cancelled, in.seriesUid, "resampling cancelled");
        auto input = FloatImage::New();
        input->SetRegions(inputRegion);
        input->SetSpacing(inputSpacing);
        input->Allocate();
        toFloat(in, t, input->GetBufferPointer());
        std::byte* volumeStart = out->data() + static_cast<size_t>(t) * outputVoxels * voxelBytes;
        std::vector<bool> filled(static_cast<size_t>(grid.dims[2]), false);
        for (size_t s = 0; s < segments.size(); ++s) {
            const auto transform = segmentTransform(in, distances, segments[s], axes);
            for (int firstSlice = slabs[s].first; firstSlice <= slabs[s].second; firstSlice += kSlicesPerRun) {
                const int count = std::min(kSlicesPerRun, slabs[s].second - firstSlice + 1);
                FloatImage::PointType slabOrigin;
                for (int c = 0; c < 3; ++c) slabOrigin[c] = grid.origin[c] + normal[c] * grid.spacing[2] * firstSlice;
                using Resample = itk::ResampleImageFilter<FloatImage, FloatImage, double>;
                auto resample = Resample::New();
                resample->SetInput(input);
                resample->SetTransform(transform);
                resample->SetInterpolator(itk::LinearInterpolateImageFunction<FloatImage, double>::New());
                resample->SetDefaultPixelValue(static_cast<float>(lowest));
                resample->SetSize({{static_cast<itk::SizeValueType>(grid.dims[0]), static_cast<itk::SizeValueType>(grid.dims[1]),
                                    static_cast<itk::SizeValueType>(count)}});
                resample->SetOutputOrigin(slabOrigin);
                resample->SetOutputSpacing(outputSpacing);
                resample->SetOutputDirection(outputDirection);
                try {
                    resample->Update();
                } catch (const itk::ExceptionObject& error) {
                    return core::makeError(core::ErrorCode::Io, in.seriesUid, std::string("resampling failed: ") + error.GetDescription());
                }
                fromFloat(resample->GetOutput()->GetBufferPointer(), sliceVoxels * static_cast<size_t>(count), in.pixelType(),
                          volumeStart + sliceVoxels * voxelBytes * static_cast<size_t>(firstSlice));
                for (int z = firstSlice; z < firstSlice + count; ++z) filled[static_cast<size_t>(z)] = true;
            }
        }
        for (int z = 0; z < grid.dims[2]; ++z)
            if (!filled[static_cast<size_t>(z)])
                fromFloat(lowestSlice.data(), sliceVoxels, in.pixelType(), volumeStart + sliceVoxels * voxelBytes * static_cast<size_t>(z));
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
