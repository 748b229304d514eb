#include "render/PngExport.h"

#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPNGWriter.h>

#include <cstring>
#include <system_error>

namespace lb::render {

core::Status writePng(const GreyImage& image, const std::filesystem::path& file)
{
    vtkNew<vtkImageData> data;
    data->SetDimensions(image.width, image.height, 1);
    data->AllocateScalars(VTK_UNSIGNED_CHAR, 1);
    auto* target = static_cast<unsigned char*>(data->GetScalarPointer());
    // VTK's row 0 is the bottom of the picture; ours is the top.
    for (int y = 0; y < image.height; ++y)
        std::memcpy(target + static_cast<size_t>(image.height - 1 - y) * image.width,
                    image.pixels.data() + static_cast<size_t>(y) * image.width, static_cast<size_t>(image.width));
    vtkNew<vtkPNGWriter> writer;
    writer->SetInputData(data);
    writer->SetFileName(file.c_str());
    writer->Write();
    std::error_code ec;
    if (writer->GetErrorCode() != 0 || !std::filesystem::exists(file, ec) || std::filesystem::file_size(file, ec) == 0)
        return core::makeError(core::ErrorCode::Io, file.string(), "cannot write the PNG");
    return {};
}

} // namespace lb::render
