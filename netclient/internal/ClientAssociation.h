#pragma once
// One association we request from a remote node, with the waiting done our way: every wait
// has the node's timeout, polls a CancelToken, and every failure names the peer and why.
#include "core/CancelToken.h"
#include "core/Result.h"
#include "netclient/RemoteNode.h"

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmnet/assoc.h"
#include "dcmtk/dcmnet/dimse.h"

#include <memory>
#include <string>
#include <vector>

class DcmTLSTransportLayer;

namespace lb::netclient::internal {

struct ContextProposal {
    std::string abstractSyntax;
    std::vector<std::string> transferSyntaxes;
    T_ASC_SC_ROLE role = ASC_SC_ROLE_DEFAULT;
};

// A command received from the peer, with the status detail it may carry.
struct IncomingCommand {
    T_ASC_PresentationContextID presentationContext = 0;
    T_DIMSE_Message message{};
    std::unique_ptr<DcmDataset> statusDetail;
};

class ClientAssociation {
public:
    static core::Result<std::unique_ptr<ClientAssociation>> open(const LocalIdentity& local, const RemoteNode& node,
                                                                 const std::vector<ContextProposal>& contexts);
    ~ClientAssociation(); // releases an open association (aborts when that fails)

    ClientAssociation(const ClientAssociation&) = delete;
    ClientAssociation& operator=(const ClientAssociation&) = delete;

    T_ASC_Association* raw() { return m_association; }
    const RemoteNode& node() const { return m_node; }

    // The accepted context for an abstract syntax (optionally with this transfer syntax); 0: none.
    T_ASC_PresentationContextID acceptedContext(const std::string& abstractSyntax,
                                                const std::string& transferSyntax = "") const;
    std::string acceptedTransferSyntax(T_ASC_PresentationContextID context) const;

    DIC_US nextMessageId() { return m_nextMessageId++; }

    // Waits for the next command. Gives up with an error after the node's DIMSE timeout of
    // silence; returns Cancelled when `cancel` fires first (the caller decides whether to send
    // C-CANCEL and keep listening).
    // `timeoutSeconds` > 0 replaces the node's timeout (a short wait after C-CANCEL).
    core::Result<IncomingCommand> receiveCommand(const core::CancelToken* cancel, int timeoutSeconds = 0);
    // The data set that follows a command, in memory (queries, responses: small).
    core::Result<std::unique_ptr<DcmDataset>> receiveDataset(T_ASC_PresentationContextID context);

    core::Status send(T_ASC_PresentationContextID context, T_DIMSE_Message& message, DcmDataset* dataset);

    core::Status release();
    void abort();

    // An error about this peer: subject = node label.
    core::Error error(core::ErrorCode code, const std::string& reason) const;
    core::Error error(const std::string& what, const OFCondition& condition) const;

private:
    ClientAssociation(RemoteNode node, T_ASC_Network* network, T_ASC_Association* association,
                      std::unique_ptr<DcmTLSTransportLayer> tls);

    RemoteNode m_node;
    std::unique_ptr<DcmTLSTransportLayer> m_tls; // outlives the network and the association
    T_ASC_Network* m_network = nullptr;
    T_ASC_Association* m_association = nullptr;
    DIC_US m_nextMessageId = 1;
};

} // namespace lb::netclient::internal
