// Another patient's images never join a study: a study UID under another patient, a series UID
// under another study, and the same SOP Instance UID with other bytes are conflicts, kept in
// quarantine with the reason, never merged. The variants are written by pydicom from a real CT.
#include "cache/ConsistencyCheck.h"
#include "cache/Quarantine.h"
#include "cache/StudyRemoval.h"
#include "core/DicomHeaderReader.h"
#include "tests/cache/CacheTestSupport.h"

#include <fstream>

namespace lb::test {
namespace {

// CT_small.dcm with some attributes changed ("PatientID=X", "SOPInstanceUID=1.2.3"; an empty
// value deletes the attribute).
std::filesystem::path variant(const std::filesystem::path& dir, const std::string& name,
                              const std::vector<std::string>& changes)
{
    const auto out = dir / name;
    std::vector<std::string> arguments{(pydicomTestFiles() / "CT_small.dcm").string(), out.string()};
    arguments.insert(arguments.end(), changes.begin(), changes.end());
    const auto written = runPython(R"(
import sys, pydicom
ds = pydicom.dcmread(sys.argv[1])
for change in sys.argv[3:]:
    key, value = change.split('=', 1)
    if value: setattr(ds, key, value)
    elif key in ds: delattr(ds, key)
ds.save_as(sys.argv[2])
)",
                                   arguments);
    EXPECT_EQ(written.exitCode, 0) << written.out;
    return out;
}

std::string studyUidOfCtSmall()
{
    auto header = core::readDicomHeader(pydicomTestFiles() / "CT_small.dcm");
    return header ? header->study.instanceUid : std::string();
}

class PatientSafety : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_cache = openCache(m_dir / "cache");
        ASSERT_EQ(importOrFail(*m_cache, {pydicomTestFiles() / "CT_small.dcm"}).imported, 1);
    }

    // Imports `file`; expects one conflict whose reason contains `why`, and the file in quarantine.
    void expectConflict(const std::filesystem::path& file, const std::string& why)
    {
        const auto report = importOrFail(*m_cache, {file});
        EXPECT_EQ(report.imported, 0);
        ASSERT_EQ(report.conflicts.size(), 1u);
        EXPECT_NE(report.conflicts[0].reason.find(why), std::string::npos) << report.conflicts[0].reason;
        auto entries = cache::listQuarantine(*m_cache);
        ASSERT_TRUE(entries.ok());
        ASSERT_FALSE(entries->empty());
        EXPECT_NE(entries->back().facts.reason.find(why), std::string::npos);
        EXPECT_EQ(entries->back().facts.source, file.string());
        EXPECT_TRUE(std::filesystem::exists(m_cache->layout().quarantineDir() / entries->back().fileName));
        // Nothing joined: the study still has its one instance, and the cache is consistent.
        auto studies = cache::StudyQuery(m_cache->connection()).studies({});
        ASSERT_TRUE(studies.ok());
        ASSERT_EQ(studies->size(), 1u);
        EXPECT_EQ(studies->front().numInstances, 1);
        auto check = cache::checkCache(*m_cache);
        ASSERT_TRUE(check.ok());
        EXPECT_TRUE(check->consistent());
    }

    TempDir m_dir;
    std::unique_ptr<cache::LocalCache> m_cache;
};

TEST_F(PatientSafety, AStudyUidUnderAnotherPatientIsAConflict)
{
    expectConflict(variant(m_dir.path(), "other-patient.dcm", {"PatientID=SOMEONE-ELSE", "SOPInstanceUID=1.2.826.0.1.3680043.10.1234.7.1"}),
                   "under another patient");
}

TEST_F(PatientSafety, TheSameIdFromAnotherIssuerIsAnotherPatient)
{
    expectConflict(variant(m_dir.path(), "other-issuer.dcm", {"IssuerOfPatientID=OTHER-HOSPITAL", "SOPInstanceUID=1.2.826.0.1.3680043.10.1234.7.2"}),
                   "under another patient");
}

TEST_F(PatientSafety, ASeriesUidUnderAnotherStudyIsAConflict)
{
    expectConflict(variant(m_dir.path(), "other-study.dcm", {"StudyInstanceUID=1.2.826.0.1.3680043.10.1234.7.3",
                                                      "SOPInstanceUID=1.2.826.0.1.3680043.10.1234.7.4"}),
                   "under another study");
}

TEST_F(PatientSafety, TheSameSopUidWithOtherBytesIsQuarantinedAndTheFirstCopyStays)
{
    expectConflict(variant(m_dir.path(), "other-bytes.dcm", {"ImageComments=changed"}), "kept the first");
}

TEST_F(PatientSafety, ADifferentlySpeltNameOfTheSameIdJoinsWithAWarning)
{
    const auto file = variant(m_dir.path(), "spelling.dcm", {"PatientName=CompressedSamples^CT2", "SOPInstanceUID=1.2.826.0.1.3680043.10.1234.7.5"});
    const auto report = importOrFail(*m_cache, {file});
    EXPECT_EQ(report.imported, 1);
    EXPECT_TRUE(report.conflicts.empty());
    ASSERT_EQ(report.warnings.size(), 1u);
    EXPECT_NE(report.warnings[0].reason.find("spelt differently"), std::string::npos) << report.warnings[0].reason;
    auto studies = cache::StudyQuery(m_cache->connection()).studies({});
    ASSERT_TRUE(studies.ok());
    ASSERT_EQ(studies->size(), 1u);
    EXPECT_EQ(studies->front().numInstances, 2);
    EXPECT_EQ(countRows(*m_cache, "patients"), 1); // no second patient row for the other spelling
}

TEST_F(PatientSafety, WithoutIdsNameAndBirthDateDecide)
{
    TempDir other;
    auto cache = openCache(other / "cache");
    const auto first = variant(m_dir.path(), "noid-1.dcm", {"PatientID=", "StudyInstanceUID=1.2.826.0.1.3680043.10.1234.8.1",
                                                      "SeriesInstanceUID=1.2.826.0.1.3680043.10.1234.8.2",
                                                      "SOPInstanceUID=1.2.826.0.1.3680043.10.1234.8.3"});
    ASSERT_EQ(importOrFail(*cache, {first}).imported, 1);
    const auto same = variant(m_dir.path(), "noid-2.dcm", {"PatientID=", "StudyInstanceUID=1.2.826.0.1.3680043.10.1234.8.1",
                                                     "SeriesInstanceUID=1.2.826.0.1.3680043.10.1234.8.2",
                                                     "SOPInstanceUID=1.2.826.0.1.3680043.10.1234.8.4"});
    EXPECT_EQ(importOrFail(*cache, {same}).imported, 1);
    const auto otherName = variant(m_dir.path(), "noid-3.dcm", {"PatientID=", "PatientName=SOMEBODY^ELSE",
                                                          "StudyInstanceUID=1.2.826.0.1.3680043.10.1234.8.1",
                                                          "SeriesInstanceUID=1.2.826.0.1.3680043.10.1234.8.2",
                                                          "SOPInstanceUID=1.2.826.0.1.3680043.10.1234.8.5"});
    const auto report = importOrFail(*cache, {otherName});
    EXPECT_EQ(report.imported, 0);
    EXPECT_EQ(report.conflicts.size(), 1u);
}

TEST_F(PatientSafety, QuarantineRestoresOnlyOnceTheOtherStudyIsGoneAndPurges)
{
    const auto file = variant(m_dir.path(), "other-patient.dcm", {"PatientID=SOMEONE-ELSE", "SOPInstanceUID=1.2.826.0.1.3680043.10.1234.7.6"});
    expectConflict(file, "under another patient");
    auto entries = cache::listQuarantine(*m_cache);
    ASSERT_TRUE(entries.ok());
    const int64_t id = entries->back().id;

    auto again = cache::restoreQuarantined(*m_cache, id);
    ASSERT_TRUE(again.ok()) << again.error().message();
    EXPECT_FALSE(again->restored);
    EXPECT_NE(again->problem.find("under another patient"), std::string::npos) << again->problem;
    EXPECT_EQ(*cache::quarantineCount(*m_cache), 1); // still one entry, not two

    ASSERT_TRUE(cache::removeStudy(*m_cache, studyUidOfCtSmall()).ok());
    auto restored = cache::restoreQuarantined(*m_cache, id);
    ASSERT_TRUE(restored.ok());
    EXPECT_TRUE(restored->restored) << restored->problem;
    EXPECT_EQ(*cache::quarantineCount(*m_cache), 0);
    auto studies = cache::StudyQuery(m_cache->connection()).studies({});
    ASSERT_TRUE(studies.ok());
    ASSERT_EQ(studies->size(), 1u);
    EXPECT_EQ(studies->front().patientId, "SOMEONE-ELSE");

    expectConflict(variant(m_dir.path(), "third.dcm", {"PatientID=A-THIRD", "SOPInstanceUID=1.2.826.0.1.3680043.10.1234.7.7"}),
                   "under another patient");
    auto purged = cache::purgeQuarantine(*m_cache, std::nullopt);
    ASSERT_TRUE(purged.ok());
    EXPECT_EQ(*purged, 1);
    EXPECT_TRUE(filesUnder(m_cache->layout().quarantineDir()).empty());
    EXPECT_EQ(cache::purgeQuarantine(*m_cache, 999).error().code, core::ErrorCode::NotFound);
}

TEST(Quarantine, AnIntactCopyReplacesADamagedFirstCopy)
{
    TempDir dir;
    auto cache = openCache(dir / "cache");
    const auto original = pydicomTestFiles() / "CT_small.dcm";
    std::string bytes = readFileBytes(original);
    writeFileBytes(dir / "truncated.dcm", bytes.substr(0, bytes.size() - 4000)); // a transfer cut short
    ASSERT_EQ(importOrFail(*cache, {dir / "truncated.dcm"}).imported, 1);

    const auto report = importOrFail(*cache, {original});
    EXPECT_EQ(report.imported, 1);
    EXPECT_TRUE(report.conflicts.empty());
    ASSERT_EQ(report.warnings.size(), 1u);
    EXPECT_NE(report.warnings[0].reason.find("no longer decodes"), std::string::npos);
    auto header = core::readDicomHeader(original);
    ASSERT_TRUE(header.ok());
    auto stored = cache::StudyQuery(cache->connection()).instance(header->instance.sopInstanceUid);
    ASSERT_TRUE(stored.ok() && stored->has_value());
    EXPECT_TRUE(*cache::filesHaveSameContent(original, cache->store().absolutePath((*stored)->filePath)));
    auto entries = cache::listQuarantine(*cache);
    ASSERT_TRUE(entries.ok());
    ASSERT_EQ(entries->size(), 1u); // the damaged copy, kept
    EXPECT_NE(entries->front().facts.reason.find("damaged"), std::string::npos);
    auto check = cache::checkCache(*cache);
    ASSERT_TRUE(check.ok());
    EXPECT_TRUE(check->consistent());
}

TEST(Quarantine, WhatADeadReceiverLeftIsQuarantinedNotImported)
{
    TempDir dir;
    auto cache = openCache(dir / "cache");
    const auto spool = cache->layout().incomingDir() / "dead-owner-1";
    std::filesystem::create_directories(spool);
    std::filesystem::copy_file(pydicomTestFiles() / "CT_small.dcm", spool / "rx-1.dcm");
    writeFileBytes(spool / "rx-2.dcm.part", "half");
    auto moved = cache::quarantineOrphanedIncoming(*cache);
    ASSERT_TRUE(moved.ok());
    EXPECT_EQ(*moved, 1);
    EXPECT_FALSE(std::filesystem::exists(spool));
    auto entries = cache::listQuarantine(*cache);
    ASSERT_TRUE(entries.ok());
    ASSERT_EQ(entries->size(), 1u);
    EXPECT_NE(entries->front().facts.reason.find("stopped before"), std::string::npos);
    EXPECT_EQ(entries->front().facts.studyUid, studyUidOfCtSmall());
    EXPECT_EQ(countRows(*cache, "instances"), 0);
}

} // namespace
} // namespace lb::test
