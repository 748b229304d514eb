#pragma once
// Follow-up: a study's tracked findings (a lesion's size on each date it was measured), kept with
// the study in the cache (<cache>/findings/, one JSON file per study, private to the user).
#include "core/Result.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lb::app {

struct FindingSize {
    std::string studyUid;
    std::string studyDate; // YYYYMMDD
    std::string seriesUid;
    double millimetres = 0;
};

struct TrackedFinding {
    std::string name;               // "liver lesion 1"
    std::vector<FindingSize> sizes; // oldest first
    // Change from the oldest to the newest size, in percent (nullopt with fewer than two).
    std::optional<double> changePercent() const;
};

class TrackedFindings {
public:
    TrackedFindings(std::filesystem::path cacheRoot, std::string studyUid);

    core::Status load(); // none yet is not an error
    core::Status save() const;
    const std::vector<TrackedFinding>& findings() const { return m_findings; }
    // Adds (or replaces, by study) the sizes of a finding of that name, then keeps dates in order.
    void record(const std::string& name, const std::vector<FindingSize>& sizes);

private:
    std::filesystem::path m_file;
    std::string m_studyUid;
    std::vector<TrackedFinding> m_findings;
};

} // namespace lb::app
