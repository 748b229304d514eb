// DICOMDIR reading: real media layouts from pydicom, and hostile ones made from them.
#include "core/DicomDirReader.h"
#include "tests/support/TestSupport.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

std::filesystem::path dicomDirMedium() { return pydicomTestFiles() / "dicomdirtests"; }

TEST(DicomDirReader, FollowsEveryImageRecordOfARealMedium)
{
    auto contents = core::readDicomDir(dicomDirMedium() / "DICOMDIR");
    ASSERT_TRUE(contents.ok()) << contents.error().message();
    int usable = 0;
    for (const auto& reference : contents->references) {
        EXPECT_TRUE(reference.problem.empty()) << reference.fileId << ": " << reference.problem;
        if (reference.problem.empty()) {
            EXPECT_TRUE(std::filesystem::is_regular_file(reference.resolved));
            ++usable;
        }
    }
    // pydicom's medium: 31 image records over three studies (see its README.txt).
    EXPECT_EQ(usable, 31);
}

TEST(DicomDirReader, BigEndianAndImplicitVariantsListTheSameFiles)
{
    auto reference = core::readDicomDir(dicomDirMedium() / "DICOMDIR");
    ASSERT_TRUE(reference.ok());
    for (const char* variant : {"DICOMDIR-bigEnd", "DICOMDIR-implicit", "DICOMDIR-reordered"}) {
        auto contents = core::readDicomDir(dicomDirMedium() / variant);
        ASSERT_TRUE(contents.ok()) << variant << ": " << contents.error().message();
        EXPECT_EQ(contents->references.size(), reference->references.size()) << variant;
    }
}

TEST(DicomDirReader, NotADicomDirIsAnError)
{
    auto contents = core::readDicomDir(pydicomTestFiles() / "CT_small.dcm");
    ASSERT_FALSE(contents.ok());
    EXPECT_EQ(contents.error().code, core::ErrorCode::Malformed);
}

TEST(DicomDirReader, RefusesPathsThatLeaveTheMedium)
{
    TempDir dir;
    const auto medium = dir / "cd";
    copyTree(dicomDirMedium(), medium);
    std::filesystem::create_directory_symlink("/etc", medium / "ESCAPE");

    DcmFileFormat file;
    ASSERT_TRUE(file.loadFile((medium / "DICOMDIR").c_str()).good());
    DcmSequenceOfItems* records = nullptr;
    ASSERT_TRUE(file.getDataset()->findAndGetSequence(DCM_DirectoryRecordSequence, records).good());
    int patched = 0;
    const char* hostile[] = {"..\\..\\..\\etc\\passwd", "ESCAPE\\passwd", "IMG\\..\\..\\x", "/etc/passwd"};
    for (unsigned long i = 0; i < records->card() && patched < 4; ++i) {
        DcmItem* record = records->getItem(i);
        if (!record->tagExists(DCM_ReferencedFileID)) continue;
        ASSERT_TRUE(record->putAndInsertString(DCM_ReferencedFileID, hostile[patched]).good());
        ++patched;
    }
    ASSERT_EQ(patched, 4);
    ASSERT_TRUE(file.saveFile((medium / "DICOMDIR").c_str(), EXS_LittleEndianExplicit).good());

    auto contents = core::readDicomDir(medium / "DICOMDIR");
    ASSERT_TRUE(contents.ok()) << contents.error().message();
    int refused = 0;
    for (const auto& reference : contents->references) {
        if (!reference.problem.empty()) {
            ++refused;
            EXPECT_TRUE(reference.resolved.empty());
            EXPECT_NE(reference.problem.find("refused"), std::string::npos) << reference.fileId << ": " << reference.problem;
        } else {
            const auto relative = reference.resolved.lexically_relative(std::filesystem::canonical(medium));
            EXPECT_NE(*relative.begin(), "..");
        }
    }
    EXPECT_EQ(refused, 4);
}

} // namespace
} // namespace lb::test
