#pragma once
// Reads the frames of one DICOM image file (header only) for series assembly.
// Enhanced multi-frame objects give one SeriesFrame per frame, with the per-frame (or shared)
// functional groups' position, orientation, pixel measures, rescale and temporal index.
#include "core/Result.h"
#include "core/SeriesFrame.h"

#include <vector>

namespace lb::core {

Result<std::vector<SeriesFrame>> readSeriesFrames(const std::filesystem::path& file);

} // namespace lb::core
