#include "app/cli/CliOptions.h"

#include "app/services/Workstation.h"

#include <charconv>

namespace lb::app::cli {

namespace {
const std::set<std::string> kValueFlags = {"cache",  "name",        "id",        "patient-id", "date",  "from", "to",
                                           "modality", "description", "accession", "study-uid", "sort", "limit",
                                           "offset", "series", "probe", "ae", "host", "port", "method", "ca", "cert", "key",
                                           "connect-timeout", "timeout", "max-associations", "level",
                                           "patient-name", "study-date", "study", "priority", "max-running", "view", "slice", "position",
                                           "window", "level", "preset", "slab", "slab-mode", "rotate", "size",
                                           "output", "time", "stack", "distance", "angle", "roi", "limit-mb", "crop",
                                           "prior", "step", "fetch", "fixed-stack", "moving-stack"};
const std::set<std::string> kSwitches = {"json", "asc", "desc", "quick", "help", "version", "send", "tls", "all", "resampled", "remote"};
} // namespace

std::optional<int> parseInteger(const std::string& text)
{
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<std::string> CliOptions::value(const std::string& flag) const
{
    auto found = values.find(flag);
    if (found == values.end() || found->second.empty()) return std::nullopt;
    return found->second.back();
}

std::vector<std::string> CliOptions::all(const std::string& flag) const
{
    auto found = values.find(flag);
    return found == values.end() ? std::vector<std::string>{} : found->second;
}

std::optional<std::string> parseCliOptions(int argc, char** argv, CliOptions& out)
{
    bool onlyPositional = false;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (!onlyPositional && arg == "--") {
            onlyPositional = true;
            continue;
        }
        if (!onlyPositional && arg == "-o") arg = "--output"; // the one short flag: render -o OUT.png
        if (!onlyPositional && arg.rfind("--", 0) == 0 && arg.size() > 2) {
            std::string flag = arg.substr(2);
            std::optional<std::string> inlineValue;
            if (auto eq = flag.find('='); eq != std::string::npos) {
                inlineValue = flag.substr(eq + 1);
                flag = flag.substr(0, eq);
            }
            if (kValueFlags.count(flag)) {
                if (!inlineValue) {
                    if (i + 1 >= argc) return "--" + flag + " needs a value";
                    inlineValue = argv[++i];
                }
                out.values[flag].push_back(*inlineValue);
            } else if (kSwitches.count(flag)) {
                if (inlineValue) return "--" + flag + " takes no value";
                out.switches.insert(flag);
            } else {
                return "unknown option --" + flag;
            }
            continue;
        }
        if (out.command.empty() && !onlyPositional) out.command = arg;
        else out.arguments.push_back(arg);
    }
    out.json = out.has("json");
    if (auto cache = out.value("cache")) out.cacheDir = *cache;
    else out.cacheDir = Workstation::defaultCacheRoot();
    return std::nullopt;
}

} // namespace lb::app::cli
