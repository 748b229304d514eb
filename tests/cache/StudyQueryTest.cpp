// The browser's queries on a real index: wildcards, accents, dates, modality, paging.
#include "tests/cache/CacheTestSupport.h"

#include <chrono>

namespace lb::test {
namespace {

class StudyQueryTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_cache = openCache(m_dir / "cache");
        ASSERT_TRUE(m_cache);
        auto inputs = sharedTestDataFolders();
        inputs.push_back(pydicomCharsetFiles());
        importOrFail(*m_cache, inputs);
    }

    std::vector<std::string> names(const cache::StudyFilter& filter)
    {
        cache::StudyQueryOptions options;
        options.filter = filter;
        options.sortKey = cache::StudySortKey::PatientName;
        options.descending = false;
        auto rows = cache::StudyQuery(m_cache->connection()).studies(options);
        EXPECT_TRUE(rows.ok());
        std::vector<std::string> out;
        if (rows.ok())
            for (const auto& row : *rows) out.push_back(row.patientName);
        return out;
    }

    TempDir m_dir;
    std::unique_ptr<cache::LocalCache> m_cache;
};

TEST_F(StudyQueryTest, NameSearchIgnoresCaseAndAccents)
{
    // chrFren.dcm and chrFrenMulti.dcm belong to one study.
    EXPECT_EQ(names({.patientName = "jerome"}), (std::vector<std::string>{"Buc^Jérôme"}));
    EXPECT_EQ(names({.patientName = "ÄNEAS*"}), (std::vector<std::string>{"Äneas^Rüdiger"}));
    EXPECT_EQ(names({.patientName = "aneas^rudiger"}), (std::vector<std::string>{"Äneas^Rüdiger"}));
    EXPECT_EQ(names({.patientName = "ΔΙΟΝΥΣΙΟΣ"}), (std::vector<std::string>{"Διονυσιος"}));
    EXPECT_TRUE(names({.patientName = "nobody"}).empty());
}

TEST_F(StudyQueryTest, WildcardsAnchorWhereTheUserSaysSo)
{
    EXPECT_EQ(names({.patientName = "buc*"}).size(), 1u);
    EXPECT_TRUE(names({.patientName = "*jerom"}).empty()); // anchored at the end: "jérôme" ends in "e"
    EXPECT_EQ(names({.patientName = "b?c^j*"}).size(), 1u);
    EXPECT_EQ(names({.patientName = "Yamada*"}).size(), 1u);
    EXPECT_EQ(names({.patientName = "[x]"}).size(), 0u); // brackets are literal, not GLOB classes
}

TEST_F(StudyQueryTest, FiltersByIdDateModalityDescriptionAccession)
{
    cache::StudyQuery query(m_cache->connection());
    auto count = [&](cache::StudyFilter filter) {
        auto n = query.countStudies(filter);
        EXPECT_TRUE(n.ok());
        return n.ok() ? *n : -1;
    };
    EXPECT_EQ(count({.patientId = "PLASTIC"}), 1);
    EXPECT_EQ(count({.patientId = "PLAST*"}), 1);
    EXPECT_EQ(count({.patientId = "plastic"}), 0); // IDs are exact
    EXPECT_EQ(count({.dateFrom = "20180918", .dateTo = "20180918"}), 2);
    EXPECT_EQ(count({.dateFrom = "20200101"}), 1);
    EXPECT_EQ(count({.dateTo = "20141231"}) > 0, true);
    EXPECT_EQ(count({.modality = "CT"}), 1);
    EXPECT_EQ(count({.modality = "ct"}), 1);
    EXPECT_EQ(count({.description = "trauma"}), 1);
    EXPECT_EQ(count({.modality = "MR", .description = "TRAUMA"}), 0);
}

TEST_F(StudyQueryTest, CountersAndModalitiesFollowTheInstances)
{
    cache::StudyQueryOptions options;
    options.filter.patientId = "PLASTIC";
    auto rows = cache::StudyQuery(m_cache->connection()).studies(options);
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].numSeries, 2);
    EXPECT_EQ((*rows)[0].numInstances, 29); // 28 axial + 1 localizer (the DIRFILEs are not filed)
    EXPECT_EQ((*rows)[0].modalities, "CT");
}

TEST_F(StudyQueryTest, LimitOffsetAndSortPage)
{
    cache::StudyQuery query(m_cache->connection());
    cache::StudyQueryOptions all;
    all.sortKey = cache::StudySortKey::Date;
    auto everything = query.studies(all);
    ASSERT_TRUE(everything.ok());
    ASSERT_GT(everything->size(), 10u);
    for (size_t i = 1; i < everything->size(); ++i)
        EXPECT_GE((*everything)[i - 1].studyDate, (*everything)[i].studyDate);

    cache::StudyQueryOptions page = all;
    page.limit = 3;
    page.offset = 2;
    auto rows = query.studies(page);
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 3u);
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ((*rows)[i].studyUid, (*everything)[i + 2].studyUid);
}

TEST(StudyQueryPattern, UserPatternsBecomeGlobs)
{
    EXPECT_EQ(cache::globFromUserPattern("doe", true), "*doe*");
    EXPECT_EQ(cache::globFromUserPattern("doe*", true), "doe*");
    EXPECT_EQ(cache::globFromUserPattern("d?e", false), "d?e");
    EXPECT_EQ(cache::globFromUserPattern("a[1]", false), "a[[]1[]]");
}

} // namespace
} // namespace lb::test
