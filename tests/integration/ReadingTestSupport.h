#pragma once
// The reading workflow's tests share small studies written at test time from real series
// (tests/data/derived/make_reading_studies.py) and a CLI that sees only the test's own user
// configuration (XDG_CONFIG_HOME), never the developer's protocols or prior rules.
#include "tests/integration/CliTestSupport.h"

#include <nlohmann/json.hpp>

namespace lb::test {

class ReadingStudies {
public:
    explicit ReadingStudies(const std::filesystem::path& folder); // writes them (fails the test when it cannot)
    const std::filesystem::path& folder() const { return m_folder; }
    std::filesystem::path study(const std::string& key) const { return m_folder / key; }
    std::string studyUid(const std::string& key) const;
    std::string seriesUid(const std::string& study, const std::string& series) const;

private:
    std::filesystem::path m_folder;
    nlohmann::json m_manifest;
};

// lightbox-cli --cache CACHE ARGUMENTS with XDG_CONFIG_HOME=CONFIG.
CommandResult readingCli(const std::filesystem::path& cache, const std::filesystem::path& config, const std::string& arguments);
nlohmann::json readingJson(const std::filesystem::path& cache, const std::filesystem::path& config, const std::string& arguments,
                           int expectedExit = 0);

} // namespace lb::test
