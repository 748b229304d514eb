#include "netclient/internal/SocketTimeouts.h"

#include "dcmtk/dcmnet/dcmtrans.h"
#include "dcmtk/dcmnet/dulstruc.h"

#include <algorithm>
#include <sys/socket.h>
#include <sys/time.h>

namespace lb::netclient::internal {

namespace {

// DCMTK keeps the socket of a connection protected; a derived class may name the accessor, and
// the member pointer it yields works on any connection. Never instantiated.
struct SocketOf : DcmTransportConnection {
    static DcmNativeSocketType of(DcmTransportConnection& connection)
    {
        DcmNativeSocketType (DcmTransportConnection::*accessor)() = &SocketOf::getSocket;
        return (connection.*accessor)();
    }
};

} // namespace

void setAssociationTimeouts(T_ASC_Association* association, int seconds)
{
    if (!association || !association->DULassociation) return;
    auto* key = static_cast<PRIVATE_ASSOCIATIONKEY*>(association->DULassociation);
    if (!key->connection) return;
    const int socket = static_cast<int>(SocketOf::of(*key->connection));
    timeval timeout{std::max(1, seconds), 0};
    ::setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

} // namespace lb::netclient::internal
