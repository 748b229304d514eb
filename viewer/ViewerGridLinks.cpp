// ViewerGrid: how its viewports follow each other. Within a frame of reference every parallel
// slice view follows the one scrolled (as before comparisons); within a comparison group the
// position goes through each viewport's link, so a prior follows the current study even in
// another frame of reference, and the group's window follows too.
#include "viewer/ViewerGrid.h"

#include <cmath>

namespace lb::viewer {
namespace {

double alignment(const Point3& a, const Point3& b)
{
    return std::abs(a[0] * b[0] + a[1] * b[1] + a[2] * b[2]);
}

// Slices that face the same way (cos of 11 degrees): the only ones one position can move.
constexpr double kParallel = 0.98;
// Across studies the patient lies a little differently: a registered prior's slices may be
// turned by some degrees against the current ones and still show the same level.
constexpr double kParallelAcrossStudies = 0.9;

} // namespace

static QString linkText(const ViewportLink& link)
{
    if (link.group < 0) return {};
    switch (link.kind) {
    case LinkKind::FrameOfReference: return QString::fromUtf8("\u21c4 linked: same frame");
    case LinkKind::Registered: return QString::fromUtf8("\u21c4 linked: registered");
    case LinkKind::Manual: return QString::fromUtf8("\u21c4 linked: manual offset");
    case LinkKind::None: break;
    }
    return "not linked: K links it here";
}

void ViewerGrid::setLink(int index, const ViewportLink& link)
{
    if (index < 0 || index >= kMaxViewports) return;
    m_links[index] = link;
    m_viewers[index]->setLinkText(linkText(link));
}

void ViewerGrid::clearLinks()
{
    for (int i = 0; i < kMaxViewports; ++i) setLink(i, ViewportLink{});
}

void ViewerGrid::followSlice(int from)
{
    if (m_following) return;
    m_following = true;
    const auto plane = m_viewers[from]->slicePlane();
    const ViewportLink& fromLink = m_links[from];
    for (int i = 0; m_sync && plane && i < viewportCount(); ++i) {
        if (i == from || !m_volumes[i]) continue;
        const auto other = m_viewers[i]->slicePlane();
        if (!other) continue;
        // In one comparison group only the links count: a member not linked yet scrolls alone.
        const bool grouped = fromLink.group >= 0 && m_links[i].group == fromLink.group;
        if (grouped) {
            if (fromLink.kind == LinkKind::None || m_links[i].kind == LinkKind::None) continue;
            const Point3 normal = transformDirection(inverseRigid(m_links[i].toReading), transformDirection(fromLink.toReading, plane->normal));
            if (alignment(normal, other->normal) > kParallelAcrossStudies)
                m_viewers[i]->showPosition(mapBetween(fromLink, m_links[i], plane->point));
        } else if (!plane->frameOfReferenceUid.empty() && other->frameOfReferenceUid == plane->frameOfReferenceUid
                   && alignment(other->normal, plane->normal) > kParallel) {
            m_viewers[i]->showPosition(plane->point);
        }
    }
    m_following = false;
    updateReferenceLines();
}

void ViewerGrid::followWindow(int from)
{
    if (m_following || m_links[from].group < 0) return;
    m_following = true;
    for (int i = 0; i < viewportCount(); ++i)
        if (i != from && m_volumes[i] && m_links[i].group == m_links[from].group && m_links[i].windowKey == m_links[from].windowKey)
            m_viewers[i]->setWindow(m_viewers[from]->window());
    m_following = false;
}

// Zoom follows within a group whatever the windows (current and prior at the same magnification).
void ViewerGrid::followZoom(int from)
{
    if (m_following || m_links[from].group < 0) return;
    m_following = true;
    for (int i = 0; i < viewportCount(); ++i)
        if (i != from && m_volumes[i] && m_links[i].group == m_links[from].group) m_viewers[i]->setZoom(m_viewers[from]->zoom());
    m_following = false;
}

// K in a viewport of a group: it shows the same anatomy as the group's other viewport now, so
// keep the offset between them (until a registration or the user says otherwise).
bool ViewerGrid::linkByHand(int index)
{
    const int group = m_links[index].group;
    const auto mine = m_viewers[index]->slicePlane();
    if (group < 0 || !mine) return false;
    for (int i = 0; i < viewportCount(); ++i) {
        if (i == index || m_links[i].group != group || m_links[i].kind == LinkKind::None) continue;
        const auto theirs = m_viewers[i]->slicePlane();
        if (!theirs) continue;
        setLink(index, {group, LinkKind::Manual, manualLink(m_links[i], theirs->point, mine->point), m_links[index].windowKey});
        emit linkedByHand(index);
        return true;
    }
    return false;
}

bool ViewerGrid::carryDistance(int from, int to)
{
    if (from < 0 || to < 0 || from >= kMaxViewports || to >= kMaxViewports || from == to) return false;
    const ViewportLink& a = m_links[from];
    const ViewportLink& b = m_links[to];
    if (a.group < 0 || a.group != b.group || a.kind == LinkKind::None || b.kind == LinkKind::None) return false;
    const auto ends = m_viewers[from]->distanceEnds();
    if (!ends || !m_volumes[to]) return false;
    m_viewers[to]->placeDistance(mapBetween(a, b, (*ends)[0]), mapBetween(a, b, (*ends)[1]));
    return true;
}

} // namespace lb::viewer
