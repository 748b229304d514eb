#pragma once
// How the viewports of a comparison scroll together. Each viewport of a synchronisation group
// carries the transform from its own patient coordinates into the group's reading frame (that
// of the group's first viewport, the current study): the identity when it shares the frame of
// reference, the registration's matrix for a prior registered onto the current study, or a
// translation the user set by hand (scroll both to the same anatomy, press K).
#include <array>
#include <string>

namespace lb::viewer {

using Matrix4 = std::array<double, 16>; // row-major, last row 0 0 0 1
using Point3 = std::array<double, 3>;

Matrix4 identityMatrix();

enum class LinkKind { None, FrameOfReference, Registered, Manual };
// "frame-of-reference", "registered", "manual"; "" for None (the session state writes null).
const char* linkKindName(LinkKind kind);

struct ViewportLink {
    int group = -1; // -1: in no group (viewports then follow each other by frame of reference only)
    LinkKind kind = LinkKind::None;
    Matrix4 toReading = identityMatrix(); // this viewport's patient coordinates -> the group's frame
    // Viewports of a group with the same window key follow each other's window (current and prior
    // in "brain"), others keep their own (a brain and a bone window of one series scroll together).
    std::string windowKey;
};

Point3 transformPoint(const Matrix4& m, const Point3& p);
Point3 transformDirection(const Matrix4& m, const Point3& d);
Matrix4 inverseRigid(const Matrix4& m); // a rotation and a translation (what registration gives)

// Where a point of viewport `from` lies in viewport `to`'s patient coordinates.
Point3 mapBetween(const ViewportLink& from, const ViewportLink& to, const Point3& point);

// The link that makes `mine` (a point in this viewport's coordinates) the same place as
// `theirs` (a point of another viewport of the group, whose link is `their`): a translation.
Matrix4 manualLink(const ViewportLink& their, const Point3& theirs, const Point3& mine);

} // namespace lb::viewer
