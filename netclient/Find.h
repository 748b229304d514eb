#pragma once
// C-FIND at patient, study, series or image level. Matches stream to a callback as they
// arrive; a CancelToken sends C-CANCEL and ends the query with what has arrived.
//
// Matching follows PS3.4 C.2.2.2: '*' and '?' wildcards in text keys, "FROM-TO" date ranges
// (either end open), UID lists separated by '\'. An empty key is a return key.
#include "core/CancelToken.h"
#include "core/Result.h"
#include "netclient/RemoteNode.h"

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace lb::netclient {

enum class QueryLevel { Patient, Study, Series, Image };

const char* queryLevelName(QueryLevel level); // "patient" | "study" | "series" | "image"
bool parseQueryLevel(const std::string& text, QueryLevel& out);

struct FindQuery {
    QueryLevel level = QueryLevel::Study;
    std::string patientName;
    std::string patientId;
    std::string issuerOfPatientId; // with patientId: the same ID from another issuer is another person
    std::string patientBirthDate;  // YYYYMMDD
    std::string studyDate; // YYYYMMDD, or FROM-TO with either end open
    std::string modality;  // ModalitiesInStudy at study level, Modality below
    std::string accessionNumber;
    std::string studyDescription;
    std::string studyUid;
    std::string seriesUid;
};

// One matching record: DICOM keyword -> value (UTF-8; multiple values joined by '\').
struct FindMatch {
    std::vector<std::pair<std::string, std::string>> attributes;
    std::string value(const std::string& keyword) const;
};

struct FindReport {
    int matches = 0;
    bool cancelled = false;
    double milliseconds = 0;
};

core::Result<FindReport> find(const LocalIdentity& local, const RemoteNode& node, const FindQuery& query,
                              const std::function<void(const FindMatch&)>& onMatch,
                              const core::CancelToken* cancel = nullptr);

// The return keys asked for at each level, in the order they are reported.
const std::vector<std::string>& returnKeys(QueryLevel level);

} // namespace lb::netclient
