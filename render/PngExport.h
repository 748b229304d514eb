#pragma once
// Writes a rendered image as an 8-bit grey or RGB PNG (VTK's PNG writer).
#include "core/Result.h"
#include "render/SliceRender.h"
#include "render/VolumeRender.h"

#include <filesystem>

namespace lb::render {

core::Status writePng(const GreyImage& image, const std::filesystem::path& file);
core::Status writePng(const RgbImage& image, const std::filesystem::path& file);

} // namespace lb::render
