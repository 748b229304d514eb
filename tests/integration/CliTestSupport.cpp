#include "tests/integration/CliTestSupport.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace lb::test {

CommandResult cli(const std::filesystem::path& cache, const std::string& arguments)
{
    return runCommand(std::string(LB_CLI) + " --cache " + shellQuote(cache.string()) + " " + arguments);
}

nlohmann::json jsonOutput(const CommandResult& result, const std::string& what, int expectedExit)
{
    EXPECT_EQ(result.exitCode, expectedExit) << what << "\n" << result.out;
    try {
        return nlohmann::json::parse(result.out);
    } catch (const std::exception& error) {
        ADD_FAILURE() << what << ": output is not JSON: " << error.what() << "\n" << result.out;
        return {};
    }
}

nlohmann::json cliJson(const std::filesystem::path& cache, const std::string& arguments, int expectedExit)
{
    return jsonOutput(cli(cache, "--json " + arguments), arguments, expectedExit);
}

pid_t spawnCli(const std::filesystem::path& cache, const std::vector<std::string>& arguments)
{
    std::vector<std::string> argv = {LB_CLI, "--cache", cache.string()};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int devNull = ::open("/dev/null", O_WRONLY);
        ::dup2(devNull, STDOUT_FILENO);
        ::dup2(devNull, STDERR_FILENO);
        std::vector<char*> raw;
        for (auto& a : argv) raw.push_back(a.data());
        raw.push_back(nullptr);
        ::execv(raw[0], raw.data());
        ::_exit(127);
    }
    return pid;
}

int waitFor(pid_t pid)
{
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

CommandResult cliWithErrors(const std::filesystem::path& cache, const std::string& arguments)
{
    return runCommand(std::string(LB_CLI) + " --cache " + shellQuote(cache.string()) + " " + arguments + " 2>&1");
}

void makeManyInstances(const std::filesystem::path& dir, int count, int perSeries)
{
    const auto result = runCommand(std::string(LB_SYSTEM_PYTHON) + " "
                                   + shellQuote((sourceDir() / "tests/support/make_many_instances.py").string()) + " "
                                   + shellQuote(dir.string()) + " " + std::to_string(count) + " " + std::to_string(perSeries));
    ASSERT_EQ(result.exitCode, 0);
    ASSERT_EQ(static_cast<int>(filesUnder(dir).size()), count);
}

} // namespace lb::test
