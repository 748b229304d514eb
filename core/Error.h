#pragma once
// Error: what went wrong, with what (a file path, a peer, a UID) and why.
// Libraries return these inside Result<T>; nothing throws across a library boundary.
#include <string>

namespace lb::core {

enum class ErrorCode {
    Io,               // the operating system refused (open, read, write, rename, fsync)
    NotDicom,         // the bytes are not a DICOM object DCMTK can parse
    Malformed,        // DICOM, but broken (truncated, bogus lengths, bad values)
    MissingAttribute, // a required attribute (e.g. SOPInstanceUID) is absent or empty
    Unsupported,      // valid DICOM we deliberately do not handle
    Conflict,         // same identity, different content
    Database,         // SQLite reported an error
    NotFound,         // the thing asked for is not there
    InvalidArgument,  // the caller asked for something impossible
    Cancelled,        // a CancelToken was triggered
    OutOfSpace,       // the disk is full, or below the free-space floor we keep
    DataSetMismatch,  // a data set that is not what its request said (SOP class or instance)
    // A peer on the network, each its own code so a user (and a job panel) can tell them apart:
    Refused,          // nobody listens there (connection refused, host unreachable or unknown)
    Timeout,          // the peer went silent (connect, association or response timeout)
    Rejected,         // the peer rejected the association (its reason in the text)
    Tls,              // the TLS handshake failed (certificate, trust, protocol)
};

const char* errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Io;
    std::string subject; // what the error is about: a file path, a peer, a UID
    std::string reason;  // why, in words a user can act on

    // "subject: reason" (or just the reason when there is no subject).
    std::string message() const;
};

Error makeError(ErrorCode code, std::string subject, std::string reason);

} // namespace lb::core
