#pragma once
// Which of a patient's other studies are relevant priors for the study being read: rules as
// data (resources/reading/prior_rules.json, replaced by the user's own file when present), so a
// reader can see and change why a prior was chosen. See docs/user-guide.md, "Priors".
#include "core/Result.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lb::app {

// What the rules look at in a study (the current one or a candidate prior).
struct StudyTraits {
    std::string date;                     // YYYYMMDD
    std::vector<std::string> modalities;  // upper case
    std::string description;              // study description
    std::vector<std::string> bodyParts;   // BodyPartExamined of its series (local studies only)
    std::vector<std::string> seriesDescriptions;
};

struct PriorVerdict {
    bool relevant = false;
    double score = 0;   // higher is more relevant
    std::string reason; // "same modality (CT); same region (chest); 2 years 1 month before"
};

class PriorRules {
public:
    static PriorRules shipped();
    // The user's file ($XDG_CONFIG_HOME/lightbox/prior_rules.json) when it exists, else shipped();
    // an unreadable user file is an error naming it (never silently the defaults).
    static core::Result<PriorRules> load();
    static core::Result<PriorRules> fromJson(const std::string& text, const std::string& source);
    static std::filesystem::path userFile();

    int fetchCount() const { return m_fetch; }
    PriorVerdict judge(const StudyTraits& current, const StudyTraits& prior) const;
    // The regions (names of `regions`) a study's body parts and descriptions name.
    std::vector<std::string> regionsOf(const StudyTraits& study) const;

private:
    int m_fetch = 2;
    int m_maxAgeYears = 10; // 0: no limit
    bool m_sameModality = true;
    double m_minDescriptionSimilarity = 0.2;
    std::vector<std::vector<std::string>> m_modalityFamilies;
    std::vector<std::pair<std::string, std::vector<std::string>>> m_regions;
    std::vector<std::pair<std::string, std::string>> m_overlapping;
    std::map<std::string, double> m_weights;

    std::string familyOf(const std::string& modality) const;
    bool overlap(const std::vector<std::string>& a, const std::vector<std::string>& b, bool& exact) const;
};

// Words shared by two descriptions (0..1, Jaccard over upper-case words of 2+ letters/digits).
double descriptionSimilarity(const std::string& a, const std::string& b);
// Whole days from `earlier` to `later` (YYYYMMDD each); nullopt when either is not a date.
std::optional<int> daysBetween(const std::string& earlier, const std::string& later);
// "12 days before", "3 months before", "2 years 1 month before", "same day", "5 days after".
std::string intervalText(const std::string& priorDate, const std::string& currentDate);

} // namespace lb::app
