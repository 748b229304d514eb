#pragma once
// What a hanging protocol asks of a series, read from one of its files: the acquisition plane,
// slice thickness, image type, contrast, and the projection attributes of radiographs and
// mammograms (view position, laterality). The index keeps only modality, description and body
// part; these few attributes are read from a file when a protocol is applied.
#include "core/Result.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lb::core {

struct SeriesTraits {
    std::string modality;
    std::string description;  // SeriesDescription
    std::string bodyPart;     // BodyPartExamined, upper case
    std::string protocolName; // ProtocolName
    std::vector<std::string> imageType; // ImageType values, upper case ("ORIGINAL", "PRIMARY", "AXIAL", ...)
    std::optional<double> sliceThickness; // mm
    bool contrast = false;                // ContrastBolusAgent present (a contrast-enhanced acquisition)
    // "axial", "coronal" or "sagittal" when the slice normal is within 30 degrees of an axis,
    // "oblique" otherwise, "" without ImageOrientationPatient (radiographs, mammograms).
    std::string orientation;
    std::string viewPosition; // ViewPosition ("CC", "MLO", "PA", "AP", "LL" ...), upper case
    std::string laterality;   // ImageLaterality, else Laterality ("R", "L", "B")
};

Result<SeriesTraits> readSeriesTraits(const std::filesystem::path& file);

// The plane name of an orientation (six direction cosines) as SeriesTraits::orientation says it.
std::string acquisitionPlane(const std::array<double, 6>& orientation);

} // namespace lb::core
