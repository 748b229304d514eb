#include "render/ImageFit.h"

#include <algorithm>
#include <cmath>

namespace lb::render {
namespace {

double at(const ValuePlane& plane, int x, int y)
{
    return plane.values[static_cast<size_t>(y) * plane.width + x];
}

double bilinear(const ValuePlane& plane, double x, double y)
{
    x = std::clamp(x, 0.0, plane.width - 1.0);
    y = std::clamp(y, 0.0, plane.height - 1.0);
    const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
    const int x1 = std::min(x0 + 1, plane.width - 1), y1 = std::min(y0 + 1, plane.height - 1);
    const double fx = x - x0, fy = y - y0;
    const double top = at(plane, x0, y0) * (1 - fx) + at(plane, x1, y0) * fx;
    const double bottom = at(plane, x0, y1) * (1 - fx) + at(plane, x1, y1) * fx;
    return top * (1 - fy) + bottom * fy; // NaN when a neighbour has no value
}

} // namespace

GreyImage toGrey(const ValuePlane& plane, const VoiLut& voi, uint8_t background)
{
    GreyImage image{plane.width, plane.height, std::vector<uint8_t>(plane.values.size())};
    for (size_t i = 0; i < plane.values.size(); ++i)
        image.pixels[i] = std::isnan(plane.values[i]) ? background : voi(plane.values[i]);
    return image;
}

GreyImage fitToSize(const ValuePlane& plane, int width, int height, const VoiLut& voi, uint8_t background)
{
    GreyImage image{width, height, std::vector<uint8_t>(static_cast<size_t>(width) * height, background)};
    const double extentX = plane.width * plane.pixelWidthMm, extentY = plane.height * plane.pixelHeightMm;
    const double mmPerPixel = std::max(extentX / width, extentY / height);
    const double offsetX = (width - extentX / mmPerPixel) / 2, offsetY = (height - extentY / mmPerPixel) / 2;
    for (int y = 0; y < height; ++y) {
        const double sourceY = ((y + 0.5 - offsetY) * mmPerPixel) / plane.pixelHeightMm - 0.5;
        if (sourceY < -0.5 || sourceY > plane.height - 0.5) continue;
        for (int x = 0; x < width; ++x) {
            const double sourceX = ((x + 0.5 - offsetX) * mmPerPixel) / plane.pixelWidthMm - 0.5;
            if (sourceX < -0.5 || sourceX > plane.width - 0.5) continue;
            const double value = bilinear(plane, sourceX, sourceY);
            if (!std::isnan(value)) image.pixels[static_cast<size_t>(y) * width + x] = voi(value);
        }
    }
    return image;
}

core::Status paintPlane(const ValuePlane& plane, const core::Volume& volume, const std::optional<Window>& window,
                        const std::optional<std::pair<int, int>>& size, RenderedSlice& result)
{
    result.inverted = volume.photometricInterpretation == "MONOCHROME1";
    std::optional<VoiLut> stored;
    if (window) {
        result.window = *window; // a window asked for is always linear
    } else if (volume.storedVoiLut && !volume.storedVoiLut->entries.empty()) {
        // The modality's VOI LUT (preferred over its window, as pydicom's apply_voi_lut does).
        const auto& table = *volume.storedVoiLut;
        result.window = {table.firstMapped + table.entries.size() / 2.0, static_cast<double>(table.entries.size())};
        result.voi = "table";
        stored.emplace(volume.storedVoiLut, result.inverted);
    } else if (volume.storedWindow) { // the window the modality chose (WindowCenter/Width)
        result.window = {(*volume.storedWindow)[0], (*volume.storedWindow)[1]};
        const VoiFunction function = voiFunctionOf(volume.storedVoiFunction);
        if (function != VoiFunction::Linear) {
            result.voi = function == VoiFunction::Sigmoid ? "sigmoid" : "linear-exact";
            stored.emplace(result.window, result.inverted, function);
        }
    } else {
        std::vector<double> values;
        values.reserve(plane.values.size());
        for (double v : plane.values)
            if (!std::isnan(v)) values.push_back(v);
        result.window = automaticWindow(values);
    }
    result.values.assign(plane.values.begin(), plane.values.end());
    const VoiLut voi = stored ? *stored : VoiLut(result.window, result.inverted);
    const uint8_t background = result.inverted ? 255 : 0;
    if (!size) {
        result.image = toGrey(plane, voi, background);
        return {};
    }
    const auto [width, height] = *size;
    if (width < 1 || height < 1 || width > 16384 || height > 16384)
        return core::makeError(core::ErrorCode::InvalidArgument, volume.seriesUid, "image size outside 1..16384");
    result.image = fitToSize(plane, width, height, voi, background);
    return {};
}

core::Status paintColour(const std::array<ValuePlane, 3>& planes, const core::Volume& volume,
                         const std::optional<std::pair<int, int>>& size, RenderedSlice& result)
{
    // The identity as a linear VOI: 8-bit values stay, 16-bit ones scale to 8 bits.
    const double top = volume.pixelType() == core::PixelType::UInt8 ? 256 : 65536;
    result.window = {top / 2, top};
    result.voi = "colour";
    const VoiLut identity(result.window, false);
    std::array<GreyImage, 3> channels;
    for (int c = 0; c < 3; ++c) {
        if (!size) {
            channels[c] = toGrey(planes[c], identity, 0);
            continue;
        }
        const auto [width, height] = *size;
        if (width < 1 || height < 1 || width > 16384 || height > 16384)
            return core::makeError(core::ErrorCode::InvalidArgument, volume.seriesUid, "image size outside 1..16384");
        channels[c] = fitToSize(planes[c], width, height, identity, 0);
    }
    const size_t pixels = channels[0].pixels.size();
    result.rgb.resize(pixels * 3);
    result.image = {channels[0].width, channels[0].height, std::vector<uint8_t>(pixels)};
    result.values.resize(planes[0].values.size());
    for (size_t i = 0; i < pixels; ++i) {
        for (int c = 0; c < 3; ++c) result.rgb[i * 3 + c] = channels[c].pixels[i];
        result.image.pixels[i] = static_cast<uint8_t>(
            0.299 * channels[0].pixels[i] + 0.587 * channels[1].pixels[i] + 0.114 * channels[2].pixels[i] + 0.5);
    }
    for (size_t i = 0; i < result.values.size(); ++i)
        result.values[i] = static_cast<float>(0.299 * planes[0].values[i] + 0.587 * planes[1].values[i] + 0.114 * planes[2].values[i]);
    return {};
}

} // namespace lb::render
