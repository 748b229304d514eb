// The workstation as a reader starts it: `lightbox --open STUDY --prior auto|UID [--step N]
// --state FILE --quit` under Xvfb hangs the study by its protocol beside its prior, and the
// session state says which protocol and step, which study each viewport shows and how it is
// linked (the state waits for the prior's registration). Screenshots go to test-output/reading.
#include "tests/integration/ReadingTestSupport.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

namespace lb::test {
namespace {

class ReadingRoomTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_studies = std::make_unique<ReadingStudies>(m_temp / "studies");
        m_cache = m_temp / "cache";
        ASSERT_EQ(cli(m_cache, "import " + shellQuote(m_studies->folder().string())).exitCode, 0);
        m_output = std::filesystem::path(LB_BINARY_DIR) / "test-output/reading";
        std::filesystem::create_directories(m_output);
    }
    // Runs the workstation; returns its exit code and (when it wrote one) the state.
    std::pair<int, nlohmann::json> open(const std::string& study, const std::string& flags, const std::string& name)
    {
        const auto state = m_temp / (name + ".json");
        std::filesystem::remove(state);
        const auto run = runCommand("XDG_CONFIG_HOME=" + shellQuote((m_temp / "config").string()) +
                                    " xvfb-run -a -s '-screen 0 1600x1000x24' " + std::string(LB_GUI) + " --cache " +
                                    shellQuote(m_cache.string()) + " --open " + study + " " + flags + " --state " +
                                    shellQuote(state.string()) + " --screenshot " + shellQuote((m_output / (name + ".png")).string()) +
                                    " --quit 2>&1");
        return {run.exitCode, std::filesystem::exists(state) ? readJson(state) : nlohmann::json()};
    }
    TempDir m_temp;
    std::unique_ptr<ReadingStudies> m_studies;
    std::filesystem::path m_cache, m_output;
};

TEST_F(ReadingRoomTest, AStudyOpensBesideItsRegisteredPrior)
{
    const std::string current = m_studies->studyUid("ct_abdomen_current");
    const std::string prior = m_studies->studyUid("ct_abdomen_prior");
    const auto [exit, state] = open(current, "--prior auto", "abdomen-with-prior");
    ASSERT_EQ(exit, 0);
    EXPECT_EQ(state.value("hanging_protocol", ""), "CT abdomen with prior");
    EXPECT_EQ(state.value("step", 0), 1);
    EXPECT_EQ(state.value("layout", ""), "1x2");
    ASSERT_EQ(state["viewports"].size(), 2u) << state.dump(1);
    const auto& left = state["viewports"][0];
    const auto& right = state["viewports"][1];
    EXPECT_EQ(left.value("study_uid", ""), current);
    EXPECT_EQ(left.value("series_uid", ""), m_studies->seriesUid("ct_abdomen_current", "ct_abdomen_current_axial"));
    EXPECT_EQ(left.value("link", ""), "frame-of-reference");
    EXPECT_EQ(right.value("study_uid", ""), prior);
    EXPECT_EQ(right.value("series_uid", ""), m_studies->seriesUid("ct_abdomen_prior", "ct_abdomen_prior_axial"));
    EXPECT_EQ(right.value("link", ""), "registered") << "another frame of reference: linked once registered";
    EXPECT_EQ(right["window"], left["window"]); // both in the abdomen preset

    // The registration is kept, private to the user, and used the next time.
    const auto kept = filesUnder(m_cache / "registrations");
    ASSERT_EQ(kept.size(), 1u);
    struct stat info {};
    ASSERT_EQ(::stat(kept[0].c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    const auto [again, second] = open(current, "--prior " + prior + " --step 2", "abdomen-with-prior-step-2");
    ASSERT_EQ(again, 0);
    EXPECT_EQ(second.value("step", 0), 2);
    EXPECT_EQ(second.value("layout", ""), "2x2");
    ASSERT_EQ(second["viewports"].size(), 4u);
    EXPECT_EQ(second["viewports"][1].value("view", ""), "coronal"); // a reformat of the axial series
    EXPECT_EQ(second["viewports"][3].value("view", ""), "coronal");
    EXPECT_EQ(second["viewports"][2].value("study_uid", ""), prior);
    EXPECT_EQ(second["viewports"][2].value("link", ""), "registered");
    EXPECT_EQ(filesUnder(m_cache / "registrations").size(), 1u);
}

TEST_F(ReadingRoomTest, MammogramsHangCurrentOverPriorAndRadiographsByStep)
{
    const auto [exit, state] = open(m_studies->studyUid("mg_current"), "--prior auto", "mammography");
    ASSERT_EQ(exit, 0);
    EXPECT_EQ(state.value("hanging_protocol", ""), "Mammography");
    EXPECT_EQ(state.value("layout", ""), "2x4");
    ASSERT_EQ(state["viewports"].size(), 8u);
    const char* views[] = {"rcc", "lcc", "rmlo", "lmlo"};
    for (int i = 0; i < 8; ++i) {
        const std::string study = i < 4 ? "mg_current" : "mg_prior";
        const auto& viewport = state["viewports"][i];
        EXPECT_EQ(viewport.value("study_uid", ""), m_studies->studyUid(study)) << i;
        EXPECT_EQ(viewport.value("series_uid", ""), m_studies->seriesUid(study, study + "_" + views[i % 4])) << i;
        EXPECT_EQ(viewport.value("view", ""), "image");
        EXPECT_TRUE(viewport["link"].is_null()); // single images: nothing to scroll
    }

    const auto [lateralExit, lateral] = open(m_studies->studyUid("cr_chest_current"), "--prior auto --step 2", "chest-lateral");
    ASSERT_EQ(lateralExit, 0);
    EXPECT_EQ(lateral.value("hanging_protocol", ""), "Chest radiograph with prior");
    EXPECT_EQ(lateral["viewports"][1].value("series_uid", ""), m_studies->seriesUid("cr_chest_prior", "cr_chest_prior_lat"));

    // A prior the cache does not hold: said, exit 5, no state.
    const auto [missing, none] = open(m_studies->studyUid("mg_current"), "--prior 1.2.3.4.5", "missing-prior");
    EXPECT_EQ(missing, 5);
    EXPECT_TRUE(none.is_null());
}

} // namespace
} // namespace lb::test
