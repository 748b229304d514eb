#pragma once
// The command line of lightbox-cli: global options, one command, its arguments and flags.
// Flags are "--name value" or "--name=value"; boolean flags take no value.
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace lb::app::cli {

struct CliOptions {
    std::filesystem::path cacheDir; // resolved: --cache, $LIGHTBOX_CACHE, $XDG_DATA_HOME/lightbox
    bool json = false;
    std::string command;
    std::vector<std::string> arguments;          // positional, after the command
    std::map<std::string, std::vector<std::string>> values; // --flag value (repeatable)
    std::set<std::string> switches;              // --flag

    std::optional<std::string> value(const std::string& flag) const; // the last one given
    std::vector<std::string> all(const std::string& flag) const;
    bool has(const std::string& flag) const { return switches.count(flag) > 0; }
};

// `valueFlags` lists the flags that take a value (for every command); anything else starting
// with "--" is a switch. Returns an error text for an unknown or malformed flag.
std::optional<std::string> parseCliOptions(int argc, char** argv, CliOptions& out);

// A whole decimal integer, or nothing.
std::optional<int> parseInteger(const std::string& text);

} // namespace lb::app::cli
