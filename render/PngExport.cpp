#include "render/PngExport.h"

#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPNGWriter.h>

#include <cstring>
#include <system_error>

namespace lb::render {

namespace {

core::Status write(const std::vector<uint8_t>& pixels, int width, int height, int components,
                   const std::filesystem::path& file)
{
    vtkNew<vtkImageData> data;
    data->SetDimensions(width, height, 1);
    data->AllocateScalars(VTK_UNSIGNED_CHAR, components);
    auto* target = static_cast<unsigned char*>(data->GetScalarPointer());
    const size_t row = static_cast<size_t>(width) * components;
    // VTK's row 0 is the bottom of the picture; ours is the top.
    for (int y = 0; y < height; ++y)
        std::memcpy(target + static_cast<size_t>(height - 1 - y) * row, pixels.data() + static_cast<size_t>(y) * row, row);
    vtkNew<vtkPNGWriter> writer;
    writer->SetInputData(data);
    writer->SetFileName(file.c_str());
    writer->Write();
    std::error_code ec;
    if (writer->GetErrorCode() != 0 || !std::filesystem::exists(file, ec) || std::filesystem::file_size(file, ec) == 0)
        return core::makeError(core::ErrorCode::Io, file.string(), "cannot write the PNG");
    return {};
}

} // namespace

core::Status writePng(const GreyImage& image, const std::filesystem::path& file)
{
    return write(image.pixels, image.width, image.height, 1, file);
}

core::Status writePng(const RgbImage& image, const std::filesystem::path& file)
{
    return write(image.pixels, image.width, image.height, 3, file);
}

} // namespace lb::render
