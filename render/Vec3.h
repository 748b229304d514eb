#pragma once
// Patient-space vector arithmetic (LPS mm), shared by the render and viewer code that turns,
// projects and intersects planes.
#include <array>

namespace lb::render {

using Vec3 = std::array<double, 3>;

inline double dot(const Vec3& a, const Vec3& b)
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

inline Vec3 cross(const Vec3& a, const Vec3& b)
{
    return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}

inline Vec3 add(const Vec3& a, const Vec3& b)
{
    return {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
}

inline Vec3 scale(const Vec3& v, double s)
{
    return {v[0] * s, v[1] * s, v[2] * s};
}

} // namespace lb::render
