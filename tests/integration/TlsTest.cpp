// DICOM TLS against a real Orthanc with DicomTlsEnabled: echo, find, C-GET, C-MOVE (Orthanc calls
// our storage SCP with TLS) and C-STORE; and the failures a user meets, each with its reason: a
// plain client on the TLS port, an untrusted CA, a certificate for another host, no client
// certificate, a TLS client on a plain port. Certificates are made here with openssl.
#include "tests/integration/NetworkTestSupport.h"
#include "tests/support/ChildProcess.h"

#include <csignal>

namespace lb::test {
namespace {

constexpr const char* kSeries = "mr_philips_achieva_epi_rescaled"; // 27 small instances

class TlsTest : public NetworkTest {
protected:
    void SetUp() override
    {
        NetworkTest::SetUp();
        m_pki = m_temp / "pki";
        std::filesystem::create_directories(m_pki);
        makeCa("ca", "Lightbox Test CA");
        makeCa("other-ca", "Another Hospital CA");
        makeCertificate("orthanc", "ca", "IP:127.0.0.1,DNS:localhost");
        makeCertificate("lightbox", "ca", "IP:127.0.0.1,DNS:localhost");
        m_orthanc = std::make_unique<OrthancServer>(
            m_temp / "orthanc", std::vector<OrthancModality>{{"lightbox", "LIGHTBOX", m_storagePort, true}},
            OrthancTls{pem("orthanc.crt"), pem("orthanc.key"), pem("ca.crt")});
        // dcmtk's storescu over TLS (as the plain tests load Orthanc): what Orthanc then keeps is
        // what it sends back, byte for byte.
        std::string store = "TCP_NODELAY=1 storescu -R +tls " + shellQuote(pem("lightbox.key").string()) + " " +
                            shellQuote(pem("lightbox.crt").string()) + " +cf " + shellQuote(pem("ca.crt").string()) +
                            " -aet LIGHTBOX -aec ORTHANC 127.0.0.1 " + std::to_string(m_orthanc->dicomPort());
        for (const auto& file : dicomFilesUnder(testData() / kSeries)) store += " " + shellQuote(file.string());
        const auto stored = runCommand(store + " 2>&1");
        ASSERT_EQ(stored.exitCode, 0) << stored.out;
        ASSERT_EQ(cli(m_cache, "settings set storage-port " + std::to_string(m_storagePort)).exitCode, 0);
        ASSERT_EQ(cli(m_cache, "settings set tls-cert " + pem("lightbox.crt").string()).exitCode, 0);
        ASSERT_EQ(cli(m_cache, "settings set tls-key " + pem("lightbox.key").string()).exitCode, 0);
    }

    std::filesystem::path pem(const std::string& name) const { return m_pki / name; }

    void openssl(const std::string& arguments)
    {
        const auto result = runCommand("cd " + shellQuote(m_pki.string()) + " && openssl " + arguments + " 2>&1");
        ASSERT_EQ(result.exitCode, 0) << arguments << "\n" << result.out;
    }
    void makeCa(const std::string& name, const std::string& subject)
    {
        openssl("req -x509 -newkey rsa:2048 -nodes -keyout " + name + ".key -out " + name + ".crt -days 2 -subj '/CN=" +
                subject + "'");
    }
    void makeCertificate(const std::string& name, const std::string& ca, const std::string& altNames)
    {
        openssl("req -newkey rsa:2048 -nodes -keyout " + name + ".key -out " + name + ".csr -subj '/CN=" + name + "'");
        writeFileBytes(m_pki / (name + ".ext"), "subjectAltName=" + altNames + "\nbasicConstraints=CA:FALSE\n");
        openssl("x509 -req -in " + name + ".csr -CA " + ca + ".crt -CAkey " + ca + ".key -CAcreateserial -out " + name +
                ".crt -days 1 -extfile " + name + ".ext");
    }

    std::string tlsNode(const std::string& name, const std::string& host, const std::string& ca)
    {
        return "nodes add " + name + " --ae ORTHANC --host " + host + " --port " + std::to_string(m_orthanc->dicomPort())
            + " --tls --ca " + shellQuote(pem(ca).string());
    }

    std::filesystem::path m_pki;
};

TEST_F(TlsTest, EchoFindGetMoveAndStoreOverTls)
{
    ASSERT_EQ(cli(m_cache, tlsNode("pacs", "127.0.0.1", "ca.crt")).exitCode, 0);
    const auto listed = cliJson(m_cache, "nodes list");
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_TRUE(listed[0].value("tls", false));
    EXPECT_EQ(listed[0].value("ca", ""), pem("ca.crt").string());
    EXPECT_TRUE(listed[0].contains("cert"));

    EXPECT_EQ(cliJson(m_cache, "echo pacs").value("ok", false), true);
    const std::string study = studyUidOf(kSeries);
    const auto found = cliJson(m_cache, "find pacs --study " + study);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].value("study_uid", ""), study);

    const int count = static_cast<int>(dicomFilesUnder(testData() / kSeries).size());
    const auto got = cliJson(m_cache, "retrieve pacs --method get --study " + study);
    EXPECT_TRUE(got.value("complete", false)) << got.dump(2);
    expectByteIdenticalToOrthanc(m_cache, study, count);

    // C-MOVE: Orthanc calls our storage SCP, which speaks TLS only, trusting our CA.
    ASSERT_EQ(cli(m_cache, "delete " + study).exitCode, 0);
    ASSERT_EQ(cli(m_cache, "settings set listen-tls on").exitCode, 0);
    ASSERT_EQ(cli(m_cache, "settings set tls-trusted " + pem("ca.crt").string()).exitCode, 0);
    const auto moved = cliJson(m_cache, "retrieve pacs --method move --study " + study);
    EXPECT_TRUE(moved.value("complete", false)) << moved.dump(2);
    expectByteIdenticalToOrthanc(m_cache, study, count);

    // C-STORE: a fresh Orthanc archive receives what we send.
    const auto response = runCommand("curl -sf -X DELETE http://127.0.0.1:" + std::to_string(m_orthanc->httpPort()) +
                                     "/studies/" + m_orthanc->get("/studies").at(0).get<std::string>());
    ASSERT_EQ(response.exitCode, 0);
    ASSERT_EQ(m_orthanc->instanceCount(), 0);
    const auto sent = cliJson(m_cache, "send pacs --study " + study);
    EXPECT_EQ(sent.value("sent", -1), count) << sent.dump(2);
    EXPECT_EQ(m_orthanc->instanceCount(), count);
}

TEST_F(TlsTest, EachFailureNamesTheNodeAndTheReasonAndNothingFallsBackToPlainText)
{
    // A plain client on the TLS port.
    ASSERT_EQ(cli(m_cache, "nodes add plain --ae ORTHANC --host 127.0.0.1 --port " + std::to_string(m_orthanc->dicomPort()))
                  .exitCode, 0);
    auto plain = cliWithErrors(m_cache, "echo plain");
    EXPECT_EQ(plain.exitCode, 1);
    EXPECT_NE(plain.out.find("plain (ORTHANC@127.0.0.1"), std::string::npos) << plain.out;

    // A CA that did not sign Orthanc's certificate.
    ASSERT_EQ(cli(m_cache, tlsNode("wrongca", "127.0.0.1", "other-ca.crt")).exitCode, 0);
    auto untrusted = cliWithErrors(m_cache, "echo wrongca");
    EXPECT_EQ(untrusted.exitCode, 1);
    EXPECT_NE(untrusted.out.find("wrongca (ORTHANC@127.0.0.1"), std::string::npos) << untrusted.out;
    EXPECT_NE(untrusted.out.find("certificate is not trusted"), std::string::npos) << untrusted.out;

    // The right CA, but the certificate is for 127.0.0.1 and localhost, not 127.0.0.2.
    ASSERT_EQ(cli(m_cache, tlsNode("otherhost", "127.0.0.2", "ca.crt")).exitCode, 0);
    auto wrongHost = cliWithErrors(m_cache, "echo otherhost");
    EXPECT_EQ(wrongHost.exitCode, 1);
    EXPECT_NE(wrongHost.out.find("not issued for 127.0.0.2"), std::string::npos) << wrongHost.out;

    // Orthanc requires a client certificate: without ours it refuses the handshake.
    TempDir bare;
    ASSERT_EQ(cli(bare.path(), tlsNode("pacs", "127.0.0.1", "ca.crt")).exitCode, 0);
    auto noCertificate = cliWithErrors(bare.path(), "echo pacs");
    EXPECT_EQ(noCertificate.exitCode, 1);
    EXPECT_NE(noCertificate.out.find("TLS handshake refused"), std::string::npos) << noCertificate.out;
    EXPECT_NE(noCertificate.out.find("client certificate"), std::string::npos) << noCertificate.out;

    // A TLS client on a plain port (our own storage SCP, listening without TLS).
    ASSERT_EQ(cli(m_cache, "nodes add self --ae LIGHTBOX --host 127.0.0.1 --port " + std::to_string(m_storagePort) +
                               " --tls --ca " + shellQuote(pem("ca.crt").string())).exitCode, 0);
    ChildProcess listener({LB_CLI, "--cache", m_cache.string(), "listen"}, m_temp / "listen.log");
    ASSERT_TRUE(waitForPort(m_storagePort, std::chrono::seconds(10))) << listener.output();
    auto tlsToPlain = cliWithErrors(m_cache, "echo self");
    EXPECT_EQ(tlsToPlain.exitCode, 1);
    EXPECT_NE(tlsToPlain.out.find("TLS"), std::string::npos) << tlsToPlain.out;
    listener.signal(SIGINT);
    EXPECT_EQ(listener.waitExit(std::chrono::seconds(10)), 0);
}

} // namespace
} // namespace lb::test
