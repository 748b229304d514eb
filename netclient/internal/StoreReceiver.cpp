#include "netclient/internal/StoreReceiver.h"

#include "netclient/internal/DicomNetwork.h"

#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcostrmf.h"

#include <atomic>
#include <system_error>
#include <unistd.h>

namespace lb::netclient::internal {
namespace {

// A name no peer controls: the SOP Instance UID in the request is the peer's text.
std::filesystem::path spoolFileName(const std::filesystem::path& directory)
{
    static std::atomic<unsigned long> counter{0};
    return directory / ("rx-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)) + ".dcm");
}

// PS3.4 B.2.3: 0xC000 cannot understand, 0xA900 data set does not match SOP class, 0xA700
// out of resources.
DIC_US statusFor(const core::Error& error)
{
    switch (error.code) {
    case core::ErrorCode::NotDicom:
    case core::ErrorCode::Malformed:
    case core::ErrorCode::MissingAttribute:
    case core::ErrorCode::Conflict:
    case core::ErrorCode::Unsupported:
        return STATUS_STORE_Error_CannotUnderstand;
    case core::ErrorCode::DataSetMismatch:
        return STATUS_STORE_Error_DataSetDoesNotMatchSOPClass;
    default:
        return STATUS_STORE_Refused_OutOfResources;
    }
}

OFCondition sendResponse(T_ASC_Association* association, T_ASC_PresentationContextID context,
                         const T_DIMSE_C_StoreRQ& request, DIC_US status, const std::string& comment)
{
    // The Error Comment (0000,0902) tells the sender why, in at most 64 characters (LO).
    DcmDataset detail;
    if (!comment.empty()) detail.putAndInsertString(DCM_ErrorComment, comment.substr(0, 64).c_str());
    T_DIMSE_C_StoreRSP response{};
    response.MessageIDBeingRespondedTo = request.MessageID;
    response.DimseStatus = status;
    response.DataSetType = DIMSE_DATASET_NULL;
    OFStandard::strlcpy(response.AffectedSOPClassUID, request.AffectedSOPClassUID, sizeof response.AffectedSOPClassUID);
    OFStandard::strlcpy(response.AffectedSOPInstanceUID, request.AffectedSOPInstanceUID,
                        sizeof response.AffectedSOPInstanceUID);
    response.opts = O_STORE_AFFECTEDSOPCLASSUID | O_STORE_AFFECTEDSOPINSTANCEUID;
    return DIMSE_sendStoreResponse(association, context, &request, &response, comment.empty() ? nullptr : &detail);
}

// Receives the data set into `file` (via `file`.part, renamed when whole). Ok: the file is
// complete. An error with code Io from the network means the association is unusable.
struct Reception {
    bool networkFailed = false;
    std::string problem; // empty: received
};

Reception receiveInto(T_ASC_Association* association, T_ASC_PresentationContextID context,
                      const T_DIMSE_C_StoreRQ& request, const std::filesystem::path& file, int timeoutSeconds)
{
    std::filesystem::path partial = file;
    partial += ".part";
    DcmOutputFileStream* stream = nullptr;
    OFCondition condition = DIMSE_createFilestream(partial.c_str(), &request, association, context, OFTrue, &stream);
    if (condition.bad()) {
        // Cannot write the spool file: drain the data set so the association stays usable.
        delete stream;
        DIC_UL bytes = 0, pdvs = 0;
        OFCondition drained = DIMSE_ignoreDataSet(association, DIMSE_NONBLOCKING, timeoutSeconds, &bytes, &pdvs);
        if (drained.bad()) return {true, "receiving an instance failed: " + conditionText(drained)};
        return {false, "cannot write " + partial.string() + ": " + conditionText(condition)};
    }
    condition = DIMSE_receiveDataSetInFile(association, DIMSE_NONBLOCKING, timeoutSeconds, &context, stream, nullptr, nullptr);
    const bool written = stream->good();
    delete stream; // closes the file
    std::error_code ec;
    if (condition.bad()) {
        std::filesystem::remove(partial, ec);
        return {true, "receiving an instance failed: " + conditionText(condition)};
    }
    if (!written) {
        std::filesystem::remove(partial, ec);
        return {false, "cannot write " + partial.string() + " (disk full?)"};
    }
    std::filesystem::rename(partial, file, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(partial, ignored);
        return {false, "cannot rename " + partial.string() + ": " + ec.message()};
    }
    return {};
}

} // namespace

core::Result<StoreOutcome> receiveAndStore(T_ASC_Association* association, T_ASC_PresentationContextID context,
                                           const T_DIMSE_C_StoreRQ& request, InstanceSink& sink,
                                           const std::string& callingAeTitle, int timeoutSeconds,
                                           const std::string& peerLabel)
{
    const std::filesystem::path file = spoolFileName(sink.spoolDirectory());
    const Reception reception = receiveInto(association, context, request, file, std::max(1, timeoutSeconds));
    if (reception.networkFailed) return core::makeError(core::ErrorCode::Io, peerLabel, reception.problem);

    StoreOutcome outcome;
    DIC_US status = STATUS_STORE_Refused_OutOfResources;
    if (!reception.problem.empty()) {
        outcome.problem = reception.problem;
    } else {
        ReceivedInstance instance;
        instance.file = file;
        instance.sopClassUid = request.AffectedSOPClassUID;
        instance.sopInstanceUid = request.AffectedSOPInstanceUID;
        instance.callingAeTitle = callingAeTitle;
        std::error_code sizeError;
        instance.bytes = std::filesystem::file_size(file, sizeError);
        if (auto accepted = sink.accept(instance); accepted) {
            outcome.stored = true;
            status = STATUS_Success;
        } else {
            status = statusFor(accepted.error());
            outcome.problem = accepted.error().reason; // no file names or UIDs to the peer
            std::error_code ignored;
            std::filesystem::remove(file, ignored);
        }
    }
    OFCondition answered = sendResponse(association, context, request, status, outcome.problem);
    if (answered.bad())
        return core::makeError(core::ErrorCode::Io, peerLabel, "answering a C-STORE failed: " + conditionText(answered));
    return outcome;
}

} // namespace lb::netclient::internal
