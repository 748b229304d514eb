#include "render/internal/AcquiredStackTransform.h"

#include <algorithm>

namespace lb::render::internal {

namespace {
double dot(const std::array<double, 3>& a, const std::array<double, 3>& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
constexpr double kFarOutside = -1e6; // a slice index no input has
constexpr double kEdgeMm = 1e-3;     // the first and last slice planes belong to the stack
} // namespace

void AcquiredStackTransform::setStack(const Vec& row, const Vec& column, const Vec& normal, std::vector<Vec> origins,
                                      std::vector<bool> usableStep)
{
    m_row = row;
    m_column = column;
    m_normal = normal;
    m_origins = std::move(origins);
    m_usableStep = std::move(usableStep);
    m_distances.clear();
    for (const auto& origin : m_origins) m_distances.push_back(dot(origin, m_normal));
}

AcquiredStackTransform::OutputPointType AcquiredStackTransform::TransformPoint(const InputPointType& point) const
{
    OutputPointType out;
    out.Fill(kFarOutside);
    if (m_origins.empty()) return out;
    const Vec p{point[0], point[1], point[2]};
    const double d = dot(p, m_normal);
    if (d < m_distances.front() - kEdgeMm || d > m_distances.back() + kEdgeMm) return out;
    // The slice at or below d, and the fraction of the way to the next one.
    size_t k = static_cast<size_t>(std::upper_bound(m_distances.begin(), m_distances.end(), d) - m_distances.begin());
    k = k == 0 ? 0 : k - 1;
    double fraction = 0;
    if (k + 1 < m_distances.size()) {
        const double step = m_distances[k + 1] - m_distances[k];
        fraction = step > 0 ? std::clamp((d - m_distances[k]) / step, 0.0, 1.0) : 0.0;
        const bool onSlice = fraction * step < kEdgeMm || (1 - fraction) * step < kEdgeMm;
        if (!m_usableStep[k] && !onSlice) return out;
    } else {
        k = m_distances.size() - 1;
    }
    const Vec& a = m_origins[k];
    const Vec& b = m_origins[std::min(k + 1, m_origins.size() - 1)];
    const Vec origin{a[0] + (b[0] - a[0]) * fraction, a[1] + (b[1] - a[1]) * fraction, a[2] + (b[2] - a[2]) * fraction};
    const Vec offset{p[0] - origin[0], p[1] - origin[1], p[2] - origin[2]};
    out[0] = dot(offset, m_row);
    out[1] = dot(offset, m_column);
    out[2] = static_cast<double>(k) + fraction;
    return out;
}

} // namespace lb::render::internal
