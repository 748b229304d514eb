#pragma once
// How our storage SCP takes connections: on a socket of its own, bound to one address (DCMTK's
// ASC_initializeNetwork can only bind every interface), accepted on the acceptor thread and
// negotiated on a worker. A connection reaches DCMTK only once its whole A-ASSOCIATE-RQ (or,
// with TLS, its whole first TLS record) has arrived within the ARTIM time, so a caller that
// connects and says nothing, or dribbles, holds up nobody but itself.
#include "core/Result.h"

#include "dcmtk/dcmnet/assoc.h"

#include <string>

namespace lb::netclient::internal {

struct AcceptedConnection {
    int fd = -1;
    std::string host; // numeric address of the peer
};

class ScpListener {
public:
    // Binds address:port (an IPv4 or IPv6 literal; 0.0.0.0 or :: for every interface).
    static core::Result<ScpListener> open(const std::string& address, int port);
    ScpListener(ScpListener&& other) noexcept;
    ScpListener& operator=(ScpListener&&) = delete;
    ~ScpListener();

    // Waits up to `timeoutMs`; fd -1 when nothing arrived.
    AcceptedConnection accept(int timeoutMs);
    std::string boundAddress() const { return m_bound; }
    // Connects to ourselves, so a waiting accept() returns at once (used to stop).
    void wake() const;

private:
    ScpListener(int fd, std::string bound, std::string wakeAddress, int port);
    int m_fd = -1;
    std::string m_bound;       // "address:port" as bound
    std::string m_wakeAddress; // where to connect to reach it from here
    int m_port = 0;
};

// Waits until the connection's opening message is whole (see above). False: silent or
// malformed past `seconds`; the caller closes the socket.
bool waitForOpeningMessage(int fd, bool tls, int seconds);

// Hands an accepted socket to DCMTK, which reads the A-ASSOCIATE-RQ from it (and does the TLS
// handshake). DCMTK only takes a socket from outside through a process-wide handle; a mutex
// makes the hand-over one at a time, and the wait above makes it quick. The socket is DCMTK's
// afterwards, whatever the outcome.
OFCondition receiveAssociationOn(T_ASC_Network* network, int fd, bool tls, int seconds, T_ASC_Association** association);

// A DCMTK acceptor network that listens nowhere: its own listening socket (on every interface)
// is closed at once; connections come from ScpListener.
OFCondition makeAcceptorNetwork(int seconds, T_ASC_Network** network);

} // namespace lb::netclient::internal
