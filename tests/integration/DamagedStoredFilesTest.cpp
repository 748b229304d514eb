// Issue 12, "Damaged stored files": `lightbox-cli volume SERIES_UID` on a cached series names the
// stored files whose bytes changed since import, and those that no longer read, in each stack's
// warnings (cache/StoredFileCheck.h, app/cli/SeriesInput.h). The real CT series of tests/data is
// imported into a real cache; its stored files are then damaged on disk.
#include "tests/integration/CliTestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace lb::test {
namespace {

const char* kSeries = "1.3.46.670589.33.1.6002432791750815306.26862469513794233732"; // S2010_axial_5mm

struct StoredInstance {
    std::string sopInstanceUid;
    int instanceNumber = 0;
    std::filesystem::path file;
};

class DamagedStoredFiles : public ::testing::Test {
protected:
    void SetUp() override
    {
        cliJson(m_dir / "cache", "import " + shellQuote((testData() / "ct_philips_ingenuity_phantom" / "S2010_axial_5mm").string()));
        for (const auto& row : cliJson(m_dir / "cache", std::string("instances ") + kSeries))
            m_instances.push_back({row["sop_instance_uid"], row["instance_number"], row["file"].get<std::string>()});
        ASSERT_EQ(m_instances.size(), 28u);
    }

    const StoredInstance& instance(int number) const
    {
        auto found = std::find_if(m_instances.begin(), m_instances.end(), [&](const auto& i) { return i.instanceNumber == number; });
        EXPECT_NE(found, m_instances.end()) << "no instance " << number;
        return *found;
    }

    nlohmann::json stack() const
    {
        const auto stacks = cliJson(m_dir / "cache", std::string("volume ") + kSeries);
        EXPECT_EQ(stacks.size(), 1u);
        return stacks.empty() ? nlohmann::json::object() : stacks[0];
    }

    static std::string name(const StoredInstance& i) { return "instance " + std::to_string(i.instanceNumber) + " (" + i.sopInstanceUid + ")"; }

    // The warning lines that start with `start` ("1 of 28 files changed since import: ").
    static std::vector<std::string> linesStartingWith(const nlohmann::json& stack, const std::string& start)
    {
        std::vector<std::string> lines;
        for (const auto& w : stack["warnings"])
            if (w.get<std::string>().rfind(start, 0) == 0) lines.push_back(w);
        return lines;
    }

    static bool mentionsStoredFiles(const nlohmann::json& stack)
    {
        for (const auto& w : stack["warnings"]) {
            const std::string text = w;
            for (const char* word : {"changed since import", "unreadable", "missing from the store"})
                if (text.find(word) != std::string::npos) return true;
        }
        return false;
    }

    TempDir m_dir;
    std::vector<StoredInstance> m_instances;
};

TEST_F(DamagedStoredFiles, PixelBytesChangedOnDiskAreNamedAsChangedSinceImport)
{
    const auto untouched = stack();
    EXPECT_FALSE(mentionsStoredFiles(untouched)) << untouched["warnings"].dump();

    // A few pixel bytes in the middle of the image (PixelData is the file's last 512 KiB): the
    // file still reads and its slice is shown, but not as imported.
    const StoredInstance& damaged = instance(14);
    const std::string original = readFileBytes(damaged.file);
    ASSERT_GT(original.size(), 512u * 512u * 2u);
    std::string bytes = original;
    const size_t middle = bytes.size() - 512 * 512; // row 256 of 512
    for (size_t i = 0; i < 64; ++i) bytes[middle + i] = static_cast<char>(~bytes[middle + i]);
    writeFileBytes(damaged.file, bytes);

    const auto s = stack();
    EXPECT_EQ(s["dims"], nlohmann::json::array({512, 512, 28}));
    const auto lines = linesStartingWith(s, "1 of 28 files changed since import: ");
    ASSERT_EQ(lines.size(), 1u) << s["warnings"].dump(1);
    EXPECT_EQ(lines[0], "1 of 28 files changed since import: " + name(damaged));
    EXPECT_TRUE(linesStartingWith(s, "1 of 28 files unreadable").empty()) << s["warnings"].dump(1);

    // The same bytes as imported again (a newer modification time): nothing to say.
    writeFileBytes(damaged.file, original);
    const auto restored = stack();
    EXPECT_FALSE(mentionsStoredFiles(restored)) << restored["warnings"].dump(1);
}

TEST_F(DamagedStoredFiles, TruncatedFileIsNamedUnreadableWithAPlainReasonAndTheStackIsNotRespaced)
{
    const auto untouched = stack();
    ASSERT_EQ(untouched["dims"][2], 28);
    EXPECT_FALSE(mentionsStoredFiles(untouched)) << untouched["warnings"].dump();

    const StoredInstance& damaged = instance(20);
    const auto size = std::filesystem::file_size(damaged.file);
    std::filesystem::resize_file(damaged.file, size / 2);

    const auto s = stack();
    const auto lines = linesStartingWith(s, "1 of 28 files unreadable: ");
    ASSERT_EQ(lines.size(), 1u) << s["warnings"].dump(1);
    EXPECT_EQ(lines[0], "1 of 28 files unreadable: " + name(damaged) + ": truncated: " + std::to_string(size / 2) + " of "
                            + std::to_string(size) + " bytes");
    for (const auto& w : s["warnings"]) {
        EXPECT_EQ(w.get<std::string>().find("premature end"), std::string::npos) << w;
        EXPECT_EQ(w.get<std::string>().find("changed since import"), std::string::npos) << w; // said once, as unreadable
    }

    // The slice is left out or left blank, never papered over: every position shown is one a
    // file gives, in the same order, and only the damaged file's is gone.
    const int slices = s["dims"][2];
    EXPECT_TRUE(slices == 27 || slices == 28) << slices;
    std::vector<nlohmann::json> shown, all;
    for (const auto& p : s["slice_positions"])
        if (!p.is_null()) shown.push_back(p);
    for (const auto& p : untouched["slice_positions"]) all.push_back(p);
    ASSERT_EQ(all.size(), 28u);
    ASSERT_EQ(shown.size(), 27u) << s["slice_positions"].dump();
    size_t skipped = 0;
    for (size_t k = 0, j = 0; k < all.size(); ++k) {
        if (j < shown.size() && shown[j] == all[k]) ++j;
        else ++skipped;
    }
    EXPECT_EQ(skipped, 1u) << "positions re-spaced: " << s["slice_positions"].dump();
    if (slices == 28) {
        for (size_t k = 0; k < 28; ++k) {
            if (!s["slice_positions"][k].is_null()) {
                EXPECT_EQ(s["slice_positions"][k], all[k]) << k;
            }
        }
    }
}

TEST_F(DamagedStoredFiles, MissingAndDamagedFilesEachHaveOneLine)
{
    EXPECT_FALSE(mentionsStoredFiles(stack()));
    const StoredInstance& gone = instance(3);
    const StoredInstance& cut = instance(7);
    const StoredInstance& changed = instance(22);
    std::filesystem::remove(gone.file);
    std::filesystem::resize_file(cut.file, 1000); // not even a header left
    std::string bytes = readFileBytes(changed.file);
    bytes[bytes.size() - 100] ^= 0x40;
    writeFileBytes(changed.file, bytes);

    const auto s = stack();
    EXPECT_EQ(linesStartingWith(s, "1 of 28 files missing from the store: "),
              std::vector<std::string>{"1 of 28 files missing from the store: " + name(gone)})
        << s["warnings"].dump(1);
    const auto unreadable = linesStartingWith(s, "1 of 28 files unreadable: ");
    ASSERT_EQ(unreadable.size(), 1u) << s["warnings"].dump(1);
    EXPECT_NE(unreadable[0].find(name(cut) + ": truncated: 1000 of "), std::string::npos) << unreadable[0];
    EXPECT_EQ(linesStartingWith(s, "1 of 28 files changed since import: "),
              std::vector<std::string>{"1 of 28 files changed since import: " + name(changed)})
        << s["warnings"].dump(1);

    // `render` reads through the same path: it still renders what is left.
    const auto picture = m_dir / "axial.png";
    EXPECT_EQ(cli(m_dir / "cache", std::string("render ") + kSeries + " --view axial -o " + shellQuote(picture.string())).exitCode, 0);
    EXPECT_TRUE(std::filesystem::exists(picture));
}

} // namespace
} // namespace lb::test
