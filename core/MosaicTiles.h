#pragma once
// Mosaic de-mosaicing (Siemens mosaics, UIH grids): a mosaic file holds NumberOfImagesInMosaic slices as tiles of a
// ceil(sqrt(n)) x ceil(sqrt(n)) grid, and its ImagePositionPatient describes the whole mosaic.
// Each mosaic frame becomes one frame per tile, with the tile's true position:
//   tile 0 = IPP + row * column spacing * (mosaic columns - tile columns) / 2
//                + column * row spacing * (mosaic rows - tile rows) / 2,
//   tile t = tile 0 + t * SpacingBetweenSlices * slice normal,
// where the slice normal is the CSA SliceNormalVector (the acquisition order; it may point
// against row x column) or row x column when the CSA header is missing. The slice sorter then
// orders tiles and time points like any other frames. Mosaics whose tile count is unknown are
// left whole (the assembler shows them as 2D with a warning).
//
// UIH grids (Manufacturer UIH, "Image Private Header" (0065,xx50) = number of tiles) are laid
// out ceil(sqrt(n)) tiles wide and ceil(n / width) tiles high, and each tile's position is
// given as is: item t of (0065,xx51) holds tile t's ImagePositionPatient (the file itself often
// has none). With only a top-level IPP it is tile 0's, without the Siemens corner shift; the
// next tiles follow at SpacingBetweenSlices along row x column. This is what dcm2niix does
// (nii_dicom.cpp: kNumberOfImagesInGridUIH, nii_demosaic's isUIH; see tests/data/derived/README.md).
#include "core/SeriesFrame.h"

#include <vector>

namespace lb::core {

std::vector<SeriesFrame> expandMosaicTiles(std::vector<SeriesFrame> frames);

} // namespace lb::core
