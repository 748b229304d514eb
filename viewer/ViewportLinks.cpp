#include "viewer/ViewportLinks.h"

namespace lb::viewer {

Matrix4 identityMatrix()
{
    return {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
}

const char* linkKindName(LinkKind kind)
{
    switch (kind) {
    case LinkKind::FrameOfReference: return "frame-of-reference";
    case LinkKind::Registered: return "registered";
    case LinkKind::Manual: return "manual";
    case LinkKind::None: break;
    }
    return "";
}

Point3 transformPoint(const Matrix4& m, const Point3& p)
{
    Point3 out{};
    for (int r = 0; r < 3; ++r) out[r] = m[r * 4] * p[0] + m[r * 4 + 1] * p[1] + m[r * 4 + 2] * p[2] + m[r * 4 + 3];
    return out;
}

Point3 transformDirection(const Matrix4& m, const Point3& d)
{
    Point3 out{};
    for (int r = 0; r < 3; ++r) out[r] = m[r * 4] * d[0] + m[r * 4 + 1] * d[1] + m[r * 4 + 2] * d[2];
    return out;
}

Matrix4 inverseRigid(const Matrix4& m)
{
    // [R t]^-1 = [R^T  -R^T t]
    Matrix4 inverse = identityMatrix();
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c) inverse[r * 4 + c] = m[c * 4 + r];
    for (int r = 0; r < 3; ++r)
        inverse[r * 4 + 3] = -(inverse[r * 4] * m[3] + inverse[r * 4 + 1] * m[7] + inverse[r * 4 + 2] * m[11]);
    return inverse;
}

Point3 mapBetween(const ViewportLink& from, const ViewportLink& to, const Point3& point)
{
    return transformPoint(inverseRigid(to.toReading), transformPoint(from.toReading, point));
}

Matrix4 manualLink(const ViewportLink& their, const Point3& theirs, const Point3& mine)
{
    const Point3 target = transformPoint(their.toReading, theirs);
    Matrix4 link = identityMatrix();
    for (int r = 0; r < 3; ++r) link[r * 4 + 3] = target[r] - mine[r];
    return link;
}

} // namespace lb::viewer
