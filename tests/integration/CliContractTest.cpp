// lightbox-cli's commands, JSON keys and exit codes are a contract (docs/cli.md): these tests
// run the real binary on real data and hold it to that contract.
#include "tests/integration/CliTestSupport.h"

#include <gtest/gtest.h>

namespace lb::test {
namespace {

class CliContract : public ::testing::Test {
protected:
    void SetUp() override
    {
        const auto report = cliJson(m_cache, "import " + shellQuote((testData() / "ct_philips_ingenuity_phantom").string())
                                                 + " " + shellQuote(pydicomCharsetFiles().string()));
        // chrFren/chrFrenMulti and chrX1/chrX2 share SOP Instance UIDs with different bytes:
        // the first of each pair is kept, the second is a conflict.
        ASSERT_EQ(report["imported"].get<int>(), 29 + 13) << report.dump(2);
        ASSERT_EQ(report["conflicts"].size(), 2u);
        for (const char* key : {"files_seen", "imported", "already_present", "bytes_imported", "rejected", "conflicts", "warnings"})
            EXPECT_TRUE(report.contains(key)) << key;
        // The two DIRFILEs, two oracle.json, FileInfo.txt, and the two charset files that
        // have no StudyInstanceUID.
        ASSERT_EQ(report["rejected"].size(), 7u) << report.dump(2);
        for (const auto& rejected : report["rejected"]) {
            EXPECT_FALSE(rejected["file"].get<std::string>().empty());
            EXPECT_FALSE(rejected["reason"].get<std::string>().empty());
        }
    }

    std::string ctStudyUid()
    {
        const auto studies = cliJson(m_cache, "studies --modality CT");
        EXPECT_EQ(studies.size(), 1u);
        return studies.empty() ? "" : studies[0]["study_uid"].get<std::string>();
    }

    TempDir m_dir;
    std::filesystem::path m_cache = m_dir / "cache";
};

TEST_F(CliContract, StudiesListsEveryMatchWithTheDocumentedKeys)
{
    const auto studies = cliJson(m_cache, "studies");
    EXPECT_GE(studies.size(), 10u);
    for (const auto& study : studies)
        for (const char* key : {"study_uid", "patient_name", "patient_id", "patient_birth_date", "patient_sex", "study_date",
                                "study_time", "description", "accession_number", "referring_physician", "modalities",
                                "num_series", "num_instances"})
            EXPECT_TRUE(study.contains(key)) << key;
    EXPECT_EQ(cliJson(m_cache, "studies --limit 3").size(), 3u);
    EXPECT_EQ(cliJson(m_cache, "studies --name 'müller' ").size(), 0u);
    const auto french = cliJson(m_cache, "studies --name JEROME");
    ASSERT_EQ(french.size(), 1u);
    EXPECT_EQ(french[0]["patient_name"], "Buc^Jérôme");
    EXPECT_EQ(cliJson(m_cache, "studies --date 20150206").size(), 1u);
    EXPECT_EQ(cliJson(m_cache, "studies --from 2015-02-06 --to 2015-02-06").size(), 1u);
    EXPECT_EQ(cliJson(m_cache, "studies --id PLASTIC")[0]["num_instances"], 29);
}

TEST_F(CliContract, SeriesInstancesAndTagsWalkDownTheHierarchy)
{
    const auto series = cliJson(m_cache, "series " + ctStudyUid());
    ASSERT_EQ(series.size(), 2u);
    const auto axial = series[0]["num_instances"] == 28 ? series[0] : series[1];
    EXPECT_EQ(axial["modality"], "CT");
    EXPECT_EQ(axial["series_number"], 201);
    const auto instances = cliJson(m_cache, "instances " + axial["series_uid"].get<std::string>());
    ASSERT_EQ(instances.size(), 28u);
    for (const char* key : {"sop_instance_uid", "sop_class_uid", "instance_number", "transfer_syntax_uid", "rows", "columns",
                            "frames", "file", "file_size"})
        EXPECT_TRUE(instances[0].contains(key)) << key;
    EXPECT_TRUE(std::filesystem::exists(instances[0]["file"].get<std::string>()));

    const auto tags = cliJson(m_cache, "tags " + instances[0]["sop_instance_uid"].get<std::string>());
    bool sawPatientId = false;
    for (const auto& tag : tags)
        if (tag["tag"] == "0010,0020") {
            sawPatientId = true;
            EXPECT_EQ(tag["keyword"], "PatientID");
            EXPECT_EQ(tag["value"], "PLASTIC");
        }
    EXPECT_TRUE(sawPatientId);
    const auto byFile = cliJson(m_cache, "tags " + shellQuote((pydicomCharsetFiles() / "chrH31.dcm").string()));
    EXPECT_FALSE(byFile.empty());
}

TEST_F(CliContract, ExitCodesSayWhatHappened)
{
    EXPECT_EQ(cli(m_cache, "frobnicate").exitCode, 2);
    EXPECT_EQ(cli(m_cache, "studies --limit lots").exitCode, 2);
    EXPECT_EQ(cli(m_cache, "series 1.2.3.4.5").exitCode, 5);
    EXPECT_EQ(cli(m_cache, "delete 1.2.3.4.5").exitCode, 5);
    EXPECT_EQ(cli(m_cache, "tags 1.2.3.4.5").exitCode, 5);
    // Nothing imported (only rejected files): a distinct code, with the report still printed.
    const auto nothing = cliJson(m_cache, "import " + shellQuote((testData() / "README.md").string()), 3);
    EXPECT_EQ(nothing["rejected"].size(), 1u);
    // Some rejected, some imported: success.
    EXPECT_EQ(cli(m_cache, "import " + shellQuote((testData() / "mr_siemens_skyra_epi_mosaic").string())).exitCode, 0);
}

TEST_F(CliContract, DeleteCheckAndRebuild)
{
    EXPECT_TRUE(cliJson(m_cache, "check")["consistent"].get<bool>());
    const auto deleted = cliJson(m_cache, "delete " + ctStudyUid());
    EXPECT_EQ(deleted["deleted_instances"], 29);
    EXPECT_EQ(cliJson(m_cache, "studies --modality CT").size(), 0u);

    std::filesystem::remove(m_cache / "index.sqlite");
    std::filesystem::remove(m_cache / "index.sqlite-wal");
    std::filesystem::remove(m_cache / "index.sqlite-shm");
    const auto rebuilt = cliJson(m_cache, "rebuild");
    EXPECT_EQ(rebuilt["indexed"], 13);
    const auto check = cliJson(m_cache, "check");
    EXPECT_TRUE(check["consistent"].get<bool>());
    EXPECT_EQ(check["instances"], 13);

    // Damage: a stored file disappears. check says so, with a non-zero exit.
    const auto any = cliJson(m_cache, "studies")[0]["study_uid"].get<std::string>();
    const auto series = cliJson(m_cache, "series " + any)[0]["series_uid"].get<std::string>();
    std::filesystem::remove(cliJson(m_cache, "instances " + series)[0]["file"].get<std::string>());
    const auto broken = cliJson(m_cache, "check", 4);
    EXPECT_FALSE(broken["consistent"].get<bool>());
    EXPECT_EQ(broken["missing_files"].size(), 1u);
}

TEST(CliDefaults, CacheComesFromLightboxCacheOrXdgDataHome)
{
    TempDir dir;
    const std::string cli = LB_CLI;
    const auto viaEnv = runCommand("LIGHTBOX_CACHE=" + shellQuote((dir / "a").string()) + " " + cli + " --json import "
                                   + shellQuote((pydicomTestFiles() / "CT_small.dcm").string()));
    EXPECT_EQ(viaEnv.exitCode, 0);
    EXPECT_TRUE(std::filesystem::exists(dir / "a" / "index.sqlite"));
    const auto viaXdg = runCommand("env -u LIGHTBOX_CACHE XDG_DATA_HOME=" + shellQuote((dir / "xdg").string()) + " " + cli
                                   + " --json import " + shellQuote((pydicomTestFiles() / "CT_small.dcm").string()));
    EXPECT_EQ(viaXdg.exitCode, 0);
    EXPECT_TRUE(std::filesystem::exists(dir / "xdg" / "lightbox" / "index.sqlite"));
}

} // namespace
} // namespace lb::test
