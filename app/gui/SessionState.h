#pragma once
// What the window shows, as JSON (`lightbox --state FILE`, a contract documented in
// docs/cli.md): read from the live widgets at the moment it is asked for, never from a copy
// kept for the file. Keys: "layout" (as --layout names it) and "viewports", one per view shown:
// {"index" (0-based), "study_uid", "series_uid", "view" (axial, coronal, sagittal, oblique, 3d,
// or image for an image without patient geometry), "slice" (0-based index of the view's own
// volume: the acquired slices for a slice viewport, as `render --slice`; null for 3d),
// "window" [W, L] (null for 3d), "warnings" [strings: the session's warnings of what it shows],
// "link" ("frame-of-reference", "registered", "manual" or null: how it scrolls with the other
// viewports of its synchronisation group)}; "hanging_protocol" (its name, "generic" for the
// fallback, null when the screen was arranged by hand) and "step" (1-based, or null).
#include "app/gui/HangingController.h"
#include "app/services/ViewingSession.h"
#include "viewer/ViewerGrid.h"

#include <QJsonObject>
#include <QString>

#include <array>

namespace lb::app::gui {

// Study, series and warnings from the viewing session; view, slice and window from the widgets.
// `hanging`: the protocol the screen follows (null: arranged by hand).
QJsonObject sessionState(const viewer::ViewerGrid& grid, const ViewingSession& session, const HangingController* hanging);

} // namespace lb::app::gui
