#include "core/Volume.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <sys/mman.h>
#include <limits>

namespace lb::core {

const char* pixelTypeName(PixelType type)
{
    switch (type) {
    case PixelType::UInt8: return "uint8";
    case PixelType::Int16: return "int16";
    case PixelType::UInt16: return "uint16";
    case PixelType::Int32: return "int32";
    case PixelType::UInt32: return "uint32";
    case PixelType::Float32: return "float32";
    }
    return "unknown";
}

size_t bytesPerVoxel(PixelType type)
{
    switch (type) {
    case PixelType::UInt8: return 1;
    case PixelType::Int16:
    case PixelType::UInt16: return 2;
    case PixelType::Int32:
    case PixelType::UInt32:
    case PixelType::Float32: return 4;
    }
    return 4;
}

namespace {
constexpr size_t kHugePage = 2u << 20;
}

// Big volumes are aligned to 2 MiB and offered transparent huge pages: a 200 MB CT then takes
// ~100 page faults instead of ~50,000 (the kernel zeroes every page it hands out).
Volume::VoxelBuffer Volume::allocateVoxels(size_t bytes)
{
    if (bytes < kHugePage) return VoxelBuffer(static_cast<std::byte*>(std::malloc(std::max<size_t>(bytes, 1))));
    const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* memory = std::aligned_alloc(kHugePage, rounded);
    if (memory) ::madvise(memory, rounded, MADV_HUGEPAGE);
    return VoxelBuffer(static_cast<std::byte*>(memory));
}

Volume::Volume(VolumeGeometry geometry, int timePoints, PixelType type, int components)
    : m_geometry(geometry), m_timePoints(timePoints), m_type(type), m_components(components)
{
    m_byteSize = voxelCount() * static_cast<size_t>(components) * bytesPerVoxel(type);
    m_data = allocateVoxels(m_byteSize);
}

size_t Volume::voxelCount() const
{
    return static_cast<size_t>(m_geometry.dims[0]) * m_geometry.dims[1] * m_geometry.dims[2] * m_timePoints;
}

bool Volume::contains(int i, int j, int k, int t) const
{
    return i >= 0 && j >= 0 && k >= 0 && t >= 0 && i < m_geometry.dims[0] && j < m_geometry.dims[1]
        && k < m_geometry.dims[2] && t < m_timePoints;
}

namespace {
template <typename T>
T load(const std::byte* data, size_t index)
{
    T value;
    std::memcpy(&value, data + index * sizeof(T), sizeof(T));
    return value;
}

double valueAtIndex(const std::byte* data, PixelType type, size_t index)
{
    switch (type) {
    case PixelType::UInt8: return load<uint8_t>(data, index);
    case PixelType::Int16: return load<int16_t>(data, index);
    case PixelType::UInt16: return load<uint16_t>(data, index);
    case PixelType::Int32: return load<int32_t>(data, index);
    case PixelType::UInt32: return load<uint32_t>(data, index);
    case PixelType::Float32: return load<float>(data, index);
    }
    return 0;
}
} // namespace

double Volume::valueAt(int i, int j, int k, int t, int c) const
{
    const size_t voxel = ((static_cast<size_t>(t) * m_geometry.dims[2] + k) * m_geometry.dims[1] + j) * m_geometry.dims[0] + i;
    const size_t index = voxel * static_cast<size_t>(m_components) + static_cast<size_t>(c);
    return valueAtIndex(m_data.get(), m_type, index);
}

namespace {
template <typename T>
std::pair<double, double> rangeOf(const std::byte* data, size_t count)
{
    // A plain loop: std::minmax_element returns iterators and does not vectorise.
    const T* values = reinterpret_cast<const T*>(data);
    T low = values[0], high = values[0];
    for (size_t i = 1; i < count; ++i) {
        low = std::min(low, values[i]);
        high = std::max(high, values[i]);
    }
    return {static_cast<double>(low), static_cast<double>(high)};
}
} // namespace

std::pair<double, double> Volume::valueRange() const
{
    const size_t count = voxelCount() * static_cast<size_t>(m_components);
    if (count == 0) return {0.0, 0.0};
    switch (m_type) {
    case PixelType::UInt8: return rangeOf<uint8_t>(m_data.get(), count);
    case PixelType::Int16: return rangeOf<int16_t>(m_data.get(), count);
    case PixelType::UInt16: return rangeOf<uint16_t>(m_data.get(), count);
    case PixelType::Int32: return rangeOf<int32_t>(m_data.get(), count);
    case PixelType::UInt32: return rangeOf<uint32_t>(m_data.get(), count);
    case PixelType::Float32: return rangeOf<float>(m_data.get(), count);
    }
    return {0.0, 0.0};
}

} // namespace lb::core

namespace lb::core {

std::optional<VolumeGeometry> Volume::ownSliceGeometry(int k) const
{
    if (k < 0 || static_cast<size_t>(k) >= slicePositions.size()) return std::nullopt;
    VolumeGeometry own = m_geometry;
    own.origin = slicePositions[static_cast<size_t>(k)];
    return own;
}

double Volume::slicePositionAlongNormal(int k) const
{
    const auto& d = m_geometry.direction;
    const std::array<double, 3> p = k >= 0 && static_cast<size_t>(k) < slicePositions.size()
        ? slicePositions[static_cast<size_t>(k)]
        : std::array<double, 3>{m_geometry.origin[0] + d[6] * m_geometry.spacing[2] * k,
                                m_geometry.origin[1] + d[7] * m_geometry.spacing[2] * k,
                                m_geometry.origin[2] + d[8] * m_geometry.spacing[2] * k};
    return p[0] * d[6] + p[1] * d[7] + p[2] * d[8];
}

} // namespace lb::core
