#pragma once
// The hanging protocols a workstation knows: the shipped ones (resources/reading/
// hanging_protocols.json) and the user's own, one JSON file each in
// $XDG_CONFIG_HOME/lightbox/protocols/ (a user protocol replaces a shipped one of the same name).
#include "app/services/HangingProtocol.h"

#include <filesystem>
#include <vector>

namespace lb::app {

class ProtocolLibrary {
public:
    static std::vector<HangingProtocol> shipped();
    // Shipped + the user's. A user file that does not parse is an error naming it: a protocol
    // the user wrote never silently disappears.
    static core::Result<ProtocolLibrary> load();
    static std::filesystem::path userFolder();

    const std::vector<HangingProtocol>& protocols() const { return m_protocols; }
    // Writes the protocol to the user's folder (a file named after it) and adds it here.
    core::Result<std::filesystem::path> save(const HangingProtocol& protocol);

    explicit ProtocolLibrary(std::vector<HangingProtocol> protocols) : m_protocols(std::move(protocols)) {}

private:
    std::vector<HangingProtocol> m_protocols;
    void put(const HangingProtocol& protocol);
};

} // namespace lb::app
