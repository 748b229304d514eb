// lightbox-cli hang: each shipped hanging protocol applied to a study it is for (small studies
// made from real series, radiographs and mammograms written with pydicom), the generic
// fallback, steps, and the user's own protocols.
#include "tests/integration/ReadingTestSupport.h"

#include <gtest/gtest.h>

namespace lb::test {
namespace {

class HangTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        s_temp = new TempDir();
        s_studies = new ReadingStudies(s_temp->path() / "studies");
        s_cache = s_temp->path() / "cache";
        // studies.json is rejected (not DICOM), every study imported.
        ASSERT_EQ(cli(s_cache, "import " + shellQuote(s_studies->folder().string())).exitCode, 0);
    }
    static void TearDownTestSuite()
    {
        delete s_studies;
        delete s_temp;
    }
    nlohmann::json hang(const std::string& arguments, int expectedExit = 0)
    {
        return readingJson(s_cache, m_config.path(), "hang " + arguments, expectedExit);
    }
    std::string study(const std::string& key) const { return s_studies->studyUid(key); }
    std::string series(const std::string& studyKey, const std::string& seriesKey) const
    {
        return s_studies->seriesUid(studyKey, seriesKey);
    }
    static void expectViewport(const nlohmann::json& viewport, const std::string& studyUid, const std::string& seriesUid,
                               const std::string& view, const nlohmann::json& preset)
    {
        EXPECT_EQ(viewport.value("study_uid", ""), studyUid) << viewport.dump();
        EXPECT_EQ(viewport.value("series_uid", ""), seriesUid) << viewport.dump();
        EXPECT_EQ(viewport.value("view", ""), view) << viewport.dump();
        EXPECT_EQ(viewport["preset"], preset) << viewport.dump();
    }

    TempDir m_config; // the test's own XDG_CONFIG_HOME
    static TempDir* s_temp;
    static ReadingStudies* s_studies;
    static std::filesystem::path s_cache;
};
TempDir* HangTest::s_temp = nullptr;
ReadingStudies* HangTest::s_studies = nullptr;
std::filesystem::path HangTest::s_cache;

TEST_F(HangTest, CtHeadBrainAndBoneThenMprThenPrior)
{
    const auto hung = hang(study("ct_head_current") + " --prior auto");
    EXPECT_EQ(hung.value("protocol", ""), "CT head");
    EXPECT_EQ(hung.value("step", 0), 1);
    EXPECT_EQ(hung.value("steps", 0), 3);
    EXPECT_EQ(hung.value("layout", ""), "1x2");
    ASSERT_EQ(hung["viewports"].size(), 2u);
    const std::string axial = series("ct_head_current", "ct_head_current_axial"); // never the surview
    expectViewport(hung["viewports"][0], study("ct_head_current"), axial, "axial", "brain");
    expectViewport(hung["viewports"][1], study("ct_head_current"), axial, "axial", "bone");

    const auto mpr = hang(study("ct_head_current") + " --prior auto --step 2");
    EXPECT_EQ(mpr.value("layout", ""), "mpr");
    ASSERT_EQ(mpr["viewports"].size(), 4u);
    const char* views[] = {"axial", "coronal", "sagittal", "3d"};
    for (int i = 0; i < 4; ++i) expectViewport(mpr["viewports"][i], study("ct_head_current"), axial, views[i], "brain");

    const auto prior = hang(study("ct_head_current") + " --prior auto --step 3");
    expectViewport(prior["viewports"][1], study("ct_head_prior"), series("ct_head_prior", "ct_head_prior_axial"), "axial", "brain");
    EXPECT_EQ(prior["sync"], nlohmann::json::parse("[[0,1]]"));
    EXPECT_EQ(readingCli(s_cache, m_config.path(), "hang " + study("ct_head_current") + " --step 4").exitCode, 2);
}

TEST_F(HangTest, CtChestSoftTissueAndLungAxialAndCoronal)
{
    const auto hung = hang(study("ct_chest_old"));
    EXPECT_EQ(hung.value("protocol", ""), "CT chest");
    EXPECT_EQ(hung.value("layout", ""), "2x2");
    ASSERT_EQ(hung["viewports"].size(), 4u);
    const std::string soft = series("ct_chest_old", "ct_chest_soft"), lung = series("ct_chest_old", "ct_chest_lung");
    expectViewport(hung["viewports"][0], study("ct_chest_old"), soft, "axial", "mediastinum");
    expectViewport(hung["viewports"][1], study("ct_chest_old"), lung, "axial", "lung");
    expectViewport(hung["viewports"][2], study("ct_chest_old"), soft, "coronal", "mediastinum");
    expectViewport(hung["viewports"][3], study("ct_chest_old"), lung, "coronal", "lung");
}

TEST_F(HangTest, CtAbdomenBesideItsPrior)
{
    const auto hung = hang(study("ct_abdomen_current") + " --prior auto");
    EXPECT_EQ(hung.value("protocol", ""), "CT abdomen with prior");
    EXPECT_EQ(hung.value("layout", ""), "1x2");
    expectViewport(hung["viewports"][0], study("ct_abdomen_current"), series("ct_abdomen_current", "ct_abdomen_current_axial"),
                   "axial", "abdomen");
    expectViewport(hung["viewports"][1], study("ct_abdomen_prior"), series("ct_abdomen_prior", "ct_abdomen_prior_axial"),
                   "axial", "abdomen");
    EXPECT_EQ(hung["priors"], nlohmann::json::array({study("ct_abdomen_prior")}));
    // Without its prior the abdomen protocol does not apply: the generic one shows the study.
    const auto alone = hang(study("ct_abdomen_current"));
    EXPECT_EQ(alone.value("protocol", ""), "generic");
    EXPECT_EQ(alone.value("layout", ""), "1x1");
}

TEST_F(HangTest, MrBrainByDescriptionPatterns)
{
    const auto hung = hang(study("mr_brain"));
    EXPECT_EQ(hung.value("protocol", ""), "MR brain");
    ASSERT_EQ(hung["viewports"].size(), 4u);
    const nlohmann::json none;
    expectViewport(hung["viewports"][0], study("mr_brain"), series("mr_brain", "mr_brain_t1"), "axial", none);
    expectViewport(hung["viewports"][1], study("mr_brain"), series("mr_brain", "mr_brain_t2"), "axial", none);
    expectViewport(hung["viewports"][2], study("mr_brain"), series("mr_brain", "mr_brain_flair"), "axial", none);
    expectViewport(hung["viewports"][3], study("mr_brain"), series("mr_brain", "mr_brain_dwi"), "axial", none); // not the ADC
}

TEST_F(HangTest, ChestRadiographsCurrentBesidePrior)
{
    const auto frontal = hang(study("cr_chest_current") + " --prior auto");
    EXPECT_EQ(frontal.value("protocol", ""), "Chest radiograph with prior");
    const nlohmann::json none;
    expectViewport(frontal["viewports"][0], study("cr_chest_current"), series("cr_chest_current", "cr_chest_current_pa"), "image", none);
    expectViewport(frontal["viewports"][1], study("cr_chest_prior"), series("cr_chest_prior", "cr_chest_prior_pa"), "image", none);
    const auto lateral = hang(study("cr_chest_current") + " --prior auto --step 2");
    expectViewport(lateral["viewports"][0], study("cr_chest_current"), series("cr_chest_current", "cr_chest_current_lat"), "image", none);
    expectViewport(lateral["viewports"][1], study("cr_chest_prior"), series("cr_chest_prior", "cr_chest_prior_lat"), "image", none);
}

TEST_F(HangTest, MammographyCurrentOverPriorBackToBack)
{
    const auto hung = hang(study("mg_current") + " --prior " + study("mg_prior"));
    EXPECT_EQ(hung.value("protocol", ""), "Mammography");
    EXPECT_EQ(hung.value("layout", ""), "2x4");
    ASSERT_EQ(hung["viewports"].size(), 8u);
    const char* views[] = {"rcc", "lcc", "rmlo", "lmlo"};
    for (int row = 0; row < 2; ++row) {
        const std::string key = row == 0 ? "mg_current" : "mg_prior";
        for (int column = 0; column < 4; ++column) {
            const auto& viewport = hung["viewports"][row * 4 + column];
            EXPECT_EQ(viewport.value("index", -1), row * 4 + column);
            expectViewport(viewport, study(key), series(key, key + "_" + views[column]), "image", nlohmann::json());
            EXPECT_EQ(viewport.value("mirror", false), column % 2 == 0) << "right breast views mirrored, chest walls meet";
        }
    }
}

std::string studyUidOfFile(const std::filesystem::path& file)
{
    const auto read = runPython("import pydicom, sys; print(pydicom.dcmread(sys.argv[1], stop_before_pixels=True).StudyInstanceUID)",
                                {file.string()});
    std::string uid = read.out;
    while (!uid.empty() && (uid.back() == '\n' || uid.back() == ' ')) uid.pop_back();
    return uid;
}

TEST_F(HangTest, TheRealHeadPhantomHangsAsCtHeadWithoutItsSurview)
{
    const auto phantom = testData() / "ct_philips_ingenuity_phantom";
    ASSERT_EQ(cli(s_cache, "import " + shellQuote(phantom.string())).exitCode, 0);
    const std::string uid = studyUidOfFile(phantom / "S2010_axial_5mm/I10");
    const auto hung = hang(uid);
    EXPECT_EQ(hung.value("protocol", ""), "CT head"); // BodyPartExamined BRAIN, "STD BRAIN 5MM"
    const auto axial = cliJson(s_cache, "volume " + shellQuote((phantom / "S2010_axial_5mm").string()));
    for (const auto& viewport : hung["viewports"]) {
        EXPECT_EQ(viewport.value("study_uid", ""), uid);
        EXPECT_EQ(viewport.value("view", ""), "axial");
        EXPECT_EQ(viewport.value("series_uid", ""), axial[0].value("series_uid", "?")) << "the axial series, not the localizer";
    }
}

TEST_F(HangTest, GenericShowsTheMainSeriesBesideTheSameKindOfThePrior)
{
    // A real fMRI study: the MR brain protocol is for it (BodyPartExamined BRAIN) but finds no
    // T1, T2, FLAIR or DWI in it, so the generic protocol hangs its main series beside the same
    // kind of series of the prior given, linked.
    const auto epi = testData() / "mr_ge_discovery_epi_4d";
    ASSERT_EQ(cli(s_cache, "import " + shellQuote(epi.string())).exitCode, 0);
    const std::string uid = studyUidOfFile(epi / "axial_epi_fmri_interleaved_i_to_s-00001.dcm");
    const auto hung = hang(uid + " --prior " + study("mr_brain"));
    EXPECT_EQ(hung.value("protocol", ""), "generic");
    EXPECT_EQ(hung.value("layout", ""), "1x2");
    EXPECT_EQ(hung.value("steps", 0), 1);
    ASSERT_EQ(hung["viewports"].size(), 2u);
    EXPECT_EQ(hung["viewports"][0].value("study_uid", ""), uid);
    EXPECT_EQ(hung["viewports"][0].value("view", ""), "axial");
    EXPECT_FALSE(hung["viewports"][0].value("series_uid", "").empty());
    const auto& prior = hung["viewports"][1];
    EXPECT_EQ(prior.value("study_uid", ""), study("mr_brain"));
    EXPECT_EQ(prior.value("view", ""), "axial");
    // The same kind: an axial EPI-like series of 3 mm, not the 1.2 mm 3D T1.
    EXPECT_NE(prior.value("series_uid", ""), series("mr_brain", "mr_brain_t1"));
    EXPECT_FALSE(prior.value("series_uid", "").empty());
    EXPECT_EQ(hung["sync"], nlohmann::json::parse("[[0,1]]"));
    // Alone it is the main series only.
    const auto alone = hang(uid);
    EXPECT_EQ(alone.value("protocol", ""), "generic");
    EXPECT_EQ(alone.value("layout", ""), "1x1");
}

TEST_F(HangTest, UserProtocolsReplaceShippedOnesAndBrokenOnesAreNamed)
{
    const auto folder = m_config.path() / "lightbox/protocols";
    std::filesystem::create_directories(folder);
    writeFileBytes(folder / "ct_head.json", R"({"name": "CT head", "priority": 10,
        "match": {"modality": "CT", "body_part": ["HEAD"]},
        "steps": [{"layout": "1x1", "viewports": [{"view": "coronal", "preset": "subdural", "series": {"min_images": 5}}]}]})");
    const auto hung = hang(study("ct_head_current"));
    EXPECT_EQ(hung.value("steps", 0), 1);
    EXPECT_EQ(hung.value("layout", ""), "1x1");
    expectViewport(hung["viewports"][0], study("ct_head_current"), series("ct_head_current", "ct_head_current_axial"), "coronal",
                   "subdural");

    writeFileBytes(folder / "broken.json", R"({"name": "x", "steps": [{"layout": "9x9", "viewports": [{}]}]})");
    const auto broken = runCommand("XDG_CONFIG_HOME=" + shellQuote(m_config.path().string()) + " " + LB_CLI + " --cache "
                                   + shellQuote(s_cache.string()) + " hang " + study("ct_head_current") + " 2>&1");
    EXPECT_NE(broken.exitCode, 0);
    EXPECT_NE(broken.out.find("broken.json"), std::string::npos) << broken.out;
    EXPECT_NE(broken.out.find("9x9"), std::string::npos) << broken.out;
}

} // namespace
} // namespace lb::test
