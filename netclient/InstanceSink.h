#pragma once
// Where received instances go. lb_netclient writes each incoming C-STORE data set, byte for
// byte as it arrived, into a new file under spoolDirectory() and hands it over; the sink
// (the app: the cache importer) takes the file over, moving or deleting it.
//
// Called from network threads, possibly several at once: implementations are thread-safe.
#include "core/Result.h"

#include <filesystem>
#include <string>

namespace lb::netclient {

struct ReceivedInstance {
    std::filesystem::path file; // a complete Part 10 file (meta header + data set as sent)
    std::string sopClassUid;
    std::string sopInstanceUid;
    std::string callingAeTitle; // who sent it
    uint64_t bytes = 0;
};

class InstanceSink {
public:
    virtual ~InstanceSink() = default;

    // Same filesystem as the final store, so taking a file over is a rename.
    virtual std::filesystem::path spoolDirectory() const = 0;

    // Ok only once the instance is validated, durable and indexed (or an identical copy was
    // already there): the C-STORE is answered with success after this returns, never before.
    // An error fails this one C-STORE, its reason sent as the Error Comment:
    // NotDicom/Malformed/MissingAttribute/Conflict as 0xC000 "cannot understand",
    // DataSetMismatch as 0xA900, anything else (OutOfSpace, Io, Database) as 0xA700
    // "out of resources"; the sender sees the failure, the retrieve counts it.
    virtual core::Status accept(const ReceivedInstance& instance) = 0;
};

} // namespace lb::netclient
