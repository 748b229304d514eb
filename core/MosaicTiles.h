#pragma once
// Siemens mosaic de-mosaicing: a mosaic file holds NumberOfImagesInMosaic slices as tiles of a
// ceil(sqrt(n)) x ceil(sqrt(n)) grid, and its ImagePositionPatient describes the whole mosaic.
// Each mosaic frame becomes one frame per tile, with the tile's true position:
//   tile 0 = IPP + row * column spacing * (mosaic columns - tile columns) / 2
//                + column * row spacing * (mosaic rows - tile rows) / 2,
//   tile t = tile 0 + t * SpacingBetweenSlices * slice normal,
// where the slice normal is the CSA SliceNormalVector (the acquisition order; it may point
// against row x column) or row x column when the CSA header is missing. The slice sorter then
// orders tiles and time points like any other frames. Mosaics whose tile count is unknown are
// left whole (the assembler shows them as 2D with a warning).
#include "core/SeriesFrame.h"

#include <vector>

namespace lb::core {

std::vector<SeriesFrame> expandMosaicTiles(std::vector<SeriesFrame> frames);

} // namespace lb::core
