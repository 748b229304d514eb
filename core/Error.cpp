#include "core/Error.h"

namespace lb::core {

const char* errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Io: return "io";
    case ErrorCode::NotDicom: return "not-dicom";
    case ErrorCode::Malformed: return "malformed";
    case ErrorCode::MissingAttribute: return "missing-attribute";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::Conflict: return "conflict";
    case ErrorCode::Database: return "database";
    case ErrorCode::NotFound: return "not-found";
    case ErrorCode::InvalidArgument: return "invalid-argument";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::OutOfSpace: return "out-of-space";
    case ErrorCode::DataSetMismatch: return "data-set-mismatch";
    case ErrorCode::Refused: return "refused";
    case ErrorCode::Timeout: return "timeout";
    case ErrorCode::Rejected: return "rejected";
    case ErrorCode::Tls: return "tls";
    }
    return "unknown";
}

std::string Error::message() const
{
    return subject.empty() ? reason : subject + ": " + reason;
}

Error makeError(ErrorCode code, std::string subject, std::string reason)
{
    return Error{code, std::move(subject), std::move(reason)};
}

} // namespace lb::core
