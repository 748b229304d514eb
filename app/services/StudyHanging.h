#pragma once
// Hanging a study: pick the protocol for the current study and its priors, and for a step of it
// the series of each viewport. When no protocol matches, or the one that matches finds none of
// its series in the current study, the generic protocol hangs the current study's main series
// beside the same kind of series of the first prior, linked, so a study never opens on an empty
// screen.
#include "app/services/HangingProtocol.h"

#include <string>
#include <vector>

namespace lb::app {

class StudyCatalogue;

// A study as protocols see it: its description, modalities and series (with their traits).
struct StudyForHanging {
    std::string studyUid;
    std::string description;
    std::vector<std::string> modalities;
    std::vector<SeriesChoice> series;
};

struct HungViewport {
    int index = 0;
    int study = 0;         // 0 current, 1 prior 1 ...
    std::string studyUid;  // "" when the viewport stays empty
    std::string seriesUid; // "" when no series fits
    std::string view;      // session-state vocabulary: axial, coronal, sagittal, 3d, image
    std::string preset;    // "" for the series' own window
    bool mirror = false;
    std::string label;
};

struct HangingResult {
    std::string protocol; // its name; "generic" for the fallback
    std::string stepName;
    int step = 1; // 1-based
    int steps = 1;
    std::string layout; // "RxC", "mpr" or "3d"
    std::vector<HungViewport> viewports;
    std::vector<std::vector<int>> sync; // viewport indexes linked together
};

inline constexpr const char* kGenericProtocol = "generic";

// The protocol for these studies (highest priority, then the most specific match), or null.
const HangingProtocol* chooseProtocol(const std::vector<HangingProtocol>& protocols, const StudyForHanging& current,
                                      const std::vector<StudyForHanging>& priors);
// `step` is 1-based and clamped to the protocol's steps.
HangingResult hangStudies(const std::vector<HangingProtocol>& protocols, const StudyForHanging& current,
                          const std::vector<StudyForHanging>& priors, int step = 1);
// Applies one protocol (no fallback), as "save this layout" and the tests check it.
HangingResult applyProtocol(const HangingProtocol& protocol, const StudyForHanging& current,
                            const std::vector<StudyForHanging>& priors, int step);

// Reads a cached study's series traits (one file per series). NotFound for an unknown study.
core::Result<StudyForHanging> studyForHanging(const StudyCatalogue& catalogue, const std::string& studyUid);

} // namespace lb::app
