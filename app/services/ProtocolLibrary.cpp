#include "app/services/ProtocolLibrary.h"

#include "app/services/UserConfig.h"

#include <algorithm>
#include <cctype>
#include <fstream>

namespace lb::app {
extern const char* const kHangingProtocolsJson; // resources/reading/hanging_protocols.json, embedded

namespace {

std::string fileNameFor(const std::string& name)
{
    std::string file;
    for (char c : name) file += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    return file + ".json";
}

} // namespace

std::vector<HangingProtocol> ProtocolLibrary::shipped()
{
    auto protocols = protocolsFromJson(kHangingProtocolsJson, "shipped");
    return protocols ? *protocols : std::vector<HangingProtocol>{}; // the shipped file is tested (tests/app)
}

std::filesystem::path ProtocolLibrary::userFolder()
{
    return userConfigFolder() / "protocols";
}

core::Result<ProtocolLibrary> ProtocolLibrary::load()
{
    ProtocolLibrary library(shipped());
    const auto folder = userFolder();
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec)) return library;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        auto text = readTextFile(file);
        if (!text) return text.error();
        auto protocols = protocolsFromJson(*text, file.string());
        if (!protocols) return protocols.error();
        for (const auto& protocol : *protocols) library.put(protocol);
    }
    return library;
}

void ProtocolLibrary::put(const HangingProtocol& protocol)
{
    auto same = std::find_if(m_protocols.begin(), m_protocols.end(), [&](const HangingProtocol& p) { return p.name == protocol.name; });
    if (same != m_protocols.end()) *same = protocol;
    else m_protocols.push_back(protocol);
}

core::Result<std::filesystem::path> ProtocolLibrary::save(const HangingProtocol& protocol)
{
    const auto folder = userFolder();
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) return core::makeError(core::ErrorCode::Io, folder.string(), ec.message());
    const auto file = folder / fileNameFor(protocol.name);
    const auto temporary = file.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << protocolToJson(protocol);
        if (!out.flush()) return core::makeError(core::ErrorCode::Io, temporary, "cannot write");
    }
    std::filesystem::rename(temporary, file, ec); // whole or not at all
    if (ec) return core::makeError(core::ErrorCode::Io, file.string(), ec.message());
    HangingProtocol saved = protocol;
    saved.source = file.string();
    put(saved);
    return file;
}

} // namespace lb::app
