#pragma once
// Volume rendering: presets as data (resources/presets/volume_presets.json: opacity and colour
// transfer functions, shading, composite or MIP), a vtkVolume in patient space for any
// renderer (the viewer's or an offscreen one), and an offscreen picture for the CLI.
// On Mesa's llvmpipe the CPU ray caster is used (faster there than the GPU one: 52 vs 288 ms per
// frame measured on this machine kind); on real GPUs the GPU ray caster.
#include "core/Result.h"
#include "core/Volume.h"
#include "render/ObliqueRender.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

class vtkRenderer;
class vtkVolume;

namespace lb::render {

struct VolumePreset {
    std::string name;
    bool mip = false;
    bool shade = true;
    bool relative = false; // points are fractions of the value range
    std::vector<std::array<double, 2>> opacity;
    std::vector<std::array<double, 4>> color;
};

const std::vector<VolumePreset>& volumePresets();
core::Result<VolumePreset> volumePresetNamed(const std::string& name);
// ct-bone for CT, mip for PT and NM, mr-default for other modalities; without a modality,
// ct-bone when the values are HU.
std::string defaultVolumePreset(const core::Volume& volume);

struct RgbImage {
    int width = 0, height = 0;
    std::vector<uint8_t> pixels; // r, g, b; top row first
};

// Adds the volume to `renderer` with the preset; the caller keeps the returned prop.
vtkVolume* addVolume(vtkRenderer* renderer, std::shared_ptr<const core::Volume> volume, const VolumePreset& preset,
                     int timePoint, bool cpuRayCast);

// Crops the rendering to a box, as fractions (0..1) of the volume along i, j, k: {i0, i1, j0, j1,
// k0, k1}; none: the whole volume.
using CropBox = std::array<double, 6>;
void setCropBox(vtkVolume* prop, const core::VolumeGeometry& geometry, const std::optional<CropBox>& box);
// "0,1,0,0.5,0,1" -> a CropBox; false unless six fractions with lower <= upper.
bool parseCropBox(const std::string& text, CropBox& out);

// The camera in front of the patient (anterior), head up, so the patient's left is on the
// picture's right; then turned by the rotations about patient axes; the whole scene in view.
void lookFromFront(vtkRenderer* renderer, const std::vector<Rotation>& rotations = {});

struct VolumeRenderRequest {
    std::string preset; // empty: defaultVolumePreset
    std::vector<Rotation> rotations; // of the camera about patient axes; none: from the front
    int width = 512, height = 512;
    int timePoint = 0;
    std::optional<CropBox> crop;
};

// Offscreen, at full quality. Needs an X display (Debian's VTK renders through GLX): without
// one the error says to run under xvfb-run.
core::Result<RgbImage> renderVolume(std::shared_ptr<const core::Volume> volume, const VolumeRenderRequest& request);

} // namespace lb::render
