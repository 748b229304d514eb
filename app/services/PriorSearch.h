#pragma once
// The patient's other studies, in the cache and on every configured node, ranked by PriorRules.
// Same patient means the same PatientID, and the same IssuerOfPatientID where both studies
// name one (the same ID from two issuers is two people). A study that shares only the name
// and birth date is listed as a possible match ("name+birthdate") and never fetched on its own.
#include "app/services/PriorRules.h"
#include "core/CancelToken.h"

#include <string>
#include <vector>

namespace lb::app {

class NodeDirectory;
class StudyCatalogue;

struct PriorStudy {
    std::string studyUid;
    std::string studyDate; // YYYYMMDD
    std::vector<std::string> modalities;
    std::string description;
    std::string where;     // "local" when the cache holds it (all of it), else the node that has it
    std::string match;     // "id" | "name+birthdate"
    bool relevant = false;
    std::string reason;    // why (not) relevant, with the interval ("3 months before")
    std::string interval;  // "3 months before"
    double score = 0;
    int localInstances = 0;  // held in the cache
    int remoteInstances = 0; // as the node counts them (0: not asked, or the node did not say)
};

struct PriorList {
    std::vector<PriorStudy> priors;    // most relevant first
    std::vector<std::string> problems; // nodes that could not be asked, with the reason
};

class PriorSearch {
public:
    PriorSearch(const StudyCatalogue& catalogue, const NodeDirectory& nodes, PriorRules rules);

    // The priors of a study the cache holds (NotFound otherwise). With `remote`, every node is
    // asked too (a node that fails is named in `problems`, the others still answer).
    core::Result<PriorList> find(const std::string& studyUid, bool remote, const core::CancelToken* cancel = nullptr) const;
    // What to fetch: the `count` most relevant priors matched by ID that are not local.
    static std::vector<PriorStudy> toFetch(const PriorList& list, int count);

    const PriorRules& rules() const { return m_rules; }

private:
    const StudyCatalogue& m_catalogue;
    const NodeDirectory& m_nodes;
    PriorRules m_rules;
};

} // namespace lb::app
