#pragma once
// Volume: one stack of a series as a dense voxel grid in patient space, immutable once built
// (shared as shared_ptr<const Volume> across threads).
//
// Conventions (the same as tests/data oracle.json): DICOM LPS in mm; i = column,
// j = row, k = slice sorted ascending along row x column cosines; origin = centre of voxel
// (0,0,0); direction = row cosines, column cosines, normal. Voxels hold modality values
// (stored x RescaleSlope + RescaleIntercept: HU for CT). Colour volumes hold RGB (3
// components per voxel, interleaved; YBR and palette colour converted). Layout: component
// fastest, then i, j, k, t.
#include "core/VoiLutTable.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lb::core {

enum class PixelType { UInt8, Int16, UInt16, Int32, UInt32, Float32 };
const char* pixelTypeName(PixelType type);
size_t bytesPerVoxel(PixelType type);

struct VolumeGeometry {
    std::array<int, 3> dims{0, 0, 0};
    std::array<double, 3> spacing{1, 1, 1}; // column, row, slice (mm)
    std::array<double, 3> origin{0, 0, 0};  // LPS (mm)
    std::array<double, 9> direction{1, 0, 0, 0, 1, 0, 0, 0, 1}; // row, column, normal
};

class Volume {
public:
    Volume(VolumeGeometry geometry, int timePoints, PixelType type, int components = 1);

    const VolumeGeometry& geometry() const { return m_geometry; }
    int timePoints() const { return m_timePoints; }
    PixelType pixelType() const { return m_type; }
    int components() const { return m_components; } // 1 (grey) or 3 (RGB)
    size_t voxelCount() const; // all time points
    size_t sliceVoxels() const { return static_cast<size_t>(m_geometry.dims[0]) * m_geometry.dims[1]; }
    size_t sliceBytes() const { return sliceVoxels() * m_components * bytesPerVoxel(m_type); }

    std::byte* data() { return m_data.get(); }
    const std::byte* data() const { return m_data.get(); }
    size_t byteSize() const { return m_byteSize; }

    // The modality value (or colour component c) at (i, j, k, t); indices must be inside.
    double valueAt(int i, int j, int k, int t = 0, int c = 0) const;
    std::pair<double, double> valueRange() const; // over every component
    bool contains(int i, int j, int k, int t) const;

    // Set while assembling.
    std::string seriesUid;
    std::string frameOfReferenceUid;
    std::string modality;          // CT values are HU
    double sliceThicknessMm = 0;   // SliceThickness of the first frame (0: not given)
    std::string photometricInterpretation; // MONOCHROME1 is displayed inverted
    std::optional<std::array<double, 2>> storedWindow; // WindowCenter/Width of the first frame
    std::string storedVoiFunction;                     // its VOILUTFunction ("" = LINEAR)
    std::shared_ptr<const VoiLutTable> storedVoiLut;   // its VOI LUT Sequence's first LUT
    std::vector<std::string> warnings;

    // Acquired geometry, kept exactly. slicePositions[k] is the ImagePositionPatient of voxel
    // (0,0,k) as the files say (empty without patient geometry); `geometry()` is the nominal
    // grid (first slice's origin, mean spacing along the normal), true only when `regularGrid`.
    // A tilted or unevenly spaced stack is shown slice by slice as acquired; MPR, 3D and
    // measurements use render::onRegularGrid(), which resamples it.
    std::vector<std::array<double, 3>> slicePositions;
    std::vector<int> gapAfter;     // k where slices are missing between k and k + 1 (missing-slice gaps)
    std::vector<int> blankSlices;  // k of slices whose pixels could not be read (filled with the lowest value)
    bool hasPatientGeometry = true; // false: no ImageOrientationPatient/ImagePositionPatient
    bool regularGrid = true;
    double gantryTiltDegrees = 0;
    bool resampled = false;         // made by render::onRegularGrid from an irregular stack
    bool firstSliceOnly = false;    // the one-image preview shown while the series loads (VolumeLoadOptions::onFirstSlice)

    // Images without patient geometry (CR, DX, secondary capture):
    std::array<std::string, 2> patientOrientation; // PatientOrientation: toward the row, toward the column ("R", "F")
    // Where the in-plane spacing comes from: "patient" (PixelSpacing, or the per-frame pixel
    // measures), "detector" (ImagerPixelSpacing only: at the detector, not corrected for
    // magnification) or "" (none: the spacing in geometry() is a placeholder of 1 mm and no
    // distance may be shown).
    std::string pixelSpacingSource = "patient";

    // The position along the normal (mm) of slice k: its own IPP . normal.
    double slicePositionAlongNormal(int k) const;
    // The geometry of acquired slice k alone: geometry() with slice k's own IPP as origin (so
    // voxel (i, j, 0) of it is voxel (i, j, k) where the file puts it); nullopt without slicePositions.
    std::optional<VolumeGeometry> ownSliceGeometry(int k) const;

private:
    VolumeGeometry m_geometry;
    int m_timePoints;
    PixelType m_type;
    int m_components;
    // Not value-initialised: the assembler writes every voxel (undecoded slices are zeroed
    // explicitly), and zero-filling 200 MB first would cost a pass over memory.
    struct FreeDeleter {
        void operator()(std::byte* p) const { std::free(p); }
    };
    using VoxelBuffer = std::unique_ptr<std::byte[], FreeDeleter>;
    static VoxelBuffer allocateVoxels(size_t bytes);
    VoxelBuffer m_data;
    size_t m_byteSize = 0;
};

} // namespace lb::core
