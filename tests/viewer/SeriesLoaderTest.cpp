// The workstation's series loader: the middle image arrives first (a one-slice volume the view
// shows at once), then the whole series, both on the GUI thread.
#include "app/gui/SeriesLoader.h"
#include "tests/support/TestSupport.h"

#include <QApplication>
#include <QTest>
#include <QThread>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

TEST(SeriesLoader, ShowsTheFirstImageBeforeTheWholeSeries)
{
    std::vector<std::filesystem::path> files;
    for (const auto& file : filesUnder(testData() / "mr_ge_pioneer_t1_mprage_3d"))
        if (file.filename() != "oracle.json") files.push_back(file);
    ASSERT_EQ(files.size(), 130u);
    app::gui::SeriesLoader loader;
    std::vector<std::pair<std::string, int>> events; // signal, slices
    bool onGuiThread = true;
    QObject::connect(&loader, &app::gui::SeriesLoader::preview, [&](std::shared_ptr<const core::Volume> volume, QString) {
        events.emplace_back("preview", volume->geometry().dims[2]);
        onGuiThread = onGuiThread && QThread::currentThread() == qApp->thread();
    });
    QObject::connect(&loader, &app::gui::SeriesLoader::loaded, [&](std::shared_ptr<const core::Volume> volume, QString) {
        events.emplace_back("loaded", volume->geometry().dims[2]);
        onGuiThread = onGuiThread && QThread::currentThread() == qApp->thread();
    });
    loader.load(files, "MR");
    QTest::qWaitFor([&] { return events.size() == 2; }, 30000);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0], std::make_pair(std::string("preview"), 1));
    EXPECT_EQ(events[1], std::make_pair(std::string("loaded"), 130));
    EXPECT_TRUE(onGuiThread);
}

} // namespace
} // namespace lb::test
