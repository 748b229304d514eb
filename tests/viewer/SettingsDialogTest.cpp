// The settings dialog: a node saved from the form lands in the cache's index (as
// `lightbox-cli nodes` sees it); Echo reports success against a real Orthanc and the reason
// against a wrong AE title.
#include "app/gui/SettingsDialog.h"
#include "cache/LocalCache.h"
#include "cache/NodeSettings.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/OrthancServer.h"

#include <QApplication>
#include <QSignalSpy>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

TEST(SettingsDialog, SavesNodesAndEchoesThem)
{
    TempDir temp;
    OrthancServer orthanc(temp / "orthanc", {{"lightbox", "LIGHTBOX", freeTcpPort()}});
    auto cache = cache::LocalCache::open(temp / "cache");
    ASSERT_TRUE(cache.ok());
    app::gui::SettingsDialog dialog((*cache)->layout().indexFile());

    dialog.fillNode("pacs", "ORTHANC", "127.0.0.1", orthanc.dicomPort(), "get");
    ASSERT_TRUE(dialog.saveNode()) << dialog.status().toStdString();
    auto nodes = cache::listNodes((*cache)->connection());
    ASSERT_TRUE(nodes.ok());
    ASSERT_EQ(nodes->size(), 1u);
    EXPECT_EQ((*nodes)[0].retrieveMethod, "get");

    QSignalSpy echoed(&dialog, &app::gui::SettingsDialog::echoFinished);
    dialog.echoNode();
    ASSERT_TRUE(echoed.wait(10000));
    EXPECT_TRUE(echoed.at(0).at(0).toBool()) << echoed.at(0).at(1).toString().toStdString();

    dialog.fillNode("wrong", "NOT_ORTHANC", "127.0.0.1", orthanc.dicomPort(), "move");
    dialog.echoNode();
    ASSERT_TRUE(echoed.wait(10000));
    EXPECT_FALSE(echoed.at(1).at(0).toBool());
    EXPECT_TRUE(echoed.at(1).at(1).toString().contains("Called AE Title Not Recognized")) << echoed.at(1).at(1).toString().toStdString();

    dialog.show();
    QApplication::processEvents();
    std::filesystem::create_directories(LB_TEST_OUTPUT);
    dialog.grab().save(QString::fromStdString(std::string(LB_TEST_OUTPUT) + "/settings-after-failed-echo.png"));

    dialog.fillNode("bad", "THIS_AE_TITLE_IS_TOO_LONG", "h", 104, "move");
    EXPECT_FALSE(dialog.saveNode());
}

} // namespace
} // namespace lb::test
