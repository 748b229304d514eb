#pragma once
// Remote query: C-ECHO and C-FIND (study and series level) against the configured nodes, each a
// job on the board (cancellable; capped per node), with the answers as this service's own rows.
// Failures keep their kind: refused, timeout, association rejected (with the peer's reason), TLS.
#include "app/services/Jobs.h"
#include "app/services/NodeDirectory.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace lb::app {

struct RemoteSearch {
    std::string patientName; // wildcards * ?
    std::string patientId;
    std::string studyDate; // YYYYMMDD or FROM-TO
    std::string modality;
    std::string patientBirthDate; // YYYYMMDD
};

struct RemoteStudy {
    std::string studyUid;
    std::string patientName;
    std::string patientId;
    std::string studyDate;
    std::string modalities;
    std::string description;
    int instanceCount = 0;
    std::string patientBirthDate;
    std::string patientIssuer; // IssuerOfPatientID as the node answers it ("" when none)
};

struct RemoteSeries {
    std::string seriesUid;
    std::string studyUid;
    std::string seriesNumber;
    std::string modality;
    std::string description;
    int instanceCount = 0;
};

template <typename Row> struct QueryAnswer {
    JobState state = JobState::Done;
    std::vector<Row> rows;
    std::optional<core::Error> error;
};

struct EchoAnswer {
    JobState state = JobState::Done;
    double milliseconds = 0;
    std::optional<core::Error> error;
    std::string text; // "NODE: C-ECHO ok (3.2 ms)" or the error's message
};

class RemoteQuery {
public:
    RemoteQuery(const NodeDirectory& nodes, JobBoard& jobs);
    JobBoard& jobs() { return m_jobs; } // where its jobs run (cancel them there)

    // Each returns the job's id ("" when the node is unknown: `onFinished` then says why at once).
    QString echo(const std::string& nodeName, std::function<void(const EchoAnswer&)> onFinished);
    // An unsaved node as a form shows it (Settings' Echo button), with short timeouts.
    QString echo(const NodeEntry& node, const std::string& localAeTitle, std::function<void(const EchoAnswer&)> onFinished);
    QString findStudies(const std::string& nodeName, const RemoteSearch& search,
                        std::function<void(const QueryAnswer<RemoteStudy>&)> onFinished);
    QString findSeries(const std::string& nodeName, const std::string& studyUid,
                       std::function<void(const QueryAnswer<RemoteSeries>&)> onFinished);

    // A study-level C-FIND on this thread (the prior search runs inside a job of its own).
    static core::Result<std::vector<RemoteStudy>> findStudiesNow(const NodeDirectory& nodes, const std::string& nodeName,
                                                                 const RemoteSearch& search, const core::CancelToken* cancel);

private:
    const NodeDirectory& m_nodes;
    JobBoard& m_jobs;
};

} // namespace lb::app
