// register_peer_bench FIXED_FOLDER MOVING_FOLDER: the peer of bench/register.sh. No Debian
// package registers DICOM series, so the peer is the straightforward ITK v4 configuration, as
// in ITK's own example (Examples/RegistrationITKv4/ImageRegistration8.cxx, versor rigid 3D)
// with the multi-resolution of MultiResImageRegistration: ImageRegistrationMethodv4,
// VersorRigid3DTransform started by CenteredTransformInitializer (geometry), Mattes mutual
// information (50 bins), RegularStepGradientDescentOptimizerv4 (learning rate 0.2, minimum step
// 0.001, relaxation 0.5, 200 iterations, translation scale 1/1000), 3 levels shrunk 4/2/1 and
// smoothed 2/1/0 voxels. Sampling: REGULAR, 10 % of the voxels of each level (all voxels at the
// finest level of a 512x512x400 CT would take minutes per level). The series are read by lb_core
// (so both tools start from the same voxels) and copied into float ITK images.
// Prints one JSON object: {"matrix": [16, row-major, moving -> fixed], "seconds": S,
// "iterations": N, "metric": V}; seconds count the registration only.
#include "core/VolumeAssembler.h"

#include <itkCenteredTransformInitializer.h>
#include <itkImage.h>
#include <itkImageRegistrationMethodv4.h>
#include <itkMattesMutualInformationImageToImageMetricv4.h>
#include <itkRegularStepGradientDescentOptimizerv4.h>
#include <itkVersorRigid3DTransform.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

namespace {

using FloatImage = itk::Image<float, 3>;
using Transform = itk::VersorRigid3DTransform<double>;

FloatImage::Pointer load(const std::filesystem::path& folder)
{
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(folder))
        if (entry.is_regular_file() && entry.path().extension() != ".json") files.push_back(entry.path());
    auto loaded = lb::core::assembleVolumes(files);
    if (!loaded) {
        std::fprintf(stderr, "%s: %s\n", folder.c_str(), loaded.error().message().c_str());
        std::exit(1);
    }
    const auto volume = lb::core::largestVolume(*loaded);
    const auto& g = volume->geometry();
    auto image = FloatImage::New();
    FloatImage::RegionType region;
    region.SetSize({{static_cast<itk::SizeValueType>(g.dims[0]), static_cast<itk::SizeValueType>(g.dims[1]),
                     static_cast<itk::SizeValueType>(g.dims[2])}});
    image->SetRegions(region);
    FloatImage::SpacingType spacing;
    FloatImage::PointType origin;
    FloatImage::DirectionType direction;
    for (int a = 0; a < 3; ++a) {
        spacing[a] = g.spacing[a];
        origin[a] = g.origin[a];
        for (int c = 0; c < 3; ++c) direction[c][a] = g.direction[a * 3 + c];
    }
    image->SetSpacing(spacing);
    image->SetOrigin(origin);
    image->SetDirection(direction);
    image->Allocate();
    float* out = image->GetBufferPointer();
    for (int k = 0; k < g.dims[2]; ++k)
        for (int j = 0; j < g.dims[1]; ++j)
            for (int i = 0; i < g.dims[0]; ++i) *out++ = static_cast<float>(volume->valueAt(i, j, k));
    return image;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: register_peer_bench FIXED_FOLDER MOVING_FOLDER\n");
        return 2;
    }
    auto fixed = load(argv[1]);
    auto moving = load(argv[2]);
    const auto started = std::chrono::steady_clock::now();

    using Metric = itk::MattesMutualInformationImageToImageMetricv4<FloatImage, FloatImage>;
    using Optimizer = itk::RegularStepGradientDescentOptimizerv4<double>;
    using Registration = itk::ImageRegistrationMethodv4<FloatImage, FloatImage, Transform>;
    auto metric = Metric::New();
    metric->SetNumberOfHistogramBins(50);
    auto optimizer = Optimizer::New();
    auto registration = Registration::New();
    registration->SetMetric(metric);
    registration->SetOptimizer(optimizer);
    registration->SetFixedImage(fixed);
    registration->SetMovingImage(moving);

    auto initialTransform = Transform::New();
    using Initializer = itk::CenteredTransformInitializer<Transform, FloatImage, FloatImage>;
    auto initializer = Initializer::New();
    initializer->SetTransform(initialTransform);
    initializer->SetFixedImage(fixed);
    initializer->SetMovingImage(moving);
    initializer->GeometryOn();
    initializer->InitializeTransform();
    registration->SetInitialTransform(initialTransform);
    registration->InPlaceOn();

    Optimizer::ScalesType scales(initialTransform->GetNumberOfParameters());
    scales.Fill(1.0);
    for (int t = 3; t < 6; ++t) scales[t] = 1.0 / 1000.0;
    optimizer->SetScales(scales);
    optimizer->SetLearningRate(0.2);
    optimizer->SetMinimumStepLength(0.001);
    optimizer->SetRelaxationFactor(0.5);
    optimizer->SetNumberOfIterations(200);

    Registration::ShrinkFactorsArrayType shrink(3);
    shrink[0] = 4, shrink[1] = 2, shrink[2] = 1;
    Registration::SmoothingSigmasArrayType sigmas(3);
    sigmas[0] = 2, sigmas[1] = 1, sigmas[2] = 0;
    registration->SetNumberOfLevels(3);
    registration->SetShrinkFactorsPerLevel(shrink);
    registration->SetSmoothingSigmasPerLevel(sigmas);
    registration->SetSmoothingSigmasAreSpecifiedInPhysicalUnits(false);
    registration->SetMetricSamplingStrategy(Registration::MetricSamplingStrategyEnum::REGULAR);
    registration->SetMetricSamplingPercentage(0.10);
    registration->MetricSamplingReinitializeSeed(121212);

    int iterations = 0;
    auto counter = itk::CStyleCommand::New();
    counter->SetClientData(&iterations);
    counter->SetCallback([](itk::Object*, const itk::EventObject&, void* data) { ++*static_cast<int*>(data); });
    optimizer->AddObserver(itk::IterationEvent(), counter);
    try {
        registration->Update();
    } catch (const itk::ExceptionObject& error) {
        std::fprintf(stderr, "registration failed: %s\n", error.GetDescription());
        return 1;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    // The optimised transform maps fixed points to moving points: moving -> fixed is its inverse.
    const auto m = initialTransform->GetMatrix();
    const auto o = initialTransform->GetOffset();
    std::printf("{\"matrix\": [");
    for (int r = 0; r < 3; ++r) {
        double t = 0;
        for (int c = 0; c < 3; ++c) {
            std::printf("%.12g, ", m[c][r]);
            t -= m[c][r] * o[c];
        }
        std::printf("%.12g, ", t);
    }
    std::printf("0, 0, 0, 1], \"seconds\": %.3f, \"iterations\": %d, \"metric\": %.6g}\n", seconds, iterations, optimizer->GetValue());
    return 0;
}
