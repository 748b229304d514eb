#include "netclient/internal/TlsLayer.h"

#include "netclient/internal/DicomNetwork.h"

#include <arpa/inet.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

namespace lb::netclient::internal {
namespace {

// What OpenSSL's certificate check said last on this thread (the handshake runs on the thread
// that opens or accepts the association).
thread_local int t_verifyError = X509_V_OK;

int recordVerifyResult(int preverified, X509_STORE_CTX* store)
{
    if (!preverified) t_verifyError = X509_STORE_CTX_get_error(store);
    return preverified;
}

core::Error tlsError(const std::string& subject, const std::string& reason)
{
    return core::makeError(core::ErrorCode::Io, subject, "TLS: " + reason);
}

core::Status loadOwnCertificate(DcmTLSTransportLayer& layer, const TlsSettings& tls, const std::string& subject)
{
    if (tls.certFile.empty() && tls.keyFile.empty()) return {};
    if (tls.certFile.empty() || tls.keyFile.empty())
        return tlsError(subject, "a certificate needs its private key (and the key its certificate)");
    if (layer.setPrivateKeyFile(tls.keyFile.c_str(), DCF_Filetype_PEM).bad())
        return tlsError(subject, "cannot read the private key " + tls.keyFile);
    if (layer.setCertificateFile(tls.certFile.c_str(), DCF_Filetype_PEM).bad())
        return tlsError(subject, "cannot read the certificate " + tls.certFile);
    if (!layer.checkPrivateKeyMatchesCertificate())
        return tlsError(subject, "the private key " + tls.keyFile + " does not belong to " + tls.certFile);
    return {};
}

core::Result<std::unique_ptr<DcmTLSTransportLayer>> makeLayer(T_ASC_NetworkRole role, const TlsSettings& tls,
                                                             const std::string& subject)
{
    auto layer = std::make_unique<DcmTLSTransportLayer>(role, nullptr, OFTrue);
    if (!*layer) return tlsError(subject, "cannot initialise OpenSSL");
    if (layer->setTLSProfile(TSP_Profile_BCP195_ND).bad() || layer->activateCipherSuites().bad())
        return tlsError(subject, "the BCP 195 profile is not available in this OpenSSL");
    if (auto ok = loadOwnCertificate(*layer, tls, subject); !ok) return ok.error();
    return layer;
}

void checkHostName(SSL_CTX* context, const std::string& host)
{
    X509_VERIFY_PARAM* parameters = SSL_CTX_get0_param(context);
    in6_addr address{};
    if (::inet_pton(AF_INET, host.c_str(), &address) == 1 || ::inet_pton(AF_INET6, host.c_str(), &address) == 1)
        X509_VERIFY_PARAM_set1_ip_asc(parameters, host.c_str());
    else
        X509_VERIFY_PARAM_set1_host(parameters, host.c_str(), 0);
}

} // namespace

core::Result<std::unique_ptr<DcmTLSTransportLayer>> clientTlsLayer(const RemoteNode& node)
{
    auto layer = makeLayer(NET_REQUESTOR, node.tls, node.label());
    if (!layer) return layer.error();
    SSL_CTX* context = (*layer)->getNativeHandle();
    if (node.tls.caFile.empty()) {
        if (SSL_CTX_set_default_verify_paths(context) != 1) return tlsError(node.label(), "cannot read the system's trust store");
    } else if ((*layer)->addTrustedCertificateFile(node.tls.caFile.c_str(), DCF_Filetype_PEM).bad()) {
        return tlsError(node.label(), "cannot read the CA file " + node.tls.caFile);
    }
    (*layer)->setCertificateVerification(DCV_requireCertificate);
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, recordVerifyResult);
    checkHostName(context, node.host);
    t_verifyError = X509_V_OK;
    return layer;
}

core::Result<std::unique_ptr<DcmTLSTransportLayer>> serverTlsLayer(const TlsSettings& tls)
{
    const std::string subject = "storage SCP";
    if (tls.certFile.empty() || tls.keyFile.empty())
        return tlsError(subject, "listening with TLS needs tls-cert and tls-key");
    // A TLS caller always shows a certificate (Orthanc does): without a list to check it
    // against, every one would be refused.
    if (tls.caFile.empty())
        return tlsError(subject, "listening with TLS needs tls-trusted (the certificates, or the CA, of the nodes that"
                                 " store to us)");
    auto layer = makeLayer(NET_ACCEPTOR, tls, subject);
    if (!layer) return layer.error();
    SSL_CTX* context = (*layer)->getNativeHandle();
    if ((*layer)->addTrustedCertificateFile(tls.caFile.c_str(), DCF_Filetype_PEM).bad())
        return tlsError(subject, "cannot read the trusted certificates " + tls.caFile);
    (*layer)->setCertificateVerification(DCV_requireCertificate);
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, recordVerifyResult);
    return layer;
}

std::string tlsFailureReason(const OFCondition& condition, const RemoteNode& node)
{
    const int verify = t_verifyError;
    t_verifyError = X509_V_OK;
    switch (verify) {
    case X509_V_OK:
        break;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return "TLS: the node's certificate is not issued for " + node.host + " (host name mismatch)";
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return "TLS: the node's certificate has expired";
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return "TLS: the node's certificate is not valid yet";
    default:
        return "TLS: the node's certificate is not trusted (" + std::string(X509_verify_cert_error_string(verify))
            + (node.tls.caFile.empty() ? "; checked against the system's trust store)" : "; checked against " + node.tls.caFile + ")");
    }
    const std::string text = conditionText(condition);
    if (text.find("TLS") != std::string::npos) return "TLS handshake failed: " + text;
    // A plain DICOM peer answers a TLS hello with garbage or closes the connection; a TLS peer
    // that wants a client certificate closes it too.
    return "TLS handshake refused by the node (does it speak DICOM TLS on this port"
        + std::string(node.tls.certFile.empty() ? ", or does it require a client certificate: --cert/--key or tls-cert/tls-key" : "")
        + "?): " + text;
}

} // namespace lb::netclient::internal
