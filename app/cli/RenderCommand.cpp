// lightbox-cli render SERIES_UID|PATH --view axial|coronal|sagittal ... -o OUT.png
#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"
#include "app/cli/SeriesInput.h"
#include "core/VolumeAssembler.h"
#include "render/ObliqueRender.h"
#include "render/PngExport.h"
#include "render/RegularGrid.h"
#include "render/SliceRender.h"

#include <cstdio>

namespace lb::app::cli {
namespace {

std::optional<double> parseNumber(const std::string& text)
{
    try {
        size_t used = 0;
        const double value = std::stod(text, &used);
        if (used == text.size()) return value;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

// "native" -> nullopt size (ok); "WxH" -> size; anything else -> error text.
std::optional<std::string> parseSize(const std::string& text, std::optional<std::pair<int, int>>& size)
{
    if (text == "native") {
        size.reset();
        return std::nullopt;
    }
    const auto x = text.find('x');
    if (x == std::string::npos) return "--size takes WxH or native";
    auto width = parseInteger(text.substr(0, x));
    auto height = parseInteger(text.substr(x + 1));
    if (!width || !height || *width < 1 || *height < 1 || *width > 16384 || *height > 16384)
        return "--size takes WxH (1..16384) or native";
    size = std::make_pair(*width, *height);
    return std::nullopt;
}


// --view vr: the volume rendered offscreen with a preset (resources/presets/volume_presets.json).
int renderVolumeView(const std::shared_ptr<const core::Volume>& volume, const CliOptions& options,
                     const std::vector<render::Rotation>& rotations, const render::SliceRequest& slice,
                     const std::filesystem::path& output)
{
    render::VolumeRenderRequest request;
    request.preset = options.value("preset").value_or("");
    if (!request.preset.empty()) {
        if (auto preset = render::volumePresetNamed(request.preset); !preset) return fail(preset.error().message(), kExitUsage);
    }
    request.rotations = rotations;
    request.timePoint = slice.timePoint;
    if (auto crop = options.value("crop")) {
        render::CropBox box{};
        if (!render::parseCropBox(*crop, box))
            return fail("--crop needs six fractions I0,I1,J0,J1,K0,K1 (0..1, lower <= upper)", kExitUsage);
        request.crop = box;
    }
    if (slice.size) {
        request.width = slice.size->first;
        request.height = slice.size->second;
    }
    auto image = render::renderVolume(volume, request);
    if (!image) return fail(image.error());
    if (auto written = render::writePng(*image, output); !written) return fail(written.error());
    const std::string preset = request.preset.empty() ? render::defaultVolumePreset(*volume) : request.preset;
    if (options.json)
        printJson(QJsonObject{{"file", qs(output.string())}, {"series_uid", qs(volume->seriesUid)}, {"view", "vr"},
                              {"preset", qs(preset)}, {"width", image->width}, {"height", image->height}});
    else
        std::printf("%s: volume rendering (%s), %dx%d\n", output.string().c_str(), preset.c_str(), image->width, image->height);
    return kExitOk;
}

// What `render` was asked for: the view, the slice request, rotations, the stack. Returns the
// exit code when the options do not make sense.
struct RenderAsk {
    render::SliceRequest request;
    std::string view;
    bool oblique = false;
    bool volumeRendering = false;
    bool imageViewAsked = false;
    std::vector<render::Rotation> rotations;
    std::optional<int> stack;
};

std::optional<int> parseViewOptions(const CliOptions& options, RenderAsk& ask)
{
    render::SliceRequest& request = ask.request;
    ask.view = options.value("view").value_or("axial");
    const std::string& view = ask.view;
    ask.oblique = view == "oblique" || view == "mip";
    ask.volumeRendering = view == "vr";
    ask.imageViewAsked = view == "image";
    if (!ask.oblique && !ask.volumeRendering && !ask.imageViewAsked && !render::parseViewPlane(view, request.plane))
        return fail("--view takes image, axial, coronal, sagittal, oblique, mip or vr", kExitUsage);
    for (const auto& text : options.all("rotate")) {
        render::Rotation rotation;
        if (!render::parseRotation(text, rotation)) return fail("--rotate takes x|y|z:DEGREES (got '" + text + "')", kExitUsage);
        ask.rotations.push_back(rotation);
    }
    if (!ask.rotations.empty() && !ask.oblique && !ask.volumeRendering)
        return fail("--rotate goes with --view oblique, mip or vr", kExitUsage);
    if (auto slice = options.value("slice")) {
        request.slice = parseInteger(*slice);
        if (!request.slice) return fail("--slice takes a whole number", kExitUsage);
        if (ask.oblique) return fail("--slice is for axial, coronal and sagittal views; use --position", kExitUsage);
    }
    if (auto position = options.value("position")) {
        request.position = parseNumber(*position);
        if (!request.position) return fail("--position takes millimetres", kExitUsage);
        if (request.slice) return fail("--slice and --position exclude each other", kExitUsage);
    }
    return std::nullopt;
}

std::optional<int> parseRenderAsk(const CliOptions& options, RenderAsk& ask)
{
    if (auto problem = parseViewOptions(options, ask)) return problem;
    render::SliceRequest& request = ask.request;
    const bool volumeRendering = ask.volumeRendering;
    if (options.value("window") || options.value("level")) {
        auto width = parseNumber(options.value("window").value_or(""));
        auto level = parseNumber(options.value("level").value_or(""));
        if (!width || !level || *width < 1) return fail("--window W (>= 1) and --level L go together", kExitUsage);
        request.window = render::Window{*level, *width};
    }
    if (auto preset = options.value("preset"); preset && !volumeRendering) {
        if (request.window) return fail("--preset and --window/--level exclude each other", kExitUsage);
        auto window = render::presetNamed(*preset);
        if (!window) return fail(window.error().message(), kExitUsage);
        request.window = *window;
    }
    if (auto slab = options.value("slab")) {
        auto millimetres = parseNumber(*slab);
        if (!millimetres || *millimetres < 0) return fail("--slab takes millimetres", kExitUsage);
        request.slabMm = *millimetres;
    }
    if (auto mode = options.value("slab-mode"); mode && !render::parseSlabMode(*mode, request.slabMode))
        return fail("--slab-mode takes mip, minip or avg", kExitUsage);
    if (auto size = options.value("size"); size) {
        if (auto problem = parseSize(*size, request.size)) return fail(*problem, kExitUsage);
    }
    if (auto time = options.value("time")) {
        auto t = parseInteger(*time);
        if (!t) return fail("--time takes a whole number", kExitUsage);
        request.timePoint = *t;
    }
    if (auto text = options.value("stack")) {
        ask.stack = parseInteger(*text);
        if (!ask.stack) return fail("--stack takes a whole number", kExitUsage);
    }
    return std::nullopt;
}

// The slice (or oblique plane, or MIP) of `volume` as asked.
core::Result<render::RenderedSlice> renderPlane(const core::Volume& volume, const RenderAsk& ask)
{
    if (!ask.oblique) return render::renderSlice(volume, ask.request);
    const render::SliceRequest& request = ask.request;
    render::ObliqueRequest obliqueRequest;
    // A MIP looks from the front (the angiography convention); an oblique plane starts axial.
    obliqueRequest.base = ask.view == "mip" ? render::ViewPlane::Coronal : render::ViewPlane::Axial;
    obliqueRequest.rotations = ask.rotations;
    obliqueRequest.positionMm = request.position;
    obliqueRequest.slabMm = request.slabMm;
    obliqueRequest.slabMode = request.slabMode;
    obliqueRequest.throughWholeVolume = ask.view == "mip";
    obliqueRequest.window = request.window;
    obliqueRequest.size = request.size;
    obliqueRequest.timePoint = request.timePoint;
    return render::renderOblique(volume, obliqueRequest);
}

// What was written, as JSON or one line.
int reportRendered(const CliOptions& options, const std::filesystem::path& output, const core::Volume& shown,
                   const RenderAsk& ask, const render::RenderedSlice& r)
{
    const core::Volume* volume = &shown;
    const bool oblique = ask.oblique;
    const std::string& view = ask.view;
    const render::SliceRequest& request = ask.request;
    QJsonArray warnings;
    for (const auto& warning : volume->warnings) warnings.append(qs(warning));
    if (!oblique && r.view.obliqueToPatient)
        warnings.append("the volume is oblique to the patient axes: shown in the nearest orthogonal orientation");
    if (volume->pixelSpacingSource == "detector")
        warnings.append("distances are at the detector (ImagerPixelSpacing), not corrected for magnification");
    else if (volume->pixelSpacingSource.empty())
        warnings.append("no pixel spacing: no distances or scale");
    const std::string viewName = r.imageView ? std::string("image") : oblique ? view : render::viewPlaneName(request.plane);
    const bool hasLabels = !r.view.rightLabel.empty();
    const QJsonValue labels = hasLabels ? QJsonValue(QJsonObject{{"left", qs(r.view.leftLabel)},
                                                                 {"right", qs(r.view.rightLabel)},
                                                                 {"top", qs(r.view.topLabel)},
                                                                 {"bottom", qs(r.view.bottomLabel)}})
                                        : QJsonValue();
    const QJsonValue pixelMm = volume->pixelSpacingSource.empty() ? QJsonValue()
                                                                  : QJsonValue(QJsonArray{r.view.pixelWidthMm, r.view.pixelHeightMm});
    if (options.json) {
        printJson(QJsonObject{{"file", qs(output.string())},
                              {"series_uid", qs(volume->seriesUid)},
                              {"view", qs(viewName)},
                              {"width", r.image.width},
                              {"height", r.image.height},
                              {"slice", r.sliceIndex},
                              {"position_mm", r.positionMm},
                              {"slab_slices", r.slabSlices},
                              {"window", r.window.width},
                              {"level", r.window.center},
                              {"voi", qs(r.voi)},
                              {"inverted", r.inverted},
                              {"pixel_mm", pixelMm},
                              {"pixel_spacing_source", volume->pixelSpacingSource.empty() ? QJsonValue() : qs(volume->pixelSpacingSource)},
                              {"labels", labels},
                              {"resampled", volume->resampled},
                              {"warnings", warnings}});
    } else {
        const std::string voi = r.voi == "table" ? std::string("VOI LUT")
                                : QString("W %1 L %2%3")
                                      .arg(r.window.width, 0, 'f', 0)
                                      .arg(r.window.center, 0, 'f', 0)
                                      .arg(r.voi == "linear" ? QString() : " " + qs(r.voi))
                                      .toStdString();
        std::printf("%s: %s slice %d (%.2f mm), %dx%d, %s, left %s right %s top %s bottom %s\n",
                    output.string().c_str(), viewName.c_str(), r.sliceIndex, r.positionMm,
                    r.image.width, r.image.height, voi.c_str(), r.view.leftLabel.c_str(),
                    r.view.rightLabel.c_str(), r.view.topLabel.c_str(), r.view.bottomLabel.c_str());
    }
    return kExitOk;
}

} // namespace

int runRender(const CliOptions& options)
{
    if (options.arguments.size() != 1 || !options.value("output"))
        return fail("usage: render SERIES_UID|PATH --view image|axial|coronal|sagittal|oblique|mip|vr [--slice K | --position MM] "
                    "[--rotate x|y|z:DEG]... "
                    "[--window W --level L | --preset NAME] [--slab MM --slab-mode mip|minip|avg] "
                    "[--size WxH|native] -o OUT.png",
                    kExitUsage);
    RenderAsk ask;
    if (auto problem = parseRenderAsk(options, ask)) return *problem;
    render::SliceRequest& request = ask.request;
    const std::string& view = ask.view;
    const bool oblique = ask.oblique, volumeRendering = ask.volumeRendering, imageViewAsked = ask.imageViewAsked;
    std::optional<int> stack = ask.stack;
    int exitCode = kExitOk;
    auto volume = loadStack(options, stack, exitCode);
    if (!volume) return exitCode;
    const std::filesystem::path output = *options.value("output");
    // Images without patient geometry have one view, `image`; a reformat or 3D needs a volume.
    const bool reformat = oblique || volumeRendering
        || (!imageViewAsked && volume->hasPatientGeometry && render::viewGeometry(volume->geometry(), request.plane).depth.volumeAxis != 2);
    if (!volume->hasPatientGeometry && (oblique || volumeRendering || (!imageViewAsked && request.plane != render::ViewPlane::Axial)))
        return fail("--view " + view + " needs a volume: this series has no patient geometry (no ImageOrientationPatient); "
                    "it is shown with --view image",
                    kExitUsage);
    if (volume->hasPatientGeometry && imageViewAsked) request.plane = render::acquisitionPlane(volume->geometry());
    if (reformat && volume->geometry().dims[2] < 2)
        return fail("--view " + view + " needs a volume: this stack is a single image", kExitUsage);
    // Reformats, slabs and 3D of a tilted or unevenly spaced stack use the regular grid; the
    // acquisition plane shows the acquired slices where they are.
    if (reformat || request.slabMm > 0) {
        auto grid = render::onRegularGrid(volume);
        if (!grid) return fail(grid.error());
        volume = *grid;
    }
    if (volumeRendering) return renderVolumeView(volume, options, ask.rotations, request, output);
    auto rendered = renderPlane(*volume, ask);
    if (!rendered) return fail(rendered.error().message(), rendered.error().code == core::ErrorCode::InvalidArgument ? kExitUsage : kExitFailure);
    // Colour images as RGB (as stored), grey ones as 8-bit grey.
    const auto written = rendered->rgb.empty()
                             ? render::writePng(rendered->image, output)
                             : render::writePng(render::RgbImage{rendered->image.width, rendered->image.height, rendered->rgb}, output);
    if (!written) return fail(written.error());

    return reportRendered(options, output, *volume, ask, *rendered);
}

} // namespace lb::app::cli
