#include "netclient/Retrieve.h"

#include "netclient/internal/ClientAssociation.h"
#include "netclient/internal/DatasetKeys.h"
#include "netclient/internal/DicomNetwork.h"
#include "netclient/internal/StoreReceiver.h"

#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmnet/diutil.h"

#include <chrono>

namespace lb::netclient {
namespace {

// A cancelled transfer ends within about this (+ one poll second): PS3.4 lets the peer finish
// the sub-operation in flight, not the whole study.
constexpr auto kCancelGrace = std::chrono::milliseconds(1500);

DcmDataset identifierFor(const RetrieveRequest& request)
{
    DcmDataset identifier;
    const char* level = !request.sopInstanceUids.empty() ? "IMAGE" : !request.seriesUid.empty() ? "SERIES" : "STUDY";
    internal::putKey(identifier, "QueryRetrieveLevel", level);
    internal::putKey(identifier, "StudyInstanceUID", request.studyUid);
    if (!request.seriesUid.empty()) internal::putKey(identifier, "SeriesInstanceUID", request.seriesUid);
    if (!request.sopInstanceUids.empty()) {
        std::string list;
        for (const std::string& uid : request.sopInstanceUids) list += (list.empty() ? "" : "\\") + uid;
        internal::putKey(identifier, "SOPInstanceUID", list);
    }
    return identifier;
}

std::vector<internal::ContextProposal> contextsFor(RetrieveMethod method)
{
    const std::vector<std::string> plain = {UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax};
    if (method == RetrieveMethod::Move) return {{UID_MOVEStudyRootQueryRetrieveInformationModel, plain}};
    std::vector<internal::ContextProposal> contexts = {{UID_GETStudyRootQueryRetrieveInformationModel, plain}};
    std::vector<std::string> storageSyntaxes(internal::storageTransferSyntaxes().begin(),
                                             internal::storageTransferSyntaxes().end());
    for (const char* sopClass : internal::storageSopClassesForGet())
        contexts.push_back({sopClass, storageSyntaxes, ASC_SC_ROLE_SCP});
    return contexts;
}

// Sub-operation counts are optional in pending responses: only those present update.
template <typename Response>
void takeCounts(const Response& response, unsigned short remainingFlag, unsigned short completedFlag,
                unsigned short failedFlag, unsigned short warningFlag, RetrieveProgress& counts)
{
    if (response.opts & remainingFlag) counts.remaining = response.NumberOfRemainingSubOperations;
    if (response.opts & completedFlag) counts.completed = response.NumberOfCompletedSubOperations;
    if (response.opts & failedFlag) counts.failed = response.NumberOfFailedSubOperations;
    if (response.opts & warningFlag) counts.warning = response.NumberOfWarningSubOperations;
}

} // namespace

core::Result<RetrieveReport> retrieve(const LocalIdentity& local, const RemoteNode& node,
                                      const RetrieveRequest& request, InstanceSink* sinkForGet,
                                      const RetrieveOptions& options)
{
    const auto start = std::chrono::steady_clock::now();
    const bool get = request.method == RetrieveMethod::Get;
    if (request.studyUid.empty())
        return core::makeError(core::ErrorCode::InvalidArgument, node.label(), "a retrieve needs a Study Instance UID");
    if (!request.sopInstanceUids.empty() && request.seriesUid.empty())
        return core::makeError(core::ErrorCode::InvalidArgument, node.label(), "retrieving instances needs their series UID");
    if (get && !sinkForGet)
        return core::makeError(core::ErrorCode::InvalidArgument, node.label(), "C-GET needs a sink for the instances");

    auto association = internal::ClientAssociation::open(local, node, contextsFor(request.method));
    if (!association) return association.error();
    auto& link = *association.value();
    const char* model = get ? UID_GETStudyRootQueryRetrieveInformationModel : UID_MOVEStudyRootQueryRetrieveInformationModel;
    const T_ASC_PresentationContextID context = link.acceptedContext(model);
    if (context == 0)
        return link.error(core::ErrorCode::Unsupported, std::string("the peer does not offer ") + (get ? "C-GET" : "C-MOVE"));

    DcmDataset identifier = identifierFor(request);
    T_DIMSE_Message message{};
    DIC_US messageId = link.nextMessageId();
    if (get) {
        message.CommandField = DIMSE_C_GET_RQ;
        T_DIMSE_C_GetRQ& rq = message.msg.CGetRQ;
        rq.MessageID = messageId;
        rq.DataSetType = DIMSE_DATASET_PRESENT;
        rq.Priority = DIMSE_PRIORITY_MEDIUM;
        OFStandard::strlcpy(rq.AffectedSOPClassUID, model, sizeof rq.AffectedSOPClassUID);
    } else {
        message.CommandField = DIMSE_C_MOVE_RQ;
        T_DIMSE_C_MoveRQ& rq = message.msg.CMoveRQ;
        rq.MessageID = messageId;
        rq.DataSetType = DIMSE_DATASET_PRESENT;
        rq.Priority = DIMSE_PRIORITY_MEDIUM;
        OFStandard::strlcpy(rq.AffectedSOPClassUID, model, sizeof rq.AffectedSOPClassUID);
        OFStandard::strlcpy(rq.MoveDestination, local.aeTitle.c_str(), sizeof rq.MoveDestination);
    }
    if (auto sent = link.send(context, message, &identifier); !sent) return sent.error();

    RetrieveReport report;
    bool cancelSent = false;
    auto progress = [&] {
        if (options.onProgress) options.onProgress(report.counts);
    };
    std::chrono::steady_clock::time_point cancelDeadline;
    for (;;) {
        // After a cancel the peer gets a short grace to confirm it, measured from the cancel and
        // not per message: a peer that goes on sending sub-operations (or a slow link) must not
        // keep a cancelled transfer running.
        if (cancelSent && std::chrono::steady_clock::now() >= cancelDeadline) {
            link.abort();
            break;
        }
        auto incoming = link.receiveCommand(cancelSent ? nullptr : options.cancel, cancelSent ? 1 : 0);
        if (!incoming) {
            if (incoming.error().code == core::ErrorCode::Cancelled) {
                DIMSE_sendCancelRequest(link.raw(), context, messageId);
                cancelSent = true;
                cancelDeadline = std::chrono::steady_clock::now() + kCancelGrace;
                report.cancelled = true;
                continue;
            }
            if (cancelSent) break; // the peer did not confirm the cancel in time: aborted
            return incoming.error();
        }
        T_DIMSE_Message& reply = incoming->message;
        if (get && reply.CommandField == DIMSE_C_STORE_RQ) {
            // After a cancel, a sub-operation still arriving gets what is left of the grace, not
            // the node's whole DIMSE timeout: a peer (or a slow link) that stops mid-data set
            // must not hold a cancelled transfer open.
            int timeout = node.dimseTimeoutSeconds;
            if (cancelSent) {
                const auto left = std::chrono::duration_cast<std::chrono::seconds>(cancelDeadline - std::chrono::steady_clock::now());
                timeout = std::max(1, static_cast<int>(left.count()) + 1);
            }
            auto stored = internal::receiveAndStore(link.raw(), incoming->presentationContext, reply.msg.CStoreRQ,
                                                    *sinkForGet, node.aeTitle, timeout, node.label());
            if (!stored) {
                link.abort();
                if (cancelSent) break; // cancelled: what did not arrive in the grace is not waited for
                return stored.error();
            }
            if (stored->stored) ++report.counts.received;
            else report.problems.push_back(stored->problem);
            progress();
            continue;
        }
        const bool isGetResponse = reply.CommandField == DIMSE_C_GET_RSP;
        const bool isMoveResponse = reply.CommandField == DIMSE_C_MOVE_RSP;
        if ((get && !isGetResponse) || (!get && !isMoveResponse)) {
            link.abort();
            return link.error(core::ErrorCode::Malformed, "unexpected DIMSE command " + std::to_string(reply.CommandField));
        }
        DIC_US status = 0;
        bool hasDataset = false;
        if (isGetResponse) {
            const T_DIMSE_C_GetRSP& rsp = reply.msg.CGetRSP;
            if (!DICOM_PENDING_STATUS(rsp.DimseStatus)) report.counts.remaining = 0; // absent from final responses
            takeCounts(rsp, O_GET_NUMBEROFREMAININGSUBOPERATIONS, O_GET_NUMBEROFCOMPLETEDSUBOPERATIONS,
                       O_GET_NUMBEROFFAILEDSUBOPERATIONS, O_GET_NUMBEROFWARNINGSUBOPERATIONS, report.counts);
            status = rsp.DimseStatus;
            hasDataset = rsp.DataSetType != DIMSE_DATASET_NULL;
        } else {
            const T_DIMSE_C_MoveRSP& rsp = reply.msg.CMoveRSP;
            if (!DICOM_PENDING_STATUS(rsp.DimseStatus)) report.counts.remaining = 0;
            takeCounts(rsp, O_MOVE_NUMBEROFREMAININGSUBOPERATIONS, O_MOVE_NUMBEROFCOMPLETEDSUBOPERATIONS,
                       O_MOVE_NUMBEROFFAILEDSUBOPERATIONS, O_MOVE_NUMBEROFWARNINGSUBOPERATIONS, report.counts);
            status = rsp.DimseStatus;
            hasDataset = rsp.DataSetType != DIMSE_DATASET_NULL;
        }
        if (hasDataset) {
            // Failed SOP Instance UID List: the counts already say how many.
            auto dataset = link.receiveDataset(incoming->presentationContext);
            if (!dataset) return dataset.error();
        }
        if (DICOM_PENDING_STATUS(status)) {
            progress();
            continue;
        }
        report.finalStatus = status;
        report.statusText = get ? DU_cgetStatusString(status) : DU_cmoveStatusString(status);
        if (status == STATUS_GET_Cancel_SubOperationsTerminatedDueToCancelIndication ||
            status == STATUS_MOVE_Cancel_SubOperationsTerminatedDueToCancelIndication)
            report.cancelled = true;
        progress();
        break;
    }
    if (cancelSent && report.statusText.empty()) report.statusText = "Cancelled";
    (void)link.release();
    report.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return report;
}

} // namespace lb::netclient
