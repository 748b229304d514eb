#include "netclient/StorageScp.h"

#include "netclient/internal/CallerCheck.h"
#include "netclient/internal/DicomNetwork.h"
#include "netclient/internal/ScpListener.h"
#include "netclient/internal/SocketTimeouts.h"
#include "netclient/internal/TlsLayer.h"
#include "netclient/internal/StoreReceiver.h"

#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmnet/assoc.h"
#include "dcmtk/dcmnet/dimse.h"
#include "dcmtk/dcmnet/dcmtrans.h"
#include "dcmtk/dcmnet/dul.h"

#include <arpa/inet.h>
#include <chrono>
#include <condition_variable>
#include <list>
#include <map>
#include <optional>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <mutex>
#include <thread>

namespace lb::netclient {
namespace {

constexpr long kMaxReceivePdu = 65536;
constexpr int kPollSeconds = 1;
constexpr int kAcseTimeoutSeconds = 10;
// Connections accepted but not yet associations (each lasts at most the ARTIM time).
constexpr int kMaxNegotiating = 64;
constexpr int kMaxNegotiatingPerPeer = 16;
constexpr auto kNegotiationSlotWait = std::chrono::seconds(2);

void rejectAssociation(T_ASC_Association* association, T_ASC_RejectParametersResult result,
                       T_ASC_RejectParametersSource source, T_ASC_RejectParametersReason reason)
{
    T_ASC_RejectParameters rejection = {result, source, reason};
    ASC_rejectAssociation(association, &rejection);
}

void dropAssociation(T_ASC_Association*& association)
{
    ASC_dropSCPAssociation(association);
    ASC_destroyAssociation(&association);
}

// Accepts verification and storage contexts, each with the first proposed transfer syntax we
// decode: the sender lists its own syntax first, so nothing is transcoded on the way.
void acceptContexts(T_ASC_Parameters* parameters)
{
    const auto& supported = internal::storageTransferSyntaxes();
    const int count = ASC_countPresentationContexts(parameters);
    for (int i = 0; i < count; ++i) {
        T_ASC_PresentationContext context;
        ASC_getPresentationContext(parameters, i, &context);
        const std::string abstract = context.abstractSyntax;
        const bool verification = abstract == UID_VerificationSOPClass;
        if (!verification && !dcmIsaStorageSOPClassUID(context.abstractSyntax, ESSC_All)) {
            ASC_refusePresentationContext(parameters, context.presentationContextID, ASC_P_ABSTRACTSYNTAXNOTSUPPORTED);
            continue;
        }
        const char* chosen = nullptr;
        for (int t = 0; t < context.transferSyntaxCount && !chosen; ++t)
            for (const char* ours : supported)
                if (std::string(context.proposedTransferSyntaxes[t]) == ours) chosen = ours;
        if (chosen) ASC_acceptPresentationContext(parameters, context.presentationContextID, chosen);
        else ASC_refusePresentationContext(parameters, context.presentationContextID, ASC_P_TRANSFERSYNTAXESNOTSUPPORTED);
    }
}

} // namespace

struct StorageScp::State {
    StorageScpConfig config;
    InstanceSink& sink;
    std::unique_ptr<DcmTLSTransportLayer> tls; // outlives the network
    T_ASC_Network* network = nullptr;
    std::atomic<bool> stopping{false};
    std::thread acceptor;
    std::mutex workersMutex;
    struct Worker {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };
    std::list<Worker> workers;
    std::optional<internal::ScpListener> listener;
    std::mutex peersMutex;
    int active = 0;                    // associations running (guarded by peersMutex)
    std::map<std::string, int> perPeer; // by peer address (guarded by peersMutex)
    std::condition_variable negotiationEnded;
    int negotiating = 0;               // connections not yet an association (guarded by peersMutex)
    std::map<std::string, int> negotiatingPerPeer;
    std::atomic<int> accepted{0}, rejected{0}, stored{0}, failed{0};

    State(StorageScpConfig c, InstanceSink& s) : config(std::move(c)), sink(s) {}

    void log(const std::string& line) const
    {
        if (config.log) config.log(line);
    }

    void acceptLoop();
    void negotiateAndServe(const internal::AcceptedConnection& connection);
    void endNegotiation(const std::string& host);
    void reapFinishedWorkers();
    void serve(T_ASC_Association* association);
};

void StorageScp::State::acceptLoop()
{
    while (!stopping.load()) {
        internal::AcceptedConnection connection = listener->accept(kPollSeconds * 1000);
        if (connection.fd < 0) continue;
        if (stopping.load()) { // our own wake-up call, or too late
            ::close(connection.fd);
            break;
        }
        // Connections still negotiating are capped too (each ends within the ARTIM time), so a
        // flood of them cannot exhaust threads; the association caps come after negotiation.
        bool tooMany = false;
        {
            // Negotiations end within the ARTIM time, most within milliseconds: a burst waits a
            // moment for a free slot before it is refused (the kernel's backlog holds the rest).
            std::unique_lock lock(peersMutex);
            const auto hasRoom = [&] {
                return negotiating < kMaxNegotiating && negotiatingPerPeer[connection.host] < kMaxNegotiatingPerPeer;
            };
            tooMany = !negotiationEnded.wait_for(lock, kNegotiationSlotWait, hasRoom);
            if (!tooMany) {
                ++negotiating;
                ++negotiatingPerPeer[connection.host];
            }
        }
        if (tooMany) {
            log("storage SCP: refused a connection from " + connection.host + ": too many connections negotiating");
            ++rejected;
            ::close(connection.fd);
            continue;
        }
        reapFinishedWorkers();
        auto done = std::make_shared<std::atomic<bool>>(false);
        std::lock_guard lock(workersMutex);
        workers.push_back({std::thread([this, connection, done] {
                               negotiateAndServe(connection);
                               done->store(true);
                           }),
                           done});
    }
}

// On the worker: the opening message within the ARTIM time, then DCMTK takes the socket.
void StorageScp::State::negotiateAndServe(const internal::AcceptedConnection& connection)
{
    const int artim = std::max(1, std::min(config.artimSeconds, config.dimseTimeoutSeconds));
    if (!internal::waitForOpeningMessage(connection.fd, tls != nullptr, artim)) {
        if (!stopping.load())
            log("storage SCP: " + connection.host + " sent no association request within " + std::to_string(artim) +
                " s; closed");
        ::close(connection.fd);
        endNegotiation(connection.host);
        return;
    }
    T_ASC_Association* association = nullptr;
    OFCondition condition = internal::receiveAssociationOn(network, connection.fd, tls != nullptr, artim, &association);
    endNegotiation(connection.host);
    if (condition.bad()) {
        if (!stopping.load())
            log("storage SCP: an association request from " + connection.host + " failed: " + internal::conditionText(condition));
        if (association) dropAssociation(association);
        return;
    }
    // The association caps: the whole SCP, and each peer, so that one caller holding idle
    // associations cannot lock everyone else out.
    std::string refusal;
    {
        std::lock_guard lock(peersMutex);
        if (active >= config.maxAssociations)
            refusal = std::to_string(config.maxAssociations) + " associations already running";
        else if (perPeer[connection.host] >= config.maxAssociationsPerPeer)
            refusal = std::to_string(config.maxAssociationsPerPeer) + " associations already open from this host";
        else {
            ++active;
            ++perPeer[connection.host];
        }
    }
    if (!refusal.empty()) {
        log("storage SCP: rejected an association from " + connection.host + ": " + refusal);
        rejectAssociation(association, ASC_RESULT_REJECTEDTRANSIENT, ASC_SOURCE_SERVICEPROVIDER_PRESENTATION_RELATED,
                          ASC_REASON_SP_PRES_LOCALLIMITEXCEEDED);
        ++rejected;
        dropAssociation(association);
        return;
    }
    serve(association);
    std::lock_guard lock(peersMutex);
    --active;
    if (--perPeer[connection.host] == 0) perPeer.erase(connection.host);
}

void StorageScp::State::endNegotiation(const std::string& host)
{
    {
        std::lock_guard lock(peersMutex);
        --negotiating;
        if (--negotiatingPerPeer[host] == 0) negotiatingPerPeer.erase(host);
    }
    negotiationEnded.notify_all();
}

void StorageScp::State::reapFinishedWorkers()
{
    std::lock_guard lock(workersMutex);
    for (auto it = workers.begin(); it != workers.end();) {
        if (it->done->load()) {
            it->thread.join();
            it = workers.erase(it);
        } else {
            ++it;
        }
    }
}

void StorageScp::State::serve(T_ASC_Association* association)
{
    internal::setAssociationTimeouts(association, config.dimseTimeoutSeconds);
    char calling[65] = {}, called[65] = {}, responding[65] = {};
    ASC_getAPTitles(association->params, calling, sizeof calling, called, sizeof called, responding, sizeof responding);
    char callingAddress[128] = {}, calledAddress[128] = {};
    ASC_getPresentationAddresses(association->params, callingAddress, sizeof callingAddress, calledAddress,
                                 sizeof calledAddress);
    const std::string callingAe = internal::trimAeTitle(calling);
    const std::string calledAe = internal::trimAeTitle(called);
    const std::string callingHost = internal::hostOfAddress(callingAddress);
    const std::string peer = "'" + callingAe + "' from " + callingHost;

    if (calledAe != config.local.aeTitle) {
        log("storage SCP: rejected " + peer + ": called AE title '" + calledAe + "' is not ours ('" +
            config.local.aeTitle + "')");
        rejectAssociation(association, ASC_RESULT_REJECTEDPERMANENT, ASC_SOURCE_SERVICEUSER,
                          ASC_REASON_SU_CALLEDAETITLENOTRECOGNIZED);
        ++rejected;
        dropAssociation(association);
        return;
    }
    if (!internal::callerAllowed(config.allowed, callingAe, callingHost)) {
        log("storage SCP: rejected " + peer + ": not a configured node");
        rejectAssociation(association, ASC_RESULT_REJECTEDPERMANENT, ASC_SOURCE_SERVICEUSER,
                          ASC_REASON_SU_CALLINGAETITLENOTRECOGNIZED);
        ++rejected;
        dropAssociation(association);
        return;
    }
    acceptContexts(association->params);
    if (ASC_acknowledgeAssociation(association).bad()) {
        dropAssociation(association);
        return;
    }
    ++accepted;

    const int timeout = std::max(1, config.dimseTimeoutSeconds);
    int silent = 0;
    for (;;) {
        T_ASC_PresentationContextID context = 0;
        T_DIMSE_Message message{};
        OFCondition condition = DIMSE_receiveCommand(association, DIMSE_NONBLOCKING, kPollSeconds, &context, &message, nullptr);
        if (condition == DIMSE_NODATAAVAILABLE) {
            silent += kPollSeconds;
            if (stopping.load() || silent >= timeout) {
                if (!stopping.load()) log("storage SCP: " + peer + " silent for " + std::to_string(timeout) + " s; aborted");
                ASC_abortAssociation(association);
                break;
            }
            continue;
        }
        silent = 0;
        if (condition == DUL_PEERREQUESTEDRELEASE) {
            ASC_acknowledgeRelease(association);
            break;
        }
        if (condition == DUL_PEERABORTEDASSOCIATION) {
            log("storage SCP: " + peer + " aborted the association");
            break;
        }
        if (condition.bad()) {
            log("storage SCP: " + peer + ": " + internal::conditionText(condition));
            ASC_abortAssociation(association);
            break;
        }
        if (message.CommandField == DIMSE_C_ECHO_RQ) {
            DIMSE_sendEchoResponse(association, context, &message.msg.CEchoRQ, STATUS_Success, nullptr);
            continue;
        }
        if (message.CommandField != DIMSE_C_STORE_RQ) {
            log("storage SCP: " + peer + " sent an unsupported command; aborted");
            ASC_abortAssociation(association);
            break;
        }
        auto outcome = internal::receiveAndStore(association, context, message.msg.CStoreRQ, sink, callingAe, timeout, peer);
        if (!outcome) {
            ++failed;
            log("storage SCP: " + outcome.error().message());
            ASC_abortAssociation(association);
            break;
        }
        if (outcome->stored) {
            ++stored;
        } else {
            ++failed;
            log("storage SCP: refused an instance from " + peer + ": " + outcome->problem);
        }
    }
    dropAssociation(association);
}

core::Result<std::unique_ptr<StorageScp>> StorageScp::start(const StorageScpConfig& config, InstanceSink& sink)
{
    internal::initialiseNetworking();
    auto state = std::make_unique<State>(config, sink);
    auto listener = internal::ScpListener::open(config.listenAddress, config.local.storagePort);
    if (!listener) return listener.error();
    state->listener.emplace(std::move(*listener));
    const int acseTimeout = std::min(kAcseTimeoutSeconds, std::max(1, config.dimseTimeoutSeconds));
    OFCondition condition = internal::makeAcceptorNetwork(acseTimeout, &state->network);
    if (condition.bad())
        return core::makeError(core::ErrorCode::Io, "storage SCP", "cannot start: " + internal::conditionText(condition));
    if (config.tls.enabled) {
        auto layer = internal::serverTlsLayer(config.tls);
        if (!layer) {
            ASC_dropNetwork(&state->network);
            return layer.error();
        }
        state->tls = std::move(*layer);
        if (OFCondition set = ASC_setTransportLayer(state->network, state->tls.get(), 0); set.bad()) {
            ASC_dropNetwork(&state->network);
            return core::makeError(core::ErrorCode::Io, "storage SCP", "TLS: " + internal::conditionText(set));
        }
    }
    State* raw = state.get();
    raw->acceptor = std::thread([raw] { raw->acceptLoop(); });
    return std::unique_ptr<StorageScp>(new StorageScp(std::move(state)));
}

StorageScp::StorageScp(std::unique_ptr<State> state) : m_state(std::move(state)) {}

StorageScp::~StorageScp()
{
    stop();
}

void StorageScp::stop()
{
    if (!m_state || m_state->stopping.exchange(true)) return;
    m_state->listener->wake();
    if (m_state->acceptor.joinable()) m_state->acceptor.join();
    std::list<State::Worker> workers;
    {
        std::lock_guard lock(m_state->workersMutex);
        workers.swap(m_state->workers);
    }
    for (State::Worker& worker : workers) worker.thread.join();
    if (m_state->network) ASC_dropNetwork(&m_state->network);
}

std::string StorageScp::boundAddress() const
{
    return m_state->listener->boundAddress();
}

StorageScpStats StorageScp::stats() const
{
    return {m_state->accepted.load(), m_state->rejected.load(), m_state->stored.load(), m_state->failed.load()};
}

} // namespace lb::netclient
