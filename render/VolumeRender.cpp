#include "render/VolumeRender.h"

#include "render/VolumeImage.h"

#include <vtkCamera.h>
#include <vtkMatrix4x4.h>
#include <vtkColorTransferFunction.h>
#include <vtkImageData.h>
#include <vtkPiecewiseFunction.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkSmartVolumeMapper.h>
#include <vtkUnsignedCharArray.h>
#include <vtkVolume.h>
#include <vtkVolumeProperty.h>
#include <vtkWindowToImageFilter.h>
#include <vtkPointData.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace lb::render {

extern const char* const kVolumePresetsJson; // generated from resources/presets/volume_presets.json

using Vec = std::array<double, 3>;

const std::vector<VolumePreset>& volumePresets()
{
    static const std::vector<VolumePreset> presets = [] {
        std::vector<VolumePreset> list;
        const auto document = nlohmann::json::parse(kVolumePresetsJson); // must outlive the loop
        for (const auto& item : document.at("presets")) {
            VolumePreset preset;
            preset.name = item.at("name");
            preset.mip = item.at("blend") == "mip";
            preset.shade = item.at("shade");
            preset.relative = item.at("relative");
            for (const auto& point : item.at("opacity")) preset.opacity.push_back({point[0], point[1]});
            for (const auto& point : item.at("color")) preset.color.push_back({point[0], point[1], point[2], point[3]});
            list.push_back(std::move(preset));
        }
        return list;
    }();
    return presets;
}

core::Result<VolumePreset> volumePresetNamed(const std::string& name)
{
    std::string known;
    for (const auto& preset : volumePresets()) {
        if (preset.name == name) return preset;
        known += (known.empty() ? "" : ", ") + preset.name;
    }
    return core::makeError(core::ErrorCode::NotFound, name, "no such volume preset (known: " + known + ")");
}

std::string defaultVolumePreset(const core::Volume& volume)
{
    // By modality when the series says it: bone for CT, a maximum intensity projection for PET
    // and NM (hot spots), the relative MR ramp for the rest. Without one, CT is known by its HU
    // (air at -1000).
    if (volume.modality == "CT") return "ct-bone";
    if (volume.modality == "PT" || volume.modality == "NM") return "mip";
    if (!volume.modality.empty()) return "mr-default";
    const auto [low, high] = volume.valueRange();
    return low <= -900 && high > 200 ? "ct-bone" : "mr-default";
}

vtkVolume* addVolume(vtkRenderer* renderer, std::shared_ptr<const core::Volume> volume, const VolumePreset& preset,
                     int timePoint, bool cpuRayCast)
{
    const auto [low, high] = volume->valueRange();
    auto value = [&, low = low, high = high](double point) { return preset.relative ? low + point * (high - low) : point; };
    auto opacity = vtkSmartPointer<vtkPiecewiseFunction>::New();
    for (const auto& point : preset.opacity) opacity->AddPoint(value(point[0]), point[1]);
    auto color = vtkSmartPointer<vtkColorTransferFunction>::New();
    for (const auto& point : preset.color) color->AddRGBPoint(value(point[0]), point[1], point[2], point[3]);

    auto property = vtkSmartPointer<vtkVolumeProperty>::New();
    property->SetScalarOpacity(opacity);
    property->SetColor(color);
    property->SetInterpolationTypeToLinear();
    if (preset.shade) {
        property->ShadeOn();
        property->SetAmbient(0.25);
        property->SetDiffuse(0.75);
        property->SetSpecular(0.2);
    }
    auto mapper = vtkSmartPointer<vtkSmartVolumeMapper>::New();
    mapper->SetInputData(wrapVolume(volume, timePoint));
    mapper->SetBlendMode(preset.mip ? vtkVolumeMapper::MAXIMUM_INTENSITY_BLEND : vtkVolumeMapper::COMPOSITE_BLEND);
    if (cpuRayCast) mapper->SetRequestedRenderModeToRayCast();
    else mapper->SetRequestedRenderModeToDefault();

    auto prop = vtkSmartPointer<vtkVolume>::New();
    prop->SetMapper(mapper);
    prop->SetProperty(property);
    prop->SetUserMatrix(patientMatrix(volume->geometry()));
    renderer->AddVolume(prop);
    return prop;
}

void setCropBox(vtkVolume* prop, const core::VolumeGeometry& geometry, const std::optional<CropBox>& box)
{
    auto* mapper = vtkVolumeMapper::SafeDownCast(prop->GetMapper());
    if (!mapper) return;
    if (!box) {
        mapper->CroppingOff();
        return;
    }
    // The mapper's input is in index x spacing (the patient placement is the prop's matrix).
    double planes[6];
    for (int a = 0; a < 3; ++a)
        for (int side = 0; side < 2; ++side)
            planes[2 * a + side] = (*box)[2 * a + side] * (geometry.dims[a] - 1) * geometry.spacing[a];
    mapper->CroppingOn();
    mapper->SetCroppingRegionPlanes(planes);
    mapper->SetCroppingRegionFlagsToSubVolume();
}

bool parseCropBox(const std::string& text, CropBox& out)
{
    std::vector<double> values;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t comma = text.find(',', start);
        const std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        char* end = nullptr;
        const double v = std::strtod(part.c_str(), &end);
        if (part.empty() || end != part.c_str() + part.size() || v < 0 || v > 1) return false;
        values.push_back(v);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    if (values.size() != 6) return false;
    for (int a = 0; a < 3; ++a)
        if (values[2 * a] > values[2 * a + 1]) return false;
    std::copy(values.begin(), values.end(), out.begin());
    return true;
}

void lookFromFront(vtkRenderer* renderer, const std::vector<Rotation>& rotations)
{
    Vec toPatient = {0, 1, 0}, up = {0, 0, 1};
    for (const Rotation& rotation : rotations) {
        toPatient = rotated(toPatient, rotation);
        up = rotated(up, rotation);
    }
    renderer->ResetCamera();
    vtkCamera* camera = renderer->GetActiveCamera();
    double focal[3];
    camera->GetFocalPoint(focal);
    const double distance = camera->GetDistance();
    camera->SetPosition(focal[0] - toPatient[0] * distance, focal[1] - toPatient[1] * distance,
                        focal[2] - toPatient[2] * distance);
    camera->SetViewUp(up[0], up[1], up[2]);
    renderer->ResetCamera();
}

core::Result<RgbImage> renderVolume(std::shared_ptr<const core::Volume> volume, const VolumeRenderRequest& request)
{
    if (volume->components() != 1)
        return core::makeError(core::ErrorCode::Unsupported, volume->seriesUid, "colour volumes are not rendered yet");
    if (!std::getenv("DISPLAY"))
        return core::makeError(core::ErrorCode::Unsupported, "volume rendering",
                               "needs an X display (Debian's VTK renders through GLX): run under xvfb-run");
    auto preset = volumePresetNamed(request.preset.empty() ? defaultVolumePreset(*volume) : request.preset);
    if (!preset) return preset.error();

    auto renderer = vtkSmartPointer<vtkRenderer>::New();
    renderer->SetBackground(0, 0, 0);
    auto window = vtkSmartPointer<vtkRenderWindow>::New();
    window->SetOffScreenRendering(1);
    window->SetMultiSamples(0);
    window->SetSize(request.width, request.height);
    window->AddRenderer(renderer);
    // Offscreen there is no interaction to keep fluid: the CPU ray caster, at full quality.
    vtkVolume* prop = addVolume(renderer, volume, *preset, request.timePoint, true);
    setCropBox(prop, volume->geometry(), request.crop);

    lookFromFront(renderer, request.rotations);
    window->Render();

    auto grab = vtkSmartPointer<vtkWindowToImageFilter>::New();
    grab->SetInput(window);
    grab->SetInputBufferTypeToRGB();
    grab->ReadFrontBufferOff();
    grab->Update();
    vtkImageData* picture = grab->GetOutput();
    int dims[3];
    picture->GetDimensions(dims);
    RgbImage image{dims[0], dims[1], std::vector<uint8_t>(static_cast<size_t>(dims[0]) * dims[1] * 3)};
    const auto* source = static_cast<const uint8_t*>(picture->GetScalarPointer());
    for (int y = 0; y < dims[1]; ++y) // VTK's row 0 is the bottom
        std::memcpy(image.pixels.data() + static_cast<size_t>(y) * dims[0] * 3,
                    source + static_cast<size_t>(dims[1] - 1 - y) * dims[0] * 3, static_cast<size_t>(dims[0]) * 3);
    return image;
}

} // namespace lb::render
