#include "netclient/internal/DicomNetwork.h"

#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmnet/dul.h"
#include "dcmtk/oflog/oflog.h"

#include <cstdlib>
#include <mutex>

namespace lb::netclient::internal {

void initialiseNetworking()
{
    static std::once_flag once;
    std::call_once(once, [] {
        ::setenv("TCP_NODELAY", "1", 1);
        // The acceptor would otherwise reverse-resolve every caller (slow without DNS) and
        // compare the configured host against a name instead of the address it came from.
        dcmDisableGethostbyaddr.set(OFTrue);
        OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
    });
}

std::string conditionText(const OFCondition& condition)
{
    std::string text = condition.text();
    for (char& c : text)
        if (c == '\n' || c == '\r') c = ' ';
    return text;
}

const std::vector<const char*>& uncompressedTransferSyntaxes()
{
    static const std::vector<const char*> syntaxes = {
        UID_LittleEndianExplicitTransferSyntax,
        UID_LittleEndianImplicitTransferSyntax,
        UID_BigEndianExplicitTransferSyntax,
    };
    return syntaxes;
}

const std::vector<const char*>& storageTransferSyntaxes()
{
    static const std::vector<const char*> syntaxes = {
        UID_LittleEndianExplicitTransferSyntax,
        UID_LittleEndianImplicitTransferSyntax,
        UID_BigEndianExplicitTransferSyntax,
        UID_DeflatedExplicitVRLittleEndianTransferSyntax,
        UID_JPEGProcess14SV1TransferSyntax,
        UID_JPEGProcess14TransferSyntax,
        UID_JPEGProcess1TransferSyntax,
        UID_JPEGProcess2_4TransferSyntax,
        UID_JPEGLSLosslessTransferSyntax,
        UID_JPEGLSLossyTransferSyntax,
        UID_JPEG2000LosslessOnlyTransferSyntax,
        UID_JPEG2000TransferSyntax,
        UID_RLELosslessTransferSyntax,
    };
    return syntaxes;
}

std::vector<const char*> storageSopClassesForGet()
{
    // 127 odd context IDs; one is the C-GET context itself.
    std::vector<const char*> classes;
    for (int i = 0; i < numberOfDcmLongSCUStorageSOPClassUIDs && classes.size() < 126; ++i)
        classes.push_back(dcmLongSCUStorageSOPClassUIDs[i]);
    return classes;
}

} // namespace lb::netclient::internal
