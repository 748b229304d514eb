#pragma once
// SeriesFrame: one image frame of a series as the sorters see it: which file and frame, its
// plane geometry, its rescale, and what orders it in time. Single-frame files give one,
// enhanced multi-frame files one per frame (from the per-frame functional groups).
#include "core/VoiLutTable.h"

#include <array>
#include <filesystem>
#include <optional>
#include <memory>
#include <string>
#include <vector>

namespace lb::core {

// PALETTE COLOR lookup tables (PS3.3 C.7.6.3.1.5): index -> R, G, B.
struct PaletteLut {
    int firstMapped = 0;
    int bits = 16; // of each entry: 8 or 16
    std::array<std::vector<uint16_t>, 3> entries; // red, green, blue
};

struct SeriesFrame {
    std::filesystem::path file;
    int frameIndex = 0;    // inside the file
    std::string seriesUid;
    std::string sopInstanceUid;
    std::string frameOfReferenceUid; // views of series sharing it are linked (scroll, reference lines)
    std::string modality;
    int rows = 0;
    int columns = 0;
    int samplesPerPixel = 1;
    int planarConfiguration = 0; // 1: colour planes one after the other (native data)
    std::string photometricInterpretation;
    int bitsAllocated = 16;
    int bitsStored = 16;
    int highBit = 15;
    bool signedPixels = false;
    std::optional<std::array<double, 3>> position;    // IPP
    std::optional<std::array<double, 6>> orientation; // IOP
    std::array<double, 2> pixelSpacing{1, 1};         // row spacing, column spacing (PixelSpacing order)
    // Where pixelSpacing comes from: "patient" (PixelSpacing or the pixel measures), "detector"
    // (ImagerPixelSpacing only) or "" (none: the 1 mm above is a placeholder, never a distance).
    std::string pixelSpacingSource;
    std::array<std::string, 2> patientOrientation; // PatientOrientation (toward row end, toward column end)
    double sliceThickness = 0;
    double rescaleSlope = 1;
    double rescaleIntercept = 0;
    // WindowCenter/WindowWidth (first values; per frame in enhanced objects): in modality values.
    std::optional<std::array<double, 2>> window; // centre, width
    std::string voiFunction;                      // VOILUTFunction: "" (LINEAR), LINEAR_EXACT, SIGMOID
    std::shared_ptr<const VoiLutTable> voiLut;    // the first item of the VOI LUT Sequence
    std::optional<int> temporalIndex; // TemporalPositionIndex / TemporalPositionIdentifier
    std::optional<int> instanceNumber;
    std::optional<int> echoNumber;
    bool localizer = false; // ImageType contains LOCALIZER
    bool mosaic = false;    // Siemens ImageType contains MOSAIC
    int mosaicImages = 0;   // (0019,100A) NumberOfImagesInMosaic, when it could be read
    double spacingBetweenSlices = 0;               // (0018,0088), used for mosaic tiles
    std::optional<std::array<double, 3>> csaSliceNormal; // CSA SliceNormalVector (tile order)
    bool uihGrid = false; // a UIH grid: tiles ceil(sqrt(n)) wide, ceil(n / width) high
    std::vector<std::array<double, 3>> tilePositions; // UIH: each tile's own IPP ((0065,xx51) items)
    // Set on the frames expandMosaicTiles() makes: which tile of which mosaic this frame is.
    std::shared_ptr<const PaletteLut> palette; // set for PALETTE COLOR images
    int tileIndex = -1;
    int tileGrid = 0;        // tiles per mosaic row
    int mosaicRows = 0;
    int mosaicColumns = 0;
    std::string transferSyntaxUid;
    // Lossy compression, in words ("JPEG extended, ratio 76:1"); "" when the pixels are the
    // originals as far as the file says (LossyImageCompression, or a transfer syntax that is
    // always lossy).
    std::string lossy;
};

} // namespace lb::core
