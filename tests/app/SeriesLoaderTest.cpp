// The workstation's series loader: the middle image arrives first (a one-slice volume the view
// shows at once), then the whole series, both on the GUI thread.
#include "app/services/SeriesLoader.h"
#include "tests/support/TestSupport.h"

#include <QCoreApplication>
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
    app::JobBoard board;
    app::SeriesLoader loader(board);
    std::vector<std::pair<std::string, int>> events; // signal, slices
    bool onGuiThread = true;
    QObject::connect(&loader, &app::SeriesLoader::preview, [&](std::shared_ptr<const core::Volume> volume, QString) {
        events.emplace_back("preview", volume->geometry().dims[2]);
        onGuiThread = onGuiThread && QThread::currentThread() == QCoreApplication::instance()->thread();
    });
    QObject::connect(&loader, &app::SeriesLoader::loaded, [&](std::shared_ptr<const core::Volume> volume, QString) {
        events.emplace_back("loaded", volume->geometry().dims[2]);
        onGuiThread = onGuiThread && QThread::currentThread() == QCoreApplication::instance()->thread();
    });
    loader.load(files, "MR");
    QTest::qWaitFor([&] { return events.size() == 2; }, 30000);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0], std::make_pair(std::string("preview"), 1));
    EXPECT_EQ(events[1], std::make_pair(std::string("loaded"), 130));
    EXPECT_TRUE(onGuiThread);
}

TEST(SeriesLoader, MakesTheRegularGridOfATiltedSeriesOffTheGuiThread)
{
    std::vector<std::filesystem::path> files;
    for (const auto& file : filesUnder(testData() / "derived/ct_tilt_18p5"))
        if (file.extension() != ".json" && file.extension() != ".txt") files.push_back(file);
    ASSERT_EQ(files.size(), 28u);
    app::JobBoard board;
    app::SeriesLoader loader(board);
    std::shared_ptr<const core::Volume> loaded, ofVolume, grid;
    QObject::connect(&loader, &app::SeriesLoader::loaded,
                     [&](std::shared_ptr<const core::Volume> volume, QString, int) { loaded = std::move(volume); });
    QObject::connect(&loader, &app::SeriesLoader::regularGrid,
                     [&](std::shared_ptr<const core::Volume> volume, std::shared_ptr<const core::Volume> made, int) {
                         ofVolume = std::move(volume);
                         grid = std::move(made);
                     });
    loader.load(files, "tilted CT");
    loader.previewShown(0);
    EXPECT_TRUE(QTest::qWaitFor([&] { return grid != nullptr; }, 30000));
    ASSERT_TRUE(loaded && grid);
    EXPECT_EQ(ofVolume, loaded); // the grid says which volume it belongs to
    EXPECT_FALSE(loaded->regularGrid);
    EXPECT_TRUE(grid->resampled);
    EXPECT_EQ(grid->geometry().dims, (std::array<int, 3>{512, 607, 28}));
}

} // namespace
} // namespace lb::test
