// The tag browser on a real CT file: every attribute listed, search by keyword, by tag with or
// without the comma, and by value; sequences open where a match is inside.
#include "app/gui/TagBrowser.h"
#include "tests/support/TestSupport.h"

#include <QTreeWidget>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

QStringList visibleKeywords(QTreeWidget* tree)
{
    QStringList keywords;
    std::function<void(QTreeWidgetItem*)> walk = [&](QTreeWidgetItem* item) {
        if (item->isHidden()) return;
        if (!item->text(1).isEmpty()) keywords << item->text(1);
        for (int i = 0; i < item->childCount(); ++i) walk(item->child(i));
    };
    for (int i = 0; i < tree->topLevelItemCount(); ++i) walk(tree->topLevelItem(i));
    return keywords;
}

TEST(TagBrowser, ListsAndFindsAttributes)
{
    app::gui::TagBrowser browser;
    ASSERT_TRUE(browser.setFile(testData() / "ct_philips_ingenuity_phantom/S2010_axial_5mm/I150"));
    EXPECT_GT(visibleKeywords(browser.tree()).size(), 50);
    browser.setFilter("Window");
    auto shown = visibleKeywords(browser.tree());
    EXPECT_TRUE(shown.contains("WindowCenter"));
    EXPECT_TRUE(shown.contains("WindowWidth"));
    EXPECT_FALSE(shown.contains("PatientName"));
    browser.setFilter("0028,0030");
    EXPECT_EQ(visibleKeywords(browser.tree()), QStringList{"PixelSpacing"});
    browser.setFilter("00280030");
    EXPECT_EQ(visibleKeywords(browser.tree()), QStringList{"PixelSpacing"});
    browser.setFilter("STD BRAIN");
    EXPECT_TRUE(visibleKeywords(browser.tree()).contains("SeriesDescription"));
    browser.setFilter("");
    EXPECT_FALSE(browser.setFile(testData() / "README.md"));
}

} // namespace
} // namespace lb::test
