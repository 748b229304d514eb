#include "netclient/Echo.h"

#include "netclient/internal/ClientAssociation.h"
#include "netclient/internal/DicomNetwork.h"

#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmnet/diutil.h"
#include "dcmtk/ofstd/ofstd.h"

#include <chrono>

namespace lb::netclient {

core::Result<EchoReport> echo(const LocalIdentity& local, const RemoteNode& node, const core::CancelToken* cancel)
{
    const auto start = std::chrono::steady_clock::now();
    if (cancel && cancel->isCancelled()) return core::makeError(core::ErrorCode::Cancelled, node.label(), "cancelled");
    auto association = internal::ClientAssociation::open(
        local, node, {{UID_VerificationSOPClass, {UID_LittleEndianImplicitTransferSyntax}}});
    if (!association) return association.error();
    auto& link = *association.value();
    T_DIMSE_Message request{};
    request.CommandField = DIMSE_C_ECHO_RQ;
    T_DIMSE_C_EchoRQ& echoRequest = request.msg.CEchoRQ;
    echoRequest.MessageID = link.nextMessageId();
    echoRequest.DataSetType = DIMSE_DATASET_NULL;
    OFStandard::strlcpy(echoRequest.AffectedSOPClassUID, UID_VerificationSOPClass, sizeof echoRequest.AffectedSOPClassUID);
    if (auto sent = link.send(link.acceptedContext(UID_VerificationSOPClass), request, nullptr); !sent) return sent.error();
    // Our own wait (not DIMSE_echoUser's): it polls the CancelToken and has the node's timeout.
    auto answer = link.receiveCommand(cancel);
    if (!answer) {
        link.abort();
        return answer.error();
    }
    if (answer->message.CommandField != DIMSE_C_ECHO_RSP) {
        link.abort();
        return link.error(core::ErrorCode::Malformed, "expected a C-ECHO response");
    }
    const DIC_US status = answer->message.msg.CEchoRSP.DimseStatus;
    if (status != STATUS_Success)
        return link.error(core::ErrorCode::Io, std::string("C-ECHO answered ") + DU_cechoStatusString(status));
    if (auto released = link.release(); !released) return released.error();
    EchoReport report;
    report.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return report;
}

} // namespace lb::netclient
