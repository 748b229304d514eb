#include "tests/support/OrthancServer.h"

#include <csignal>
#include <cstring>
#include <fstream>
#include <thread>
#include <gtest/gtest.h>

namespace lb::test {

OrthancServer::OrthancServer(const std::filesystem::path& folder, std::vector<OrthancModality> modalities,
                             std::optional<OrthancTls> tls)
    : m_folder(folder), m_modalities(std::move(modalities)), m_tls(std::move(tls))
{
    std::filesystem::create_directories(m_folder);
    start();
}

OrthancServer::~OrthancServer()
{
    // Its folder is thrown away with the test: no need for the 2.5 s a graceful stop takes.
    killHard();
}

void OrthancServer::writeConfig() const
{
    nlohmann::json modalities = nlohmann::json::object();
    for (const auto& modality : m_modalities)
        modalities[modality.name] = {{"AET", modality.aeTitle}, {"Host", "127.0.0.1"}, {"Port", modality.port},
                                     {"UseDicomTls", modality.tls}};
    nlohmann::json config = {
        {"Name", "lightbox-test"},
        {"StorageDirectory", (m_folder / "storage").string()},
        {"IndexDirectory", (m_folder / "index").string()},
        {"HttpPort", m_httpPort},
        {"DicomPort", m_dicomPort},
        {"DicomAet", kAeTitle},
        {"RemoteAccessAllowed", false},
        {"AuthenticationEnabled", false},
        {"Plugins", nlohmann::json::array()},
        {"DicomCheckCalledAet", true},
        {"DicomAlwaysAllowEcho", false},
        {"DicomAlwaysAllowStore", false},
        {"DicomModalities", modalities},
        {"StorageCompression", false},
        {"DicomScuTimeout", 10},
        {"DicomAssociationCloseDelay", 0},
    };
    if (m_tls) {
        config["DicomTlsEnabled"] = true;
        config["DicomTlsCertificate"] = m_tls->certificate.string();
        config["DicomTlsPrivateKey"] = m_tls->privateKey.string();
        config["DicomTlsTrustedCertificates"] = m_tls->trusted.string();
        config["DicomTlsRemoteCertificateRequired"] = true;
    }
    std::ofstream(m_folder / "orthanc.json") << config.dump(2);
}

void OrthancServer::start()
{
    if (m_process) return;
    m_dicomPort = freeTcpPort();
    m_httpPort = freeTcpPort();
    writeConfig();
    m_process = std::make_unique<ChildProcess>(std::vector<std::string>{"Orthanc", (m_folder / "orthanc.json").string()},
                                               m_folder / "orthanc.log",
                                               std::map<std::string, std::string>{{"TCP_NODELAY", "1"}});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        if (runCommand("curl -sf -o /dev/null http://127.0.0.1:" + std::to_string(m_httpPort) + "/system").exitCode == 0)
            return;
        if (!m_process->running()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "Orthanc did not start:\n" << m_process->output();
}

void OrthancServer::stop()
{
    if (!m_process) return;
    m_process->signal(SIGTERM);
    if (!m_process->waitExit(std::chrono::seconds(10))) m_process->signal(SIGKILL);
    m_process->waitExit(std::chrono::seconds(5));
    m_process.reset();
}

void OrthancServer::killHard()
{
    if (!m_process) return;
    m_process->signal(SIGKILL);
    m_process->waitExit(std::chrono::seconds(5));
    m_process.reset();
}

nlohmann::json OrthancServer::get(const std::string& path) const
{
    const auto result = runCommand("curl -sf http://127.0.0.1:" + std::to_string(m_httpPort) + path);
    EXPECT_EQ(result.exitCode, 0) << "GET " << path;
    try {
        return nlohmann::json::parse(result.out);
    } catch (const std::exception&) {
        ADD_FAILURE() << "GET " << path << " is not JSON: " << result.out;
        return {};
    }
}

std::string OrthancServer::fileOf(const std::string& sopInstanceUid) const
{
    const auto found = runCommand("curl -sf -X POST -d " + shellQuote(sopInstanceUid) + " http://127.0.0.1:" +
                                  std::to_string(m_httpPort) + "/tools/lookup");
    const auto matches = nlohmann::json::parse(found.out.empty() ? "[]" : found.out);
    for (const auto& match : matches) {
        if (match.value("Type", "") != "Instance") continue;
        const auto file = runCommand("curl -sf http://127.0.0.1:" + std::to_string(m_httpPort) + "/instances/" +
                                     match.value("ID", "") + "/file");
        return file.out;
    }
    return {};
}

int OrthancServer::instanceCount() const
{
    return get("/statistics").value("CountInstances", -1);
}

void OrthancServer::storeWithStorescu(const std::vector<std::filesystem::path>& files, const std::string& callingAe) const
{
    std::string command = "TCP_NODELAY=1 storescu -R -aet " + callingAe + " -aec " + kAeTitle + " 127.0.0.1 " +
                          std::to_string(m_dicomPort);
    for (const auto& file : files) command += " " + shellQuote(file.string());
    const auto result = runCommand(command + " 2>&1");
    ASSERT_EQ(result.exitCode, 0) << command << "\n" << result.out;
}

std::string datasetBytes(const std::string& part10)
{
    if (part10.size() < 132 || part10.compare(128, 4, "DICM") != 0) return {};
    size_t position = 132;
    while (position + 8 <= part10.size()) {
        uint16_t group = 0;
        std::memcpy(&group, part10.data() + position, 2);
        if (group != 0x0002) break;
        const std::string vr = part10.substr(position + 4, 2);
        if (vr == "OB" || vr == "OW" || vr == "UN" || vr == "SQ" || vr == "UT" || vr == "UC" || vr == "UR") {
            uint32_t length = 0;
            std::memcpy(&length, part10.data() + position + 8, 4);
            position += 12 + length;
        } else {
            uint16_t length = 0;
            std::memcpy(&length, part10.data() + position + 6, 2);
            position += 8 + length;
        }
    }
    return position <= part10.size() ? part10.substr(position) : std::string();
}

std::vector<std::filesystem::path> dicomFilesUnder(const std::filesystem::path& dir)
{
    std::vector<std::filesystem::path> files;
    for (const auto& file : filesUnder(dir)) {
        std::ifstream in(file, std::ios::binary);
        char header[132] = {};
        if (!in.read(header, sizeof header) || std::memcmp(header + 128, "DICM", 4) != 0) continue;
        // Media Storage Directory objects (DICOMDIR, Philips' DIRFILE) are not instances.
        char meta[512] = {};
        in.read(meta, sizeof meta);
        if (std::string(meta, static_cast<size_t>(in.gcount())).find("1.2.840.10008.1.3.10") != std::string::npos) continue;
        files.push_back(file);
    }
    return files;
}

} // namespace lb::test
