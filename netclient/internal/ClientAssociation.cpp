#include "netclient/internal/ClientAssociation.h"

#include "netclient/internal/SocketTimeouts.h"
#include "netclient/internal/TlsLayer.h"

#include "netclient/internal/DicomNetwork.h"

#include "dcmtk/dcmnet/dcmtrans.h"
#include "dcmtk/dcmnet/dul.h"
#include "dcmtk/ofstd/ofstd.h"

#include <algorithm>
#include <cctype>

namespace lb::netclient::internal {
namespace {

// Big enough that a 512x512 CT slice travels in a few PDUs (DCMTK's default is 16 KiB).
constexpr long kMaxReceivePdu = 65536;
// How often a wait wakes up to look at the CancelToken.
constexpr int kPollSeconds = 1;

// What kind of failure a DCMTK condition is, for a user to act on: nobody there, a silent peer,
// a broken TLS handshake, or something else on the wire.
core::ErrorCode networkCode(const std::string& text, bool tls)
{
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto has = [&](const char* word) { return lower.find(word) != std::string::npos; };
    if (has("refused") || has("unreachable") || has("no route") || has("unknown host") || has("name or service"))
        return core::ErrorCode::Refused;
    if (has("timeout") || has("timed out")) return core::ErrorCode::Timeout;
    if (tls) return core::ErrorCode::Tls;
    return core::ErrorCode::Io;
}

std::string oneLine(OFString text)
{
    std::string line(text.c_str());
    std::replace(line.begin(), line.end(), '\n', ';');
    return line;
}

} // namespace

core::Result<std::unique_ptr<ClientAssociation>> ClientAssociation::open(const LocalIdentity& local,
                                                                         const RemoteNode& node,
                                                                         const std::vector<ContextProposal>& contexts)
{
    initialiseNetworking();
    auto fail = [&](const std::string& reason) {
        return core::makeError(core::ErrorCode::Io, node.label(), reason);
    };
    if (contexts.empty() || contexts.size() > 128)
        return core::makeError(core::ErrorCode::InvalidArgument, node.label(),
                               "an association carries 1 to 128 presentation contexts");

    // Once the association stands, its socket gets this node's receive/send timeout
    // (setAssociationTimeouts), which bounds a peer that stops in the middle of a PDU; DCMTK's
    // process-wide receive/send globals are left alone (they leaked into other associations).
    // The connect timeout has no per-socket form in DCMTK: it is the one global still set, and
    // it only matters while connecting.
    dcmConnectionTimeout.set(std::max(1, node.connectTimeoutSeconds));
    T_ASC_Network* network = nullptr;
    OFCondition condition = ASC_initializeNetwork(NET_REQUESTOR, 0, std::max(1, node.connectTimeoutSeconds), &network);
    if (condition.bad()) return fail("cannot initialise the network: " + conditionText(condition));
    std::unique_ptr<DcmTLSTransportLayer> tls;
    if (node.tls.enabled) { // never a plain-text fallback: without TLS there is no association
        auto layer = clientTlsLayer(node);
        if (!layer) {
            ASC_dropNetwork(&network);
            return layer.error();
        }
        tls = std::move(*layer);
        condition = ASC_setTransportLayer(network, tls.get(), 0);
        if (condition.bad()) {
            ASC_dropNetwork(&network);
            return fail("TLS: " + conditionText(condition));
        }
    }

    T_ASC_Parameters* parameters = nullptr;
    ASC_createAssociationParameters(&parameters, kMaxReceivePdu);
    ASC_setAPTitles(parameters, local.aeTitle.c_str(), node.aeTitle.c_str(), nullptr);
    const std::string peerAddress = node.host + ":" + std::to_string(node.port);
    ASC_setPresentationAddresses(parameters, OFStandard::getHostName().c_str(), peerAddress.c_str());
    if (tls) ASC_setTransportLayerType(parameters, OFTrue);

    T_ASC_PresentationContextID id = 1;
    for (const ContextProposal& proposal : contexts) {
        std::vector<const char*> syntaxes;
        for (const std::string& syntax : proposal.transferSyntaxes) syntaxes.push_back(syntax.c_str());
        condition = ASC_addPresentationContext(parameters, id, proposal.abstractSyntax.c_str(), syntaxes.data(),
                                               static_cast<int>(syntaxes.size()), proposal.role);
        if (condition.bad()) {
            ASC_destroyAssociationParameters(&parameters);
            ASC_dropNetwork(&network);
            return fail("cannot propose " + proposal.abstractSyntax + ": " + conditionText(condition));
        }
        id = static_cast<T_ASC_PresentationContextID>(id + 2);
    }

    T_ASC_Association* association = nullptr;
    condition = ASC_requestAssociation(network, parameters, &association);
    if (condition.bad()) {
        std::string reason;
        core::ErrorCode code = networkCode(conditionText(condition), tls != nullptr);
        if (condition == DUL_ASSOCIATIONREJECTED) {
            T_ASC_RejectParameters rejection;
            ASC_getRejectParameters(parameters, &rejection);
            OFString text;
            reason = "association rejected: " + oneLine(ASC_printRejectParameters(text, &rejection));
            code = core::ErrorCode::Rejected;
        } else if (tls) {
            reason = tlsFailureReason(condition, node);
        } else {
            reason = "cannot open an association: " + conditionText(condition);
        }
        if (association) {
            ASC_dropAssociation(association);
            ASC_destroyAssociation(&association); // also frees the parameters
        } else {
            ASC_destroyAssociationParameters(&parameters);
        }
        ASC_dropNetwork(&network);
        return core::makeError(code, node.label(), reason);
    }
    setAssociationTimeouts(association, std::max(node.connectTimeoutSeconds, node.dimseTimeoutSeconds));
    auto opened = std::unique_ptr<ClientAssociation>(new ClientAssociation(node, network, association, std::move(tls)));
    if (ASC_countAcceptedPresentationContexts(association->params) == 0)
        return opened->error(core::ErrorCode::Unsupported, "the peer accepted none of the proposed presentation contexts");
    return opened;
}

ClientAssociation::ClientAssociation(RemoteNode node, T_ASC_Network* network, T_ASC_Association* association,
                                     std::unique_ptr<DcmTLSTransportLayer> tls)
    : m_node(std::move(node)), m_tls(std::move(tls)), m_network(network), m_association(association)
{
}

ClientAssociation::~ClientAssociation()
{
    if (m_association) {
        if (release().ok() == false) abort();
    }
    if (m_network) ASC_dropNetwork(&m_network);
}

T_ASC_PresentationContextID ClientAssociation::acceptedContext(const std::string& abstractSyntax,
                                                               const std::string& transferSyntax) const
{
    if (!m_association) return 0;
    if (transferSyntax.empty()) return ASC_findAcceptedPresentationContextID(m_association, abstractSyntax.c_str());
    return ASC_findAcceptedPresentationContextID(m_association, abstractSyntax.c_str(), transferSyntax.c_str());
}

std::string ClientAssociation::acceptedTransferSyntax(T_ASC_PresentationContextID context) const
{
    T_ASC_PresentationContext accepted;
    if (!m_association || ASC_findAcceptedPresentationContext(m_association->params, context, &accepted).bad())
        return {};
    return accepted.acceptedTransferSyntax;
}

core::Result<IncomingCommand> ClientAssociation::receiveCommand(const core::CancelToken* cancel, int timeoutSeconds)
{
    if (!m_association) return error(core::ErrorCode::Io, "the association is closed");
    const int timeout = std::max(1, timeoutSeconds > 0 ? timeoutSeconds : m_node.dimseTimeoutSeconds);
    for (int waited = 0;;) {
        if (cancel && cancel->isCancelled()) return error(core::ErrorCode::Cancelled, "cancelled");
        IncomingCommand incoming;
        DcmDataset* statusDetail = nullptr;
        OFCondition condition = DIMSE_receiveCommand(m_association, DIMSE_NONBLOCKING, kPollSeconds,
                                                     &incoming.presentationContext, &incoming.message, &statusDetail);
        incoming.statusDetail.reset(statusDetail);
        if (condition.good()) return incoming;
        if (condition == DIMSE_NODATAAVAILABLE) {
            waited += kPollSeconds;
            if (waited >= timeout) {
                abort();
                return error(core::ErrorCode::Timeout, "no answer within " + std::to_string(timeout) + " s; association aborted");
            }
            continue;
        }
        const std::string reason = condition == DUL_PEERABORTEDASSOCIATION ? std::string("the peer aborted the association")
                                   : condition == DUL_PEERREQUESTEDRELEASE ? std::string("the peer released the association")
                                                                           : conditionText(condition);
        abort();
        return error(core::ErrorCode::Io, reason);
    }
}

core::Result<std::unique_ptr<DcmDataset>> ClientAssociation::receiveDataset(T_ASC_PresentationContextID context)
{
    DcmDataset* dataset = nullptr;
    OFCondition condition = DIMSE_receiveDataSetInMemory(m_association, DIMSE_NONBLOCKING,
                                                         std::max(1, m_node.dimseTimeoutSeconds), &context, &dataset,
                                                         nullptr, nullptr);
    if (condition.bad()) {
        delete dataset;
        abort();
        return error("receiving a data set failed", condition);
    }
    return std::unique_ptr<DcmDataset>(dataset);
}

core::Status ClientAssociation::send(T_ASC_PresentationContextID context, T_DIMSE_Message& message, DcmDataset* dataset)
{
    OFCondition condition = DIMSE_sendMessageUsingMemoryData(m_association, context, &message, nullptr, dataset,
                                                             nullptr, nullptr);
    if (condition.bad()) {
        abort();
        return error("sending a request failed", condition);
    }
    return {};
}

core::Status ClientAssociation::release()
{
    if (!m_association) return {};
    OFCondition condition = ASC_releaseAssociation(m_association);
    if (condition.bad()) return error("release failed", condition);
    ASC_destroyAssociation(&m_association);
    m_association = nullptr;
    return {};
}

void ClientAssociation::abort()
{
    if (!m_association) return;
    ASC_abortAssociation(m_association);
    ASC_destroyAssociation(&m_association);
    m_association = nullptr;
}

core::Error ClientAssociation::error(core::ErrorCode code, const std::string& reason) const
{
    return core::makeError(code, m_node.label(), reason);
}

core::Error ClientAssociation::error(const std::string& what, const OFCondition& condition) const
{
    const std::string text = conditionText(condition);
    return core::makeError(networkCode(text, false), m_node.label(), what + ": " + text);
}

} // namespace lb::netclient::internal
