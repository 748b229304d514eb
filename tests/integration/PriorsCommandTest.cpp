// lightbox-cli priors: the patient's other studies in the cache and on a real Orthanc, ranked by
// the shipped relevance rules, and the most relevant remote ones fetched through the queue.
#include "tests/integration/NetworkTestSupport.h"
#include "tests/integration/ReadingTestSupport.h"

namespace lb::test {
namespace {

const nlohmann::json* entryFor(const nlohmann::json& list, const std::string& studyUid)
{
    for (const auto& entry : list)
        if (entry.value("study_uid", "") == studyUid) return &entry;
    return nullptr;
}

class PriorsTest : public NetworkTest {
protected:
    void SetUp() override
    {
        NetworkTest::SetUp();
        m_studies = std::make_unique<ReadingStudies>(m_temp / "studies");
        m_config = m_temp / "config";
    }
    void importStudies(const std::vector<std::string>& keys)
    {
        std::string paths;
        for (const auto& key : keys) paths += " " + shellQuote(m_studies->study(key).string());
        ASSERT_EQ(cli(m_cache, "import" + paths).exitCode, 0);
    }
    std::unique_ptr<ReadingStudies> m_studies;
    std::filesystem::path m_config;
};

TEST_F(PriorsTest, SamePatientByIdAndIssuerRankedByTheShippedRules)
{
    importStudies({"ct_head_current", "ct_head_prior", "ct_chest_old", "ct_head_ancient", "mr_brain", "ct_head_other_person",
                   "ct_head_possible"});
    const auto list = readingJson(m_cache, m_config, "priors " + m_studies->studyUid("ct_head_current"));
    ASSERT_TRUE(list.is_array());
    ASSERT_EQ(list.size(), 5u) << list.dump(1); // every other study of Rita, none of Otto's
    EXPECT_EQ(entryFor(list, m_studies->studyUid("ct_head_other_person")), nullptr)
        << "the same PatientID from another issuer is another person";

    const auto& first = list[0];
    EXPECT_EQ(first.value("study_uid", ""), m_studies->studyUid("ct_head_prior"));
    EXPECT_EQ(first.value("study_date", ""), "20250315");
    EXPECT_EQ(first.value("modalities", nlohmann::json()), nlohmann::json::array({"CT"}));
    EXPECT_EQ(first.value("description", ""), "CT HEAD");
    EXPECT_EQ(first.value("where", ""), "local");
    EXPECT_EQ(first.value("match", ""), "id");
    EXPECT_TRUE(first.value("relevant", false));

    const auto* possible = entryFor(list, m_studies->studyUid("ct_head_possible"));
    ASSERT_NE(possible, nullptr);
    EXPECT_EQ(possible->value("match", ""), "name+birthdate");
    const auto* ancient = entryFor(list, m_studies->studyUid("ct_head_ancient"));
    ASSERT_NE(ancient, nullptr);
    EXPECT_FALSE(ancient->value("relevant", true));
    EXPECT_NE(ancient->value("reason", "").find("older than 10 years"), std::string::npos) << ancient->dump();
    const auto* mr = entryFor(list, m_studies->studyUid("mr_brain"));
    ASSERT_NE(mr, nullptr);
    EXPECT_FALSE(mr->value("relevant", true));
    EXPECT_NE(mr->value("reason", "").find("different modality"), std::string::npos) << mr->dump();
    const auto* chest = entryFor(list, m_studies->studyUid("ct_chest_old"));
    ASSERT_NE(chest, nullptr);
    EXPECT_FALSE(chest->value("relevant", true));
    EXPECT_NE(chest->value("reason", "").find("different region"), std::string::npos) << chest->dump();
    // Relevant ones first, matched by ID before the possible ones.
    bool seenIrrelevant = false;
    for (const auto& entry : list) {
        if (!entry.value("relevant", false)) seenIrrelevant = true;
        else EXPECT_FALSE(seenIrrelevant) << list.dump(1);
    }
    EXPECT_EQ(readingCli(m_cache, m_config, "priors 1.2.3.4.5").exitCode, 5);
}

TEST_F(PriorsTest, UserRulesReplaceTheShippedOnesAndABrokenFileIsNamed)
{
    importStudies({"ct_head_current", "mr_brain"});
    std::filesystem::create_directories(m_config / "lightbox");
    writeFileBytes(m_config / "lightbox/prior_rules.json",
                   R"({"same_modality": false, "max_age_years": 0, "regions": {"head": ["HEAD"]}})");
    const auto list = readingJson(m_cache, m_config, "priors " + m_studies->studyUid("ct_head_current"));
    ASSERT_EQ(list.size(), 1u);
    EXPECT_TRUE(list[0].value("relevant", false)) << list.dump(1); // an MR is now a relevant prior of a CT

    writeFileBytes(m_config / "lightbox/prior_rules.json", "{ not json");
    const auto broken = runCommand("XDG_CONFIG_HOME=" + shellQuote(m_config.string()) + " " + LB_CLI + " --cache "
                                   + shellQuote(m_cache.string()) + " priors " + m_studies->studyUid("ct_head_current")
                                   + " 2>&1");
    EXPECT_NE(broken.exitCode, 0);
    EXPECT_NE(broken.out.find("prior_rules.json"), std::string::npos) << broken.out;
}

TEST_F(PriorsTest, RemotePriorsOnOrthancAreListedAndTheMostRelevantFetched)
{
    startOrthanc();
    for (const char* key : {"ct_head_prior", "ct_chest_old", "ct_head_ancient", "ct_head_other_person"})
        m_orthanc->storeWithStorescu(dicomFilesUnder(m_studies->study(key)), "LIGHTBOX");
    importStudies({"ct_head_current"});
    addNode(m_cache, "orthanc");
    const std::string current = m_studies->studyUid("ct_head_current");

    const auto listed = readingJson(m_cache, m_config, "priors " + current + " --remote");
    ASSERT_EQ(listed.size(), 3u) << listed.dump(1);
    EXPECT_EQ(listed[0].value("study_uid", ""), m_studies->studyUid("ct_head_prior"));
    EXPECT_EQ(listed[0].value("where", ""), "orthanc");
    EXPECT_TRUE(listed[0].value("relevant", false));
    EXPECT_EQ(entryFor(listed, m_studies->studyUid("ct_head_other_person")), nullptr);
    EXPECT_EQ(localInstanceCount(m_cache, m_studies->studyUid("ct_head_prior")), 0);

    // Only the relevant one is fetched even when more are asked for.
    const auto fetched = readingJson(m_cache, m_config, "priors " + current + " --fetch 2");
    const auto* prior = entryFor(fetched, m_studies->studyUid("ct_head_prior"));
    ASSERT_NE(prior, nullptr) << fetched.dump(1);
    EXPECT_EQ(prior->value("where", ""), "local") << prior->dump(1);
    ASSERT_TRUE(prior->contains("fetch"));
    EXPECT_EQ((*prior)["fetch"].value("state", ""), "done");
    EXPECT_EQ(prior->value("local_instances", 0), 12);
    expectByteIdenticalToOrthanc(m_cache, m_studies->studyUid("ct_head_prior"), 12);
    EXPECT_EQ(localInstanceCount(m_cache, m_studies->studyUid("ct_chest_old")), 0) << "not relevant: not fetched";
    EXPECT_EQ(localInstanceCount(m_cache, m_studies->studyUid("ct_head_ancient")), 0) << "too old: not fetched";

    // A node that is down is named; the local answer still comes.
    addNode(m_cache, "down", freeTcpPort());
    const auto partial = readingCli(m_cache, m_config, "--json priors " + current + " --remote");
    EXPECT_EQ(partial.exitCode, 6);
    EXPECT_NE(partial.out.find(m_studies->studyUid("ct_head_prior")), std::string::npos);
}

} // namespace
} // namespace lb::test
