#include "render/RigidRegistration.h"

#include "render/RegularGrid.h"

#include "render/ItkHeadersBegin.h"
#include <itkCommand.h>
#include <itkImage.h>
#include <itkImageRegionConstIteratorWithIndex.h>
#include <itkMattesMutualInformationImageToImageMetricv4.h>
#include <itkPointSet.h>
#include <itkRegistrationParameterScalesFromPhysicalShift.h>
#include <itkRegularStepGradientDescentOptimizerv4.h>
#include <itkVersorRigid3DTransform.h>
#include "render/ItkHeadersEnd.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <thread>

namespace lb::render {

namespace {

using FloatImage = itk::Image<float, 3>;
using Transform = itk::VersorRigid3DTransform<double>;
using Metric = itk::MattesMutualInformationImageToImageMetricv4<FloatImage, FloatImage, FloatImage, double>;
using Optimizer = itk::RegularStepGradientDescentOptimizerv4<double>;
using ScalesEstimator = itk::RegistrationParameterScalesFromPhysicalShift<Metric>;

// One level of the pyramid: voxel size (mm, the target; the acquired grid decides the exact
// size), sample points, the optimiser's longest step (mm) and its iteration cap. Measured on the
// MR pair of the tests and the 512x512x400 CT of the benchmark (docs/benchmarks.md): 4/2/1 mm
// levels reach the accuracy the finest level can give, and the coarse levels, where an
// iteration is as cheap as at the finest but the metric is smoother, take the long way.
struct Level {
    double voxelMm;
    int samples;
    double firstStepMm;
    int maxIterations;
};
constexpr Level kLevels[] = {{4.0, 20000, 4.0, 200}, {2.0, 30000, 2.0, 150}, {1.0, 50000, 1.0, 100}};
constexpr int kHistogramBins = 32;
constexpr double kStepShrink = 200; // the last step is the first / kStepShrink
constexpr unsigned kSampleSeed = 20261202;

// ---------------------------------------------------------------- the pyramid (block averages)

struct Factors {
    int f[3];
};

Factors factorsFor(const core::VolumeGeometry& g, double voxelMm)
{
    Factors factors{};
    for (int a = 0; a < 3; ++a)
        factors.f[a] = std::clamp(static_cast<int>(std::lround(voxelMm / g.spacing[a])), 1, std::max(1, g.dims[a]));
    return factors;
}

// Output slices [first, last) of the block average of time point 0, as float.
template <typename T>
void averageBlocks(const core::Volume& volume, const Factors& factors, const int outDims[3], int first, int last, float* out)
{
    const auto& dims = volume.geometry().dims;
    const T* in = reinterpret_cast<const T*>(volume.data());
    const size_t inSlice = static_cast<size_t>(dims[0]) * dims[1];
    const size_t outSlice = static_cast<size_t>(outDims[0]) * outDims[1];
    const auto [fx, fy, fz] = factors.f;
    const float scale = 1.0f / static_cast<float>(fx * fy * fz);
    for (int K = first; K < last; ++K) {
        float* slice = out + outSlice * static_cast<size_t>(K);
        std::fill(slice, slice + outSlice, 0.0f);
        for (int z = K * fz; z < (K + 1) * fz; ++z)
            for (int J = 0; J < outDims[1]; ++J)
                for (int y = J * fy; y < (J + 1) * fy; ++y) {
                    const T* row = in + inSlice * static_cast<size_t>(z) + static_cast<size_t>(y) * dims[0];
                    float* target = slice + static_cast<size_t>(J) * outDims[0];
                    for (int I = 0; I < outDims[0]; ++I) {
                        float sum = 0;
                        for (int x = I * fx; x < (I + 1) * fx; ++x) sum += static_cast<float>(row[x]);
                        target[I] += sum;
                    }
                }
        for (size_t v = 0; v < outSlice; ++v) slice[v] *= scale;
    }
}

void averageBlocksOfType(const core::Volume& volume, const Factors& factors, const int outDims[3], int first, int last, float* out)
{
    switch (volume.pixelType()) {
    case core::PixelType::UInt8: averageBlocks<uint8_t>(volume, factors, outDims, first, last, out); break;
    case core::PixelType::Int16: averageBlocks<int16_t>(volume, factors, outDims, first, last, out); break;
    case core::PixelType::UInt16: averageBlocks<uint16_t>(volume, factors, outDims, first, last, out); break;
    case core::PixelType::Int32: averageBlocks<int32_t>(volume, factors, outDims, first, last, out); break;
    case core::PixelType::UInt32: averageBlocks<uint32_t>(volume, factors, outDims, first, last, out); break;
    case core::PixelType::Float32: averageBlocks<float>(volume, factors, outDims, first, last, out); break;
    }
}

// The range the joint histogram spans: the 0.5th to the 99.5th percentile of the first time point
// (about a million voxels read at an even stride), and every value of the pyramid clamped into
// it. Mattes' histogram spans the whole range of the values, and a few bright voxels would
// otherwise squeeze the tissue into a few of its 32 bins: in the MR T1 of the tests 99 % of the
// voxels lie below 76 of a maximum 942, so the brain fell into three bins, mutual information
// was about 0.01, and its optimum lay wherever the noise put it (a series onto itself ended
// 0.4 mm from the identity).
struct ValueRange {
    float low, high;
};
constexpr double kRangeTail = 0.005;

template <typename T>
ValueRange percentileRange(const core::Volume& volume)
{
    const auto& dims = volume.geometry().dims;
    const size_t count = static_cast<size_t>(dims[0]) * dims[1] * dims[2];
    const size_t stride = std::max<size_t>(1, count / 1000000) | 1; // odd: no aliasing with even dimensions
    const T* in = reinterpret_cast<const T*>(volume.data());
    std::vector<float> values;
    values.reserve(count / stride + 1);
    for (size_t v = 0; v < count; v += stride) values.push_back(static_cast<float>(in[v]));
    const auto at = [&](double fraction) {
        auto nth = values.begin() + static_cast<std::ptrdiff_t>(fraction * static_cast<double>(values.size() - 1));
        std::nth_element(values.begin(), nth, values.end());
        return *nth;
    };
    const float low = at(kRangeTail), high = at(1 - kRangeTail);
    if (high > low) return {low, high};
    const auto [min, max] = std::minmax_element(values.begin(), values.end()); // nearly constant: keep all
    return {*min, *max};
}

ValueRange valueRange(const core::Volume& volume)
{
    switch (volume.pixelType()) {
    case core::PixelType::UInt8: return percentileRange<uint8_t>(volume);
    case core::PixelType::Int16: return percentileRange<int16_t>(volume);
    case core::PixelType::UInt16: return percentileRange<uint16_t>(volume);
    case core::PixelType::Int32: return percentileRange<int32_t>(volume);
    case core::PixelType::UInt32: return percentileRange<uint32_t>(volume);
    case core::PixelType::Float32: return percentileRange<float>(volume);
    }
    return {0, 0};
}

// The volume's first time point averaged over blocks of `factors` voxels: one pass over the
// voxels (about 0.1 s for 512x512x400 int16 on two cores), where ITK's Gaussian smoothing and
// resampling of the whole grid would take seconds. The box filter is the anti-aliasing. Each
// output voxel sits at the centre of its block, so the geometry stays exact.
FloatImage::Pointer blockAverage(const core::Volume& volume, const Factors& factors, ValueRange range)
{
    const core::VolumeGeometry& g = volume.geometry();
    int outDims[3];
    for (int a = 0; a < 3; ++a) outDims[a] = std::max(1, g.dims[a] / factors.f[a]);
    auto image = FloatImage::New();
    FloatImage::RegionType region;
    region.SetSize({{static_cast<itk::SizeValueType>(outDims[0]), static_cast<itk::SizeValueType>(outDims[1]),
                     static_cast<itk::SizeValueType>(outDims[2])}});
    image->SetRegions(region);
    FloatImage::SpacingType spacing;
    FloatImage::PointType origin;
    FloatImage::DirectionType direction;
    for (int a = 0; a < 3; ++a) {
        spacing[a] = g.spacing[a] * factors.f[a];
        for (int c = 0; c < 3; ++c) direction[c][a] = g.direction[a * 3 + c]; // columns: the axes
    }
    for (int c = 0; c < 3; ++c) {
        origin[c] = g.origin[c];
        for (int a = 0; a < 3; ++a) origin[c] += g.direction[a * 3 + c] * g.spacing[a] * (factors.f[a] - 1) / 2.0;
    }
    image->SetSpacing(spacing);
    image->SetOrigin(origin);
    image->SetDirection(direction);
    image->Allocate();
    const int threads = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, outDims[2]);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        const int first = outDims[2] * t / threads, last = outDims[2] * (t + 1) / threads;
        workers.emplace_back([&, first, last] {
            averageBlocksOfType(volume, factors, outDims, first, last, image->GetBufferPointer());
            float* out = image->GetBufferPointer() + static_cast<size_t>(outDims[0]) * outDims[1] * first;
            const size_t n = static_cast<size_t>(outDims[0]) * outDims[1] * (last - first);
            for (size_t v = 0; v < n; ++v) out[v] = std::clamp(out[v], range.low, range.high);
        });
    }
    for (auto& worker : workers) worker.join();
    return image;
}

// ---------------------------------------------------------------- the start (centres of mass)

size_t voxelCount(const FloatImage* image)
{
    return image->GetLargestPossibleRegion().GetNumberOfPixels();
}

// Otsu's threshold of the values in [low, high] (256 bins).
double otsu(const float* values, size_t count, double low, double high)
{
    constexpr int kBins = 256;
    std::vector<double> histogram(kBins, 0.0);
    const double width = (high - low) / kBins;
    if (!(width > 0)) return low;
    for (size_t v = 0; v < count; ++v)
        if (values[v] >= low && values[v] <= high) histogram[std::min(kBins - 1, static_cast<int>((values[v] - low) / width))] += 1;
    double total = 0, sum = 0;
    for (int b = 0; b < kBins; ++b) total += histogram[b], sum += b * histogram[b];
    double below = 0, sumBelow = 0, best = -1;
    int bestBin = 0;
    for (int b = 0; b < kBins - 1; ++b) {
        below += histogram[b];
        sumBelow += b * histogram[b];
        const double above = total - below;
        if (below == 0 || above == 0) continue;
        const double difference = sumBelow / below - (sum - sumBelow) / above;
        const double between = below * above * difference * difference;
        if (between > best) best = between, bestBin = b;
    }
    return low + (bestBin + 1) * width;
}

// The centre of the foreground: voxels above Otsu's threshold. When more than 60 % of the
// voxels are above it, the threshold split padding from air (CT: -2048 outside the
// reconstruction circle, -1000 inside) and the split is made again above it.
itk::Point<double, 3> foregroundCentre(const FloatImage* image)
{
    const float* values = image->GetBufferPointer();
    const size_t count = voxelCount(image);
    const auto [low, high] = std::minmax_element(values, values + count);
    double threshold = otsu(values, count, *low, *high);
    const auto above = [&](double t) { return static_cast<size_t>(std::count_if(values, values + count, [t](float v) { return v > t; })); };
    if (above(threshold) > count * 6 / 10) threshold = otsu(values, count, threshold, *high);
    itk::Point<double, 3> centre;
    centre.Fill(0);
    double n = 0;
    for (itk::ImageRegionConstIteratorWithIndex<FloatImage> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it) {
        if (it.Get() <= threshold) continue;
        itk::Point<double, 3> p;
        image->TransformIndexToPhysicalPoint(it.GetIndex(), p);
        for (int c = 0; c < 3; ++c) centre[c] += p[c];
        n += 1;
    }
    if (n == 0) {
        image->TransformContinuousIndexToPhysicalPoint(itk::ContinuousIndex<double, 3>(), centre);
        return centre;
    }
    for (int c = 0; c < 3; ++c) centre[c] /= n;
    return centre;
}

// ---------------------------------------------------------------- the metric and the optimiser

// `count` points on a regular grid of `fixed`, each jittered within its cell (fixed seed).
Metric::FixedSampledPointSetType::Pointer samplePoints(const FloatImage* fixed, int count)
{
    const auto size = fixed->GetLargestPossibleRegion().GetSize();
    const double voxels = static_cast<double>(voxelCount(fixed));
    const double stride = std::max(1.0, std::cbrt(voxels / count)); // voxels between points, each axis
    std::mt19937 random(kSampleSeed);
    std::uniform_real_distribution<double> jitter(-0.5, 0.5);
    auto points = Metric::FixedSampledPointSetType::New();
    itk::IdentifierType id = 0;
    for (double k = stride / 2; k < size[2]; k += stride)
        for (double j = stride / 2; j < size[1]; j += stride)
            for (double i = stride / 2; i < size[0]; i += stride) {
                itk::ContinuousIndex<double, 3> index;
                index[0] = std::clamp(i + jitter(random) * stride, 0.0, size[0] - 1.0);
                index[1] = std::clamp(j + jitter(random) * stride, 0.0, size[1] - 1.0);
                index[2] = std::clamp(k + jitter(random) * stride, 0.0, size[2] - 1.0);
                Metric::FixedSampledPointSetType::PointType point;
                fixed->TransformContinuousIndexToPhysicalPoint(index, point);
                points->SetPoint(id++, point);
            }
    return points;
}

Metric::Pointer makeMetric(FloatImage* fixed, FloatImage* moving, Transform* transform, int samples)
{
    auto metric = Metric::New();
    metric->SetNumberOfHistogramBins(kHistogramBins);
    // Gradients at the sample points by central differences: a gradient image of a 512x512x400
    // CT would be 2.5 GB of doubles and seconds to make.
    metric->SetUseMovingImageGradientFilter(false);
    metric->SetUseFixedImageGradientFilter(false);
    metric->SetFixedImage(fixed);
    metric->SetMovingImage(moving);
    metric->SetVirtualDomainFromImage(fixed);
    metric->SetMovingTransform(transform);
    metric->SetFixedSampledPointSet(samplePoints(fixed, samples));
    metric->SetUseSampledPointSet(true);
    metric->Initialize();
    return metric;
}

struct Volumes {
    std::shared_ptr<const core::Volume> fixed, moving;
};

core::Status checkRegistrable(const core::Volume& volume, const char* role)
{
    auto refuse = [&](const std::string& why) { return core::makeError(core::ErrorCode::InvalidArgument, volume.seriesUid, std::string(role) + " series: " + why); };
    if (volume.components() != 1) return refuse("a colour image cannot be registered");
    if (!volume.hasPatientGeometry) return refuse("no patient geometry (ImagePositionPatient/ImageOrientationPatient)");
    if (volume.geometry().dims[2] < kMinimumSlices)
        return refuse("not a volume: " + std::to_string(volume.geometry().dims[2]) + " slice(s), registration needs at least " +
                      std::to_string(kMinimumSlices));
    if (volume.data() == nullptr) return refuse("no voxels");
    return {};
}

// Watches the optimiser at each iteration: stops it when the token is cancelled, and keeps the
// best position seen. ITK 5.2's own ReturnBestParametersAndValue cannot be used: its gradient
// descent stores the best value after AdvanceOneStep, so it pairs the value measured at one
// position with the position one step further on. When the start of a level is already the
// best point (a series onto itself, or a level starting where the previous one ended), that
// handed back the start moved by the whole first step: 2.9 mm at the last level of a 128x128 CT
// of 1.8 mm pixels and 5 mm slices. Here the value of an iteration, known at its IterationEvent
// (sent after the update), is paired with the position it was measured at: the position left by
// the previous update.
class IterationObserver : public itk::Command {
public:
    using Self = IterationObserver;
    using Superclass = itk::Command;
    using Pointer = itk::SmartPointer<Self>;
    itkNewMacro(Self);
    const core::CancelToken* cancel = nullptr;
    Optimizer* optimizer = nullptr;
    Metric* metric = nullptr;
    bool cancelled = false;
    Optimizer::ParametersType measuredAt; // where the optimiser's current value was measured
    Optimizer::ParametersType best;
    double bestValue = std::numeric_limits<double>::infinity();
    void start()
    {
        measuredAt = metric->GetParameters();
        best = measuredAt;
        bestValue = std::numeric_limits<double>::infinity();
    }
    void Execute(itk::Object* caller, const itk::EventObject& event) override { Execute(static_cast<const itk::Object*>(caller), event); }
    void Execute(const itk::Object*, const itk::EventObject&) override
    {
        const double value = optimizer->GetCurrentMetricValue();
        if (value < bestValue) bestValue = value, best = measuredAt;
        measuredAt = metric->GetParameters();
        if (cancel && cancel->isCancelled() && !cancelled) {
            cancelled = true;
            optimizer->StopOptimization();
        }
    }
};

struct LevelOutcome {
    double metric = 0;
    int iterations = 0;
    bool cancelled = false;
};

LevelOutcome optimiseLevel(Metric* metric, const Level& level, double voxelMm, const core::CancelToken* cancel)
{
    auto optimizer = Optimizer::New();
    auto scales = ScalesEstimator::New();
    scales->SetMetric(metric);
    scales->SetTransformForward(true);
    optimizer->SetMetric(metric);
    optimizer->SetScalesEstimator(scales);
    optimizer->SetDoEstimateLearningRateOnce(false);
    optimizer->SetDoEstimateLearningRateAtEachIteration(false);
    const double firstStep = std::max(level.firstStepMm, voxelMm);
    optimizer->SetLearningRate(firstStep);
    optimizer->SetMinimumStepLength(firstStep / kStepShrink);
    optimizer->SetRelaxationFactor(0.5);
    optimizer->SetGradientMagnitudeTolerance(1e-8);
    optimizer->SetNumberOfIterations(static_cast<itk::SizeValueType>(level.maxIterations));
    optimizer->SetReturnBestParametersAndValue(false); // see IterationObserver
    auto observer = IterationObserver::New();
    observer->cancel = cancel;
    observer->optimizer = optimizer;
    observer->metric = metric;
    observer->start();
    optimizer->AddObserver(itk::IterationEvent(), observer);
    optimizer->StartOptimization();
    if (observer->cancelled) return {0, static_cast<int>(optimizer->GetCurrentIteration()), true};
    // The last position (where the step became too small, or after the last iteration) against
    // the best one seen.
    double value = metric->GetValue();
    if (observer->bestValue < value) {
        metric->SetParameters(observer->best);
        value = observer->bestValue;
    }
    return {value, static_cast<int>(optimizer->GetCurrentIteration()), false};
}

// ---------------------------------------------------------------- the start

double meanSpacing(const FloatImage* image)
{
    const auto s = image->GetSpacing();
    return (s[0] + s[1] + s[2]) / 3;
}

// Step 3 of the header: identity, centres of mass matched, and centres matched but for the
// fixed slice normal; the one with the lowest metric value at the coarsest level.
void chooseStart(FloatImage* fixed, FloatImage* moving, Transform* transform)
{
    const auto fixedCentre = foregroundCentre(fixed), movingCentre = foregroundCentre(moving);
    const auto direction = fixed->GetDirection();
    itk::Vector<double, 3> shift = movingCentre - fixedCentre, normal;
    for (int c = 0; c < 3; ++c) normal[c] = direction[c][2];
    const double alongNormal = shift * normal;
    const itk::Vector<double, 3> candidates[3] = {itk::Vector<double, 3>(0.0), shift, shift - normal * alongNormal};
    transform->SetIdentity();
    transform->SetCenter(fixedCentre);
    auto metric = makeMetric(fixed, moving, transform, kLevels[0].samples);
    double best = std::numeric_limits<double>::infinity();
    itk::Vector<double, 3> chosen(0.0);
    for (const auto& candidate : candidates) {
        transform->SetTranslation(candidate);
        double value = std::numeric_limits<double>::infinity();
        try {
            value = metric->GetValue();
        } catch (const itk::ExceptionObject&) { // too few samples inside the moving volume
        }
        if (value < best) best = value, chosen = candidate;
    }
    transform->SetTranslation(chosen);
}

std::array<double, 16> movingToFixedMatrix(const Transform* fixedToMoving)
{
    // fixedToMoving(x) = M x + o, so movingToFixed(y) = M^-1 (y - o); M is a rotation: M^-1 = M^T.
    const auto m = fixedToMoving->GetMatrix();
    const auto o = fixedToMoving->GetOffset();
    std::array<double, 16> out{};
    for (int r = 0; r < 3; ++r) {
        double t = 0;
        for (int c = 0; c < 3; ++c) {
            out[r * 4 + c] = m[c][r];
            t -= m[c][r] * o[c];
        }
        out[r * 4 + 3] = t;
    }
    out[15] = 1;
    return out;
}

core::Result<RigidRegistrationResult> runPyramid(const Volumes& volumes, const core::CancelToken* cancel)
{
    auto isCancelled = [&] { return cancel && cancel->isCancelled(); };
    const auto cancelledError = [&] { return core::makeError(core::ErrorCode::Cancelled, volumes.moving->seriesUid, "registration cancelled"); };
    auto transform = Transform::New();
    RigidRegistrationResult result;
    const ValueRange fixedRange = valueRange(*volumes.fixed), movingRange = valueRange(*volumes.moving);
    for (size_t l = 0; l < std::size(kLevels); ++l) {
        const Level& level = kLevels[l];
        if (isCancelled()) return cancelledError();
        auto fixed = blockAverage(*volumes.fixed, factorsFor(volumes.fixed->geometry(), level.voxelMm), fixedRange);
        auto moving = blockAverage(*volumes.moving, factorsFor(volumes.moving->geometry(), level.voxelMm), movingRange);
        if (l == 0) chooseStart(fixed, moving, transform);
        if (isCancelled()) return cancelledError();
        auto metric = makeMetric(fixed, moving, transform, level.samples);
        const LevelOutcome outcome = optimiseLevel(metric, level, meanSpacing(fixed), cancel);
        if (outcome.cancelled) return cancelledError();
        result.metric = outcome.metric;
        result.iterations += outcome.iterations;
    }
    result.movingToFixed = movingToFixedMatrix(transform);
    return result;
}

} // namespace

core::Result<RigidRegistrationResult> registerRigid(const core::Volume& fixed, const core::Volume& moving, const core::CancelToken* cancel)
{
    const auto started = std::chrono::steady_clock::now();
    if (auto status = checkRegistrable(fixed, "fixed"); !status) return status.error();
    if (auto status = checkRegistrable(moving, "moving"); !status) return status.error();
    // Not owned: onRegularGrid hands back the same pointer for a regular stack, or a new volume.
    const auto borrow = [](const core::Volume& v) { return std::shared_ptr<const core::Volume>(&v, [](const core::Volume*) {}); };
    Volumes volumes;
    for (auto [in, out] : {std::pair{&fixed, &volumes.fixed}, std::pair{&moving, &volumes.moving}}) {
        auto regular = onRegularGrid(borrow(*in), cancel);
        if (!regular) return regular.error();
        *out = std::move(*regular);
    }
    core::Result<RigidRegistrationResult> result = core::makeError(core::ErrorCode::Io, moving.seriesUid, "registration did not run");
    try {
        result = runPyramid(volumes, cancel);
    } catch (const itk::ExceptionObject& error) {
        return core::makeError(core::ErrorCode::Io, moving.seriesUid, std::string("registration failed: ") + error.GetDescription());
    } catch (const std::bad_alloc&) {
        return core::makeError(core::ErrorCode::Io, moving.seriesUid, "registration failed: out of memory");
    }
    if (result)
        result->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

} // namespace lb::render
