// Person names and texts are converted to UTF-8 following SpecificCharacterSet. The oracle is
// pydicom decoding pydicom's charset_files (ISO 8859-x, ISO 2022 Japanese/Korean, GB18030, UTF-8).
#include "core/DicomHeaderReader.h"
#include "core/internal/Utf8.h"
#include "tests/support/TestSupport.h"

#include <fstream>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

TEST(Charset, PatientNamesEqualWhatPydicomDecodes)
{
    std::vector<std::string> arguments;
    for (const auto& file : filesUnder(pydicomCharsetFiles()))
        if (file.extension() == ".dcm") arguments.push_back(file.string());
    ASSERT_GE(arguments.size(), 15u);
    const CommandResult oracle = runPythonFile(sourceDir() / "tests/support/pydicom_headers.py", arguments);
    ASSERT_EQ(oracle.exitCode, 0);

    int compared = 0, nonAscii = 0;
    for (const auto& line : splitLines(oracle.out)) {
        const auto fields = splitTabs(line);
        ASSERT_GE(fields.size(), 2u) << line;
        SCOPED_TRACE(fields[0]);
        ASSERT_NE(fields[1], "ERROR") << line;
        auto header = core::readDicomHeader(fields[0]);
        if (fields[2].empty()) {
            // chrSQEncoding*: names only inside sequences, no study to file them under.
            ASSERT_FALSE(header.ok());
            EXPECT_EQ(header.error().code, core::ErrorCode::MissingAttribute);
            ++compared;
            continue;
        }
        ASSERT_TRUE(header.ok()) << header.error().message();
        EXPECT_EQ(header->patient.name, fields[6]);
        EXPECT_TRUE(core::internal::isValidUtf8(header->patient.name));
        ++compared;
        for (unsigned char c : fields[6]) if (c >= 0x80) { ++nonAscii; break; }
    }
    EXPECT_EQ(compared, static_cast<int>(arguments.size()));
    EXPECT_GE(nonAscii, 12); // the test is about conversion: most names are not ASCII
}

TEST(Charset, KnownNamesSpelledOut)
{
    // A few decoded by hand from the DICOM standard's examples (PS3.5 Annex H, I, J).
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"chrFren.dcm", "Buc^Jérôme"},
        {"chrGerm.dcm", "Äneas^Rüdiger"},
        {"chrRuss.dcm", "Люкceмбypг"},
        {"chrH31.dcm", "Yamada^Tarou=山田^太郎=やまだ^たろう"},
    };
    for (const auto& [file, name] : expected) {
        auto header = core::readDicomHeader(pydicomCharsetFiles() / file);
        ASSERT_TRUE(header.ok()) << file;
        EXPECT_EQ(header->patient.name, name) << file;
    }
}

TEST(Charset, Latin1FallbackKeepsOutputValidUtf8)
{
    EXPECT_EQ(core::internal::latin1ToUtf8("M\xFCller"), "Müller");
    EXPECT_TRUE(core::internal::isValidUtf8("Müller"));
    EXPECT_FALSE(core::internal::isValidUtf8("M\xFCller"));
    EXPECT_FALSE(core::internal::isValidUtf8("\xE6\x97"));
}

} // namespace
} // namespace lb::test
