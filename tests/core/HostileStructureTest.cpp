// Files built to overflow DCMTK's recursive parser are refused before DCMTK sees them, by
// every reader (header, tag dump, volume), in every encoding the walk accepts, with the reason.
// Before the walk, each of these files killed the process with SIGSEGV.
#include "core/DicomHeaderReader.h"
#include "core/DicomTagDump.h"
#include "core/VolumeAssembler.h"
#include "tests/support/HostileFiles.h"
#include "tests/support/TestSupport.h"

#include <gtest/gtest.h>

namespace lb::test {
namespace {

// Deep enough to overflow an 8 MiB stack many times over in DCMTK (6,000 levels did).
constexpr int kHostileDepth = 20000;

class HostileStructure : public ::testing::TestWithParam<Nesting> {};

TEST_P(HostileStructure, DeepNestingIsRefusedByEveryReaderWithTheReason)
{
    TempDir dir;
    const auto file = writeNestedSequenceFile(dir.path() / "nested.dcm", kHostileDepth, GetParam());
    auto header = core::readDicomHeader(file);
    ASSERT_FALSE(header.ok());
    EXPECT_EQ(header.error().code, core::ErrorCode::Malformed);
    EXPECT_EQ(header.error().reason, "Malformed: sequence nesting deeper than 64");
    EXPECT_NE(header.error().message().find("nested.dcm"), std::string::npos);

    auto tags = core::dumpDicomTags(file);
    ASSERT_FALSE(tags.ok());
    EXPECT_EQ(tags.error().reason, "Malformed: sequence nesting deeper than 64");

    core::VolumeLoadOptions options;
    options.threads = 1;
    auto volumes = core::assembleVolumes({file}, options);
    if (!volumes.ok()) {
        EXPECT_FALSE(volumes.error().reason.empty());
    }
}

TEST_P(HostileStructure, ModestNestingIsReadAsBefore)
{
    TempDir dir;
    const auto file = writeNestedSequenceFile(dir.path() / "modest.dcm", 20, GetParam());
    auto header = core::readDicomHeader(file);
    ASSERT_TRUE(header.ok()) << header.error().message();
    EXPECT_EQ(header->patient.id, "NEST1");
    EXPECT_EQ(header->study.instanceUid, "1.2.826.0.1.3680043.10.1234.99.1.1");
    EXPECT_TRUE(core::dumpDicomTags(file).ok());
}

INSTANTIATE_TEST_SUITE_P(EveryEncoding, HostileStructure,
                         ::testing::Values(Nesting::ExplicitUndefined, Nesting::ExplicitDefined, Nesting::ImplicitDefined,
                                           Nesting::ExplicitAsUn, Nesting::BigEndian, Nesting::Deflated),
                         [](const auto& info) {
                             switch (info.param) {
                             case Nesting::ExplicitUndefined: return "ExplicitUndefinedLengths";
                             case Nesting::ExplicitDefined: return "ExplicitDefinedLengths";
                             case Nesting::ImplicitDefined: return "ImplicitDefinedLengths";
                             case Nesting::ExplicitAsUn: return "SequenceStoredAsUN";
                             case Nesting::BigEndian: return "ExplicitBigEndian";
                             case Nesting::Deflated: return "Deflated";
                             }
                             return "unknown";
                         });

TEST(HostileStructure, ExactlyTheLimitIsReadOneMoreIsRefused)
{
    TempDir dir;
    EXPECT_TRUE(core::readDicomHeader(writeNestedSequenceFile(dir.path() / "at.dcm", 64, Nesting::ExplicitDefined)).ok());
    auto over = core::readDicomHeader(writeNestedSequenceFile(dir.path() / "over.dcm", 65, Nesting::ExplicitDefined));
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.error().reason, "Malformed: sequence nesting deeper than 64");
}

TEST(HostileStructure, EveryRealTestFileStillReads)
{
    // The walk must not refuse what DCMTK read before: every pydicom test file that gave a
    // header without the walk still gives one (none of them nests deeper than a few levels).
    int read = 0;
    for (const auto& entry : std::filesystem::directory_iterator(pydicomTestFiles())) {
        if (!entry.is_regular_file()) continue;
        auto header = core::readDicomHeader(entry.path());
        if (header) ++read;
        else EXPECT_EQ(header.error().reason.find("nesting deeper"), std::string::npos) << entry.path();
    }
    EXPECT_GT(read, 50);
}

} // namespace
} // namespace lb::test
