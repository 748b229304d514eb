#include "netclient/Echo.h"

#include "netclient/internal/ClientAssociation.h"
#include "netclient/internal/DicomNetwork.h"

#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmnet/diutil.h"

#include <chrono>

namespace lb::netclient {

core::Result<EchoReport> echo(const LocalIdentity& local, const RemoteNode& node)
{
    const auto start = std::chrono::steady_clock::now();
    auto association = internal::ClientAssociation::open(
        local, node, {{UID_VerificationSOPClass, {UID_LittleEndianImplicitTransferSyntax}}});
    if (!association) return association.error();
    auto& link = *association.value();
    DIC_US status = 0;
    DcmDataset* detail = nullptr;
    OFCondition condition = DIMSE_echoUser(link.raw(), link.nextMessageId(), DIMSE_NONBLOCKING,
                                           std::max(1, node.dimseTimeoutSeconds), &status, &detail);
    delete detail;
    if (condition.bad()) {
        link.abort();
        return link.error("C-ECHO failed", condition);
    }
    if (status != STATUS_Success)
        return link.error(core::ErrorCode::Io, std::string("C-ECHO answered ") + DU_cechoStatusString(status));
    if (auto released = link.release(); !released) return released.error();
    EchoReport report;
    report.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return report;
}

} // namespace lb::netclient
