#pragma once
#include "tests/support/TestSupport.h"

#include <sys/types.h>

namespace lb::test {

// Runs lightbox-cli with `arguments` (already quoted) on the cache `cache`.
CommandResult cli(const std::filesystem::path& cache, const std::string& arguments);
nlohmann::json cliJson(const std::filesystem::path& cache, const std::string& arguments, int expectedExit = 0);
// The JSON a command printed, after checking its exit code (`what` names it in failures).
nlohmann::json jsonOutput(const CommandResult& result, const std::string& what, int expectedExit = 0);

// Starts lightbox-cli in the background (stdout/stderr to /dev/null); returns its pid.
pid_t spawnCli(const std::filesystem::path& cache, const std::vector<std::string>& arguments);
int waitFor(pid_t pid); // exit code, or 128 + signal

// COUNT distinct small CT files (`perSeries` per series, 1 series per study) under `dir`.
void makeManyInstances(const std::filesystem::path& dir, int count, int perSeries = 5);

// lightbox-cli with stdout and stderr together (for checking the reasons it gives).
CommandResult cliWithErrors(const std::filesystem::path& cache, const std::string& arguments);

} // namespace lb::test
