#include "core/Volume.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace lb::core {

const char* pixelTypeName(PixelType type)
{
    switch (type) {
    case PixelType::Int16: return "int16";
    case PixelType::UInt16: return "uint16";
    case PixelType::Int32: return "int32";
    case PixelType::Float32: return "float32";
    }
    return "unknown";
}

size_t bytesPerVoxel(PixelType type)
{
    switch (type) {
    case PixelType::Int16:
    case PixelType::UInt16: return 2;
    case PixelType::Int32:
    case PixelType::Float32: return 4;
    }
    return 4;
}

Volume::Volume(VolumeGeometry geometry, int timePoints, PixelType type)
    : m_geometry(geometry), m_timePoints(timePoints), m_type(type)
{
    m_data.resize(voxelCount() * bytesPerVoxel(type));
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
    case PixelType::Int16: return load<int16_t>(data, index);
    case PixelType::UInt16: return load<uint16_t>(data, index);
    case PixelType::Int32: return load<int32_t>(data, index);
    case PixelType::Float32: return load<float>(data, index);
    }
    return 0;
}
} // namespace

double Volume::valueAt(int i, int j, int k, int t) const
{
    const size_t index = ((static_cast<size_t>(t) * m_geometry.dims[2] + k) * m_geometry.dims[1] + j) * m_geometry.dims[0] + i;
    return valueAtIndex(m_data.data(), m_type, index);
}

std::pair<double, double> Volume::valueRange() const
{
    double low = std::numeric_limits<double>::infinity();
    double high = -low;
    const size_t count = voxelCount();
    for (size_t index = 0; index < count; ++index) {
        const double v = valueAtIndex(m_data.data(), m_type, index);
        low = std::min(low, v);
        high = std::max(high, v);
    }
    return count ? std::pair{low, high} : std::pair{0.0, 0.0};
}

} // namespace lb::core
