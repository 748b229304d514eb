#include "app/services/UserConfig.h"

#include <QStandardPaths>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace lb::app {

std::filesystem::path userConfigFolder()
{
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    const std::filesystem::path base =
        xdg && *xdg ? std::filesystem::path(xdg)
                    : std::filesystem::path(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation).toStdString());
    return base / "lightbox";
}

core::Result<std::string> readTextFile(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) return core::makeError(core::ErrorCode::Io, file.string(), "cannot read");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace lb::app
