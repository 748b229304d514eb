#include "tests/integration/ReadingTestSupport.h"

#include <gtest/gtest.h>

namespace lb::test {

ReadingStudies::ReadingStudies(const std::filesystem::path& folder) : m_folder(folder)
{
    const auto made = runPythonFile(sourceDir() / "tests/data/derived/make_reading_studies.py", {folder.string()});
    EXPECT_EQ(made.exitCode, 0) << "make_reading_studies.py failed";
    m_manifest = readJson(folder / "studies.json");
}

std::string ReadingStudies::studyUid(const std::string& key) const
{
    return m_manifest.at(key).at("study_uid").get<std::string>();
}

std::string ReadingStudies::seriesUid(const std::string& study, const std::string& series) const
{
    return m_manifest.at(study).at("series").at(series).at("series_uid").get<std::string>();
}

CommandResult readingCli(const std::filesystem::path& cache, const std::filesystem::path& config, const std::string& arguments)
{
    return runCommand("XDG_CONFIG_HOME=" + shellQuote(config.string()) + " " + std::string(LB_CLI) + " --cache "
                      + shellQuote(cache.string()) + " " + arguments);
}

nlohmann::json readingJson(const std::filesystem::path& cache, const std::filesystem::path& config, const std::string& arguments,
                           int expectedExit)
{
    return jsonOutput(readingCli(cache, config, "--json " + arguments), arguments, expectedExit);
}

} // namespace lb::test
