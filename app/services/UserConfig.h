#pragma once
// The user's own Lightbox configuration files ($XDG_CONFIG_HOME/lightbox, else the platform's
// config folder + /lightbox): prior rules, hanging protocols.
#include "core/Result.h"

#include <filesystem>
#include <string>

namespace lb::app {

std::filesystem::path userConfigFolder();
// A whole text file; Io naming it when it cannot be read.
core::Result<std::string> readTextFile(const std::filesystem::path& file);

} // namespace lb::app
