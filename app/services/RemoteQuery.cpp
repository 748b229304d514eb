#include "app/services/RemoteQuery.h"

#include "app/services/NetworkProfile.h"
#include "netclient/Echo.h"
#include "netclient/Find.h"

#include <memory>

namespace lb::app {
namespace {

using Mode = cache::SqliteConnection::Mode;

core::Result<Peer> peerOf(const NodeDirectory& nodes, const std::string& nodeName)
{
    auto connection = cache::SqliteConnection::open(nodes.indexFile(), Mode::ReadOnly);
    if (!connection) return connection.error();
    return peerNamed(*connection, nodeName);
}

int number(const std::string& text)
{
    try {
        return text.empty() ? 0 : std::stoi(text);
    } catch (...) {
        return 0; // a peer's odd count is not worth a failed query
    }
}

RemoteStudy studyOf(const netclient::FindMatch& match)
{
    return {match.value("StudyInstanceUID"), match.value("PatientName"),     match.value("PatientID"),
            match.value("StudyDate"),        match.value("ModalitiesInStudy"), match.value("StudyDescription"),
            number(match.value("NumberOfStudyRelatedInstances")), match.value("PatientBirthDate"),
            match.value("IssuerOfPatientID")};
}

netclient::FindQuery studyQueryFor(const RemoteSearch& search)
{
    netclient::FindQuery query;
    query.patientName = search.patientName;
    query.patientId = search.patientId;
    query.patientBirthDate = search.patientBirthDate;
    query.studyDate = search.studyDate;
    query.modality = search.modality;
    return query;
}

RemoteSeries seriesOf(const netclient::FindMatch& match, const std::string& studyUid)
{
    return {match.value("SeriesInstanceUID"), studyUid, match.value("SeriesNumber"), match.value("Modality"),
            match.value("SeriesDescription"), number(match.value("NumberOfSeriesRelatedInstances"))};
}

// A C-FIND as a job: rows collected on the worker, handed over when it ends.
template <typename Row, typename ToRow>
QString runFind(JobBoard& jobs, const NodeDirectory& nodes, const std::string& nodeName, const netclient::FindQuery& query,
                const QString& what, ToRow toRow, std::function<void(const QueryAnswer<Row>&)> onFinished)
{
    auto peerFound = peerOf(nodes, nodeName);
    if (!peerFound) { // an unknown node: said at once, no job
        if (onFinished) onFinished({JobState::Failed, {}, peerFound.error()});
        return {};
    }
    const Peer peer = *peerFound;
    auto answer = std::make_shared<QueryAnswer<Row>>();
    auto work = [peer, query, answer, toRow](JobContext& context) -> JobOutcome {
        auto found = netclient::find(peer.local, peer.node, query,
                                     [&](const netclient::FindMatch& match) { answer->rows.push_back(toRow(match)); },
                                     &context.cancel());
        if (!found) return JobOutcome::from(found.error());
        if (found->cancelled) return JobOutcome::from(core::makeError(core::ErrorCode::Cancelled, peer.node.label(), "cancelled"));
        return JobOutcome::done();
    };
    return jobs.start(JobKind::Query, what, QString::fromStdString(peer.node.name), std::move(work),
                      [answer, onFinished = std::move(onFinished)](const JobOutcome& outcome) {
                          answer->state = outcome.state;
                          answer->error = outcome.error;
                          if (outcome.state == JobState::Cancelled) answer->rows.clear(); // what arrived is not the answer
                          if (onFinished) onFinished(*answer);
                      });
}

QString runEcho(JobBoard& jobs, const Peer& peer, std::function<void(const EchoAnswer&)> onFinished)
{
    auto answer = std::make_shared<EchoAnswer>();
    auto work = [peer, answer](JobContext& context) -> JobOutcome {
        auto echoed = netclient::echo(peer.local, peer.node, &context.cancel());
        if (!echoed) return JobOutcome::from(echoed.error());
        answer->milliseconds = echoed->milliseconds;
        return JobOutcome::done();
    };
    const std::string label = peer.node.label();
    return jobs.start(JobKind::Echo, QString::fromStdString(label), QString::fromStdString(peer.node.name), std::move(work),
                      [answer, label, onFinished = std::move(onFinished)](const JobOutcome& outcome) {
                          answer->state = outcome.state;
                          answer->error = outcome.error;
                          char ms[32];
                          std::snprintf(ms, sizeof ms, "%.1f", answer->milliseconds);
                          answer->text = outcome.state == JobState::Done ? label + ": C-ECHO ok (" + ms + " ms)"
                                         : outcome.error                 ? outcome.error->message()
                                                                         : label + ": cancelled";
                          if (onFinished) onFinished(*answer);
                      });
}

} // namespace

RemoteQuery::RemoteQuery(const NodeDirectory& nodes, JobBoard& jobs) : m_nodes(nodes), m_jobs(jobs) {}

QString RemoteQuery::echo(const std::string& nodeName, std::function<void(const EchoAnswer&)> onFinished)
{
    auto peer = peerOf(m_nodes, nodeName);
    if (!peer) {
        if (onFinished) onFinished({JobState::Failed, 0, peer.error(), peer.error().message()});
        return {};
    }
    return runEcho(m_jobs, *peer, std::move(onFinished));
}

QString RemoteQuery::echo(const NodeEntry& entry, const std::string& localAeTitle, std::function<void(const EchoAnswer&)> onFinished)
{
    Peer peer;
    peer.node = toRemoteNode(toNodeRecord(entry));
    if (auto connection = cache::SqliteConnection::open(m_nodes.indexFile(), Mode::ReadOnly))
        peer.node = withWorkstationCertificate(*connection, peer.node);
    peer.node.connectTimeoutSeconds = 5; // a form's check: answer soon
    peer.node.dimseTimeoutSeconds = 5;
    peer.local.aeTitle = localAeTitle;
    return runEcho(m_jobs, peer, std::move(onFinished));
}

QString RemoteQuery::findStudies(const std::string& nodeName, const RemoteSearch& search,
                                 std::function<void(const QueryAnswer<RemoteStudy>&)> onFinished)
{
    return runFind<RemoteStudy>(m_jobs, m_nodes, nodeName, studyQueryFor(search), QString::fromStdString(search.patientName.empty() ? "studies, any patient" : "studies of " + search.patientName), studyOf,
                                std::move(onFinished));
}

QString RemoteQuery::findSeries(const std::string& nodeName, const std::string& studyUid,
                                std::function<void(const QueryAnswer<RemoteSeries>&)> onFinished)
{
    netclient::FindQuery query;
    query.level = netclient::QueryLevel::Series;
    query.studyUid = studyUid;
    return runFind<RemoteSeries>(m_jobs, m_nodes, nodeName, query, "series of " + QString::fromStdString(studyUid),
                                 [studyUid](const netclient::FindMatch& match) { return seriesOf(match, studyUid); },
                                 std::move(onFinished));
}

core::Result<std::vector<RemoteStudy>> RemoteQuery::findStudiesNow(const NodeDirectory& nodes, const std::string& nodeName,
                                                                   const RemoteSearch& search, const core::CancelToken* cancel)
{
    auto peer = peerOf(nodes, nodeName);
    if (!peer) return peer.error();
    std::vector<RemoteStudy> rows;
    auto found = netclient::find(peer->local, peer->node, studyQueryFor(search),
                                 [&](const netclient::FindMatch& match) { rows.push_back(studyOf(match)); }, cancel);
    if (!found) return found.error();
    if (found->cancelled) return core::makeError(core::ErrorCode::Cancelled, peer->node.label(), "cancelled");
    return rows;
}

} // namespace lb::app
