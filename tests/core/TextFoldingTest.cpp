#include "core/TextFolding.h"

#include <gtest/gtest.h>

namespace lb::test {
namespace {

TEST(TextFolding, LowerCasesAndStripsLatinDiacritics)
{
    EXPECT_EQ(core::foldForSearch("Müller^Hans"), "muller^hans");
    EXPECT_EQ(core::foldForSearch("MÜLLER"), "muller");
    EXPECT_EQ(core::foldForSearch("Buc^Jérôme"), "buc^jerome");
    EXPECT_EQ(core::foldForSearch("ÅSTRÖM^Øyvind"), "astrom^oyvind");
    EXPECT_EQ(core::foldForSearch("Łukasz Żółć"), "lukasz zolc");
}

TEST(TextFolding, LowerCasesGreekAndCyrillic)
{
    EXPECT_EQ(core::foldForSearch("ΔΙΟΝΥΣΙΟΣ"), "διονυσιοσ");
    EXPECT_EQ(core::foldForSearch("ЛЮКСЕМБУРГ"), "люксембург");
}

TEST(TextFolding, LeavesOtherScriptsAndBrokenBytesAlone)
{
    EXPECT_EQ(core::foldForSearch("山田^太郎"), "山田^太郎");
    EXPECT_EQ(core::foldForSearch(std::string("a\xFF" "b")), std::string("a\xFF" "b"));
    EXPECT_EQ(core::foldForSearch(std::string("\xE5\xB1")), std::string("\xE5\xB1")); // truncated sequence
}

} // namespace
} // namespace lb::test
