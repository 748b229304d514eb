// The settings dialog: a node saved from the form lands in the cache's index (as
// `lightbox-cli nodes` sees it); Echo reports success against a real Orthanc and the reason
// against a wrong AE title.
#include "app/gui/MainWindow.h"
#include "app/gui/SettingsDialog.h"
#include "app/gui/StudyBrowser.h"
#include "app/gui/ViewerPreferences.h"
#include "cache/Importer.h"
#include "tests/viewer/CtPhantom.h"
#include "tests/viewer/ViewerTestSupport.h"
#include "cache/LocalCache.h"
#include "cache/NodeSettings.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/OrthancServer.h"

#include <QApplication>
#include <QComboBox>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>

#include <chrono>
#include <thread>
#include <QLabel>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

TEST(SettingsDialog, SavesNodesAndEchoesThem)
{
    TempDir temp;
    OrthancServer orthanc(temp / "orthanc", {{"lightbox", "LIGHTBOX", freeTcpPort()}});
    auto cache = cache::LocalCache::open(temp / "cache");
    ASSERT_TRUE(cache.ok());
    auto workstation = app::Workstation::open(temp / "cache");
    ASSERT_TRUE(workstation.ok());
    app::gui::SettingsDialog dialog(**workstation);

    dialog.fillNode(app::NodeEntry{"pacs", "ORTHANC", "127.0.0.1", orthanc.dicomPort(), "get"});
    ASSERT_TRUE(dialog.saveNode()) << dialog.status().toStdString();
    auto nodes = cache::listNodes((*cache)->connection());
    ASSERT_TRUE(nodes.ok());
    ASSERT_EQ(nodes->size(), 1u);
    EXPECT_EQ((*nodes)[0].retrieveMethod, "get");

    QSignalSpy echoed(&dialog, &app::gui::SettingsDialog::echoFinished);
    dialog.echoNode();
    ASSERT_TRUE(echoed.wait(10000));
    EXPECT_TRUE(echoed.at(0).at(0).toBool()) << echoed.at(0).at(1).toString().toStdString();

    dialog.fillNode(app::NodeEntry{"wrong", "NOT_ORTHANC", "127.0.0.1", orthanc.dicomPort(), "move"});
    dialog.echoNode();
    ASSERT_TRUE(echoed.wait(10000));
    EXPECT_FALSE(echoed.at(1).at(0).toBool());
    EXPECT_TRUE(echoed.at(1).at(1).toString().contains("Called AE Title Not Recognized")) << echoed.at(1).at(1).toString().toStdString();

    dialog.show();
    QApplication::processEvents();
    std::filesystem::create_directories(LB_TEST_OUTPUT);
    dialog.grab().save(QString::fromStdString(std::string(LB_TEST_OUTPUT) + "/settings-after-failed-echo.png"));

    dialog.fillNode(app::NodeEntry{"bad", "THIS_AE_TITLE_IS_TOO_LONG", "h", 104, "move"});
    EXPECT_FALSE(dialog.saveNode());
}

TEST(SettingsDialog, EditingATlsNodeKeepsItsTlsAndWhatTheFormDoesNotShow)
{
    TempDir temp;
    auto cache = cache::LocalCache::open(temp / "cache");
    ASSERT_TRUE(cache.ok());
    cache::NodeRecord stored{"pacs", "PACS", "10.0.0.5", 2762, "move", 7, 45, 3, true, "/etc/pki/pacs-ca.pem",
                             "/etc/pki/ws.crt", "/etc/pki/ws.key"};
    ASSERT_TRUE(cache::saveNode((*cache)->connection(), stored).ok());
    auto workstation = app::Workstation::open(temp / "cache");
    ASSERT_TRUE(workstation.ok());
    app::gui::SettingsDialog dialog(**workstation);
    dialog.fillNode(app::NodeEntry{stored.name, stored.aeTitle, stored.host, stored.port, stored.retrieveMethod,
                                   stored.connectTimeoutSeconds, stored.dimseTimeoutSeconds, stored.maxAssociations, stored.tls,
                                   stored.tlsCa, stored.tlsCert, stored.tlsKey});
    dialog.fillNode(app::NodeEntry{"pacs", "PACS2", "10.0.0.6", 2762, "get", 10, 30, 2, true, "/etc/pki/pacs-ca.pem"});
    ASSERT_TRUE(dialog.saveNode()) << dialog.status().toStdString();
    auto saved = cache::findNode((*cache)->connection(), "pacs");
    ASSERT_TRUE(saved.ok() && saved->has_value());
    EXPECT_EQ((*saved)->aeTitle, "PACS2");
    EXPECT_EQ((*saved)->retrieveMethod, "get");
    EXPECT_TRUE((*saved)->tls);
    EXPECT_EQ((*saved)->tlsCa, "/etc/pki/pacs-ca.pem");
    EXPECT_EQ((*saved)->tlsCert, "/etc/pki/ws.crt"); // not on the form: kept
    EXPECT_EQ((*saved)->connectTimeoutSeconds, 7);
    EXPECT_EQ((*saved)->maxAssociations, 3);
    auto* listening = dialog.findChild<QLabel*>("listeningAddress");
    ASSERT_NE(listening, nullptr);
    EXPECT_TRUE(listening->text().startsWith("127.0.0.1:11112")) << listening->text().toStdString();
}

TEST(SettingsDialog, ViewerPreferencesAndTheCacheLimitAreSavedAndApplied)
{
    TempDir temp;
    auto cache = cache::LocalCache::open(temp / "cache");
    ASSERT_TRUE(cache.ok());
    {
        auto workstation = app::Workstation::open(temp / "cache");
    ASSERT_TRUE(workstation.ok());
    app::gui::SettingsDialog dialog(**workstation);
        dialog.buttonAction(0)->setCurrentText("scroll");
        dialog.buttonAction(2)->setCurrentText("window/level");
        auto* presets = dialog.presetTable();
        ASSERT_EQ(presets->rowCount(), 8); // the built-in ones
        presets->item(0, 0)->setText("my brain");
        presets->item(0, 1)->setText("35");
        presets->item(0, 2)->setText("70");
        dialog.cacheLimitMb()->setValue(25);
        ASSERT_TRUE(dialog.savePreferences()) << dialog.status().toStdString();
        presets->item(1, 2)->setText("0"); // a zero-wide window is refused
        EXPECT_FALSE(dialog.savePreferences());
    }
    const auto preferences = app::gui::ViewerPreferences::load();
    EXPECT_EQ(preferences.buttons[0], viewer::DragAction::Scroll);
    EXPECT_EQ(preferences.buttons[2], viewer::DragAction::WindowLevel);
    ASSERT_EQ(preferences.presets.size(), 8u);
    EXPECT_EQ(preferences.presets[0].name, "my brain");
    EXPECT_EQ(preferences.presets[0].window.center, 35);
    EXPECT_EQ(preferences.presets[1].window.width, 215); // the refused save changed nothing
    auto limit = cache::readSetting((*cache)->connection(), "cache-limit-mb");
    ASSERT_TRUE(limit.ok());
    EXPECT_EQ(limit->value_or(""), "25");

    // The workstation applies them: key 1 is the user's preset, a left drag scrolls.
    app::gui::MainWindow window(workstationOver(std::move(*cache)));
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    auto* view = window.viewerGrid()->viewport(0);
    auto volume = ctPhantom();
    ASSERT_TRUE(volume);
    window.viewerGrid()->showVolume(0, volume, {});
    QTest::keyClick(view, Qt::Key_1);
    EXPECT_EQ(view->window().center, 35);
    EXPECT_EQ(view->window().width, 70);
    const int slice = view->slice();
    const QPointF from(view->width() / 2.0, view->height() / 2.0), to = from + QPointF(0, 40);
    dragMouse(view, from, to);
    EXPECT_EQ(view->slice(), std::min(27, slice + 10)); // a slice per 4 pixels
    EXPECT_EQ(view->window().width, 70);                 // and not window/level
    // The MPR view, made later, has them too.
    window.setLayout(viewer::Layout::Mpr);
    auto* axial = window.viewerGrid()->mpr()->plane(render::ViewPlane::Axial);
    QTest::keyClick(axial, Qt::Key_1);
    EXPECT_EQ(axial->window().center, 35);
    app::gui::ViewerPreferences().save();                // the defaults again for the other tests
}

// Over the size limit the workstation removes the oldest studies after an import, but never
// one on screen nor one that arrived while it was open.
TEST(SettingsDialog, TheCacheLimitRemovesOldStudiesAfterAnImport)
{
    TempDir temp;
    {
        auto cache = cache::LocalCache::open(temp / "cache");
        ASSERT_TRUE(cache.ok());
        ASSERT_TRUE(cache::importIntoCache(**cache, {testData() / "ct_philips_ingenuity_phantom"}).ok());
        ASSERT_TRUE(cache::writeSetting((*cache)->connection(), "cache-limit-mb", "25").ok());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1100)); // added_at has whole seconds
    auto cache = cache::LocalCache::open(temp / "cache");
    ASSERT_TRUE(cache.ok());
    app::gui::MainWindow window(workstationOver(std::move(*cache)));
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    ASSERT_EQ(window.localStudyCount(), 1);
    QSignalSpy pruned(&window, &app::gui::MainWindow::pruned);
    window.importPaths({QString::fromStdString((testData() / "mr_ge_pioneer_t1_mprage_3d").string())});
    ASSERT_TRUE(pruned.wait(60000));
    EXPECT_EQ(pruned.at(0).at(0).toInt(), 1); // the CT (15 MB, older); the MR (19 MB) just came
    EXPECT_EQ(window.localStudyCount(), 1);
    EXPECT_NE(window.studyBrowser()->table()->item(0, 0)->text(), "HEAD");
}

} // namespace
} // namespace lb::test
