#pragma once
// Hanging protocols as data: which studies a protocol is for, and for each reading step a
// layout and, per viewport, which series of which study (current, prior 1, ...) it shows, how
// (view, window preset, mirrored) and which viewports scroll together. The JSON format is a
// contract (docs/user-guide.md, "Hanging protocols"); shipped protocols are in
// resources/reading/hanging_protocols.json, the user's own in ~/.config/lightbox/protocols/.
#include "core/Result.h"
#include "core/SeriesTraits.h"

#include <optional>
#include <string>
#include <vector>

namespace lb::app {

// Which series a viewport takes. Every given criterion must hold; `prefer` ranks the series
// that pass (each of its criteria that holds counts one); then more images, lower number.
struct SeriesSelector {
    std::vector<std::string> modality;       // any of (upper case)
    std::vector<std::string> description;    // any of these patterns (* ?, case-insensitive) matches
                                             // SeriesDescription or ProtocolName
    std::vector<std::string> notDescription; // none of these may match
    std::vector<std::string> orientation;    // acquisition plane: axial, coronal, sagittal, oblique
    std::optional<double> minThickness, maxThickness; // SliceThickness, mm
    std::vector<std::string> imageType;      // every one of these ImageType values
    std::optional<bool> contrast;            // ContrastBolusAgent present
    std::vector<std::string> viewPosition;   // any of (CC, MLO, PA, AP, LL ...)
    std::vector<std::string> laterality;     // any of (R, L)
    int minImages = 1;
    bool localizers = false;                 // LOCALIZER series are never chosen unless asked
    std::vector<SeriesSelector> prefer;      // at most one level deep
};

struct ViewportRule {
    int study = 0;            // 0: the current study, 1: prior 1, 2: prior 2 ...
    SeriesSelector series;
    std::string view = "axial"; // axial | coronal | sagittal | 3d (radiographs show as "image")
    std::string preset;         // a window preset name ("lung", "brain" ...), "" for the series' own
    bool mirror = false;        // shown mirrored left-right (mammograms back to back)
    std::string label;          // what the viewport is for ("T2", "RCC"), shown when it is empty
};

struct ProtocolStep {
    std::string name;
    std::string layout; // "RxC" (rows x columns, up to 4x4), "mpr" or "3d"
    std::vector<ViewportRule> viewports; // reading order; "mpr"/"3d": one, the series shown
    std::vector<std::vector<int>> sync;  // viewport indexes that scroll, zoom and window together
};

struct StudyMatch {
    std::vector<std::string> modality;    // the study has a series of one of these
    std::vector<std::string> bodyPart;    // keywords found in BodyPartExamined or a description
    std::vector<std::string> description; // patterns on the study description
    int minPriors = 0;                    // local priors needed
};

struct HangingProtocol {
    std::string name;
    int priority = 0; // among protocols that match, the highest wins
    StudyMatch match;
    std::vector<ProtocolStep> steps;
    std::string source; // the file it came from ("shipped" for the defaults)
};

core::Result<HangingProtocol> protocolFromJson(const std::string& text, const std::string& source);
// Every protocol of a file: one protocol object, or {"protocols": [...]}.
core::Result<std::vector<HangingProtocol>> protocolsFromJson(const std::string& text, const std::string& source);
std::string protocolToJson(const HangingProtocol& protocol);

// Layout text: rows and columns of "RxC" (nullopt for "mpr", "3d" or nonsense).
std::optional<std::pair<int, int>> gridOf(const std::string& layout);
bool validLayout(const std::string& layout);

// Glob match (* ?), case-insensitive.
bool patternMatches(const std::string& pattern, const std::string& text);

// A series as protocols see it.
struct SeriesChoice {
    std::string seriesUid;
    std::optional<int> number;
    int images = 0;
    core::SeriesTraits traits;
};

bool selects(const SeriesSelector& selector, const SeriesChoice& series);
// The best series for a selector (nullptr when none passes).
const SeriesChoice* bestSeries(const SeriesSelector& selector, const std::vector<SeriesChoice>& series);

} // namespace lb::app
