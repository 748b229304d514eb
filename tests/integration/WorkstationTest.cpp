// The workstation `lightbox` as a user starts it, under Xvfb: --open a study from a real cache,
// --screenshot once the series is on screen, --quit. The screenshot is kept in the test output
// folder (look at it) and must show the study list and a non-blank image.
#include "tests/integration/CliTestSupport.h"

#include <gtest/gtest.h>

namespace lb::test {
namespace {

struct Screenshot {
    int width = 0, height = 0;
    int viewerGreyLevels = 0; // in the middle of the right half: the viewer
};

Screenshot analyse(const std::filesystem::path& png)
{
    const auto result = runPython(
        "from PIL import Image; import sys\n"
        "im = Image.open(sys.argv[1]).convert('L'); w, h = im.size\n"
        "viewer = im.crop((w // 2, h // 4, w - 10, 3 * h // 4)); print(w, h, len(set(viewer.getdata())))",
        {png.string()});
    Screenshot shot;
    std::istringstream(result.out) >> shot.width >> shot.height >> shot.viewerGreyLevels;
    return shot;
}

TEST(Workstation, OpensAStudyFromTheCacheAndSavesAScreenshot)
{
    TempDir temp;
    const auto cache = temp / "cache";
    ASSERT_EQ(cli(cache, "import " + shellQuote((sourceDir() / "resources/demo").string())).exitCode, 0);
    const std::string study = cliJson(cache, "studies").at(0).value("study_uid", "");
    const auto output = std::filesystem::path(LB_BINARY_DIR) / "test-output/workstation";
    std::filesystem::create_directories(output);
    const auto screenshot = output / "demo-study.png";
    std::filesystem::remove(screenshot);
    const auto run = runCommand("xvfb-run -a -s '-screen 0 1600x1200x24' " + std::string(LB_GUI) + " --cache " +
                                shellQuote(cache.string()) + " --open " + study + " --screenshot " +
                                shellQuote(screenshot.string()) + " --quit 2>&1");
    ASSERT_EQ(run.exitCode, 0) << run.out;
    // 1366x768 (the laptop size it opens at), and a real picture in the viewer.
    const Screenshot shot = analyse(screenshot);
    EXPECT_EQ(shot.width, 1366);
    EXPECT_EQ(shot.height, 768);
    EXPECT_GT(shot.viewerGreyLevels, 50) << "the viewer looks blank";

    // The MPR layout: three planes.
    const auto mpr = output / "demo-study-mpr.png";
    const auto runMpr = runCommand("xvfb-run -a -s '-screen 0 1600x1200x24' " + std::string(LB_GUI) + " --cache " +
                                   shellQuote(cache.string()) + " --open " + study + " --layout mpr --screenshot " +
                                   shellQuote(mpr.string()) + " --quit 2>&1");
    EXPECT_EQ(runMpr.exitCode, 0) << runMpr.out;
    EXPECT_TRUE(std::filesystem::exists(mpr));

    // HiDPI (scale factor 2): the same window in device pixels, the viewer still drawn whole.
    const auto hidpi = output / "demo-study-hidpi.png";
    const auto runHidpi = runCommand("QT_SCALE_FACTOR=2 xvfb-run -a -s '-screen 0 3000x2000x24' " + std::string(LB_GUI) +
                                     " --cache " + shellQuote(cache.string()) + " --open " + study + " --screenshot " +
                                     shellQuote(hidpi.string()) + " --quit 2>&1");
    EXPECT_EQ(runHidpi.exitCode, 0) << runHidpi.out;
    const Screenshot large = analyse(hidpi);
    EXPECT_EQ(large.width, 2 * 1366);
    EXPECT_EQ(large.height, 2 * 768);
    EXPECT_GT(large.viewerGreyLevels, 50) << "the HiDPI viewer looks blank";

    // The other layouts of the contract: 2x2 (both series of the study) and 3d; a bad name fails.
    for (const std::string layout : {"2x2", "3d"}) {
        const auto shot = output / ("demo-study-" + layout + ".png");
        const auto run = runCommand("xvfb-run -a -s '-screen 0 1600x1200x24' " + std::string(LB_GUI) + " --cache " +
                                    shellQuote(cache.string()) + " --open " + study + " --layout " + layout +
                                    " --screenshot " + shellQuote(shot.string()) + " --quit 2>&1");
        EXPECT_EQ(run.exitCode, 0) << layout << ": " << run.out;
        EXPECT_GT(analyse(shot).viewerGreyLevels, 20) << layout << ": the viewer looks blank";
    }
    // The command line is checked before any window: Qt's offscreen platform is enough, and
    // xvfb-run's own exit status (it once failed cleaning up its temporary folder) stays out of it.
    const auto badLayout = runCommand("QT_QPA_PLATFORM=offscreen " + std::string(LB_GUI) + " --cache " +
                                      shellQuote(cache.string()) + " --layout 3x3 --quit 2>&1");
    EXPECT_EQ(badLayout.exitCode, 2) << badLayout.out;
    EXPECT_NE(badLayout.out.find("1x1, 1x2, 2x1, 2x2, 1x3, 1x4, 2x3, 2x4, mpr or 3d"), std::string::npos) << badLayout.out;

    // Something that is not in the cache: a clear failure, no window left behind.
    const auto missing = runCommand("xvfb-run -a " + std::string(LB_GUI) + " --cache " + shellQuote(cache.string()) +
                                    " --open 1.2.3.4 --screenshot " + shellQuote((temp / "x.png").string()) +
                                    " --quit 2>&1");
    EXPECT_EQ(missing.exitCode, 5) << missing.out;
}

// `--state FILE`: what the window shows, read from the live window once the series has painted.
TEST(Workstation, SessionStateSaysWhatEachViewportShowsWithItsWarnings)
{
    TempDir temp;
    const auto cache = temp / "cache";
    ASSERT_EQ(cli(cache, "import " + shellQuote((testData() / "derived/ct_tilt_18p5").string()) + " " +
                             shellQuote((testData() / "derived/cr_patient_orientation").string())).exitCode, 0);
    const auto studies = cliJson(cache, "studies");
    std::string tiltStudy, crStudy;
    for (const auto& study : studies) {
        const auto series = cliJson(cache, "series " + study.value("study_uid", ""));
        const std::string modality = series.at(0).value("modality", "");
        (modality == "CR" ? crStudy : tiltStudy) = study.value("study_uid", "");
    }
    ASSERT_FALSE(tiltStudy.empty());
    ASSERT_FALSE(crStudy.empty());
    const auto output = std::filesystem::path(LB_BINARY_DIR) / "test-output/workstation";
    std::filesystem::create_directories(output);
    auto stateOf = [&](const std::string& study, const std::string& layout, const std::string& name) {
        const auto state = temp / (name + ".json");
        const auto run = runCommand("xvfb-run -a -s '-screen 0 1600x1200x24' " + std::string(LB_GUI) + " --cache " +
                                    shellQuote(cache.string()) + " --open " + study + " --layout " + layout + " --state " +
                                    shellQuote(state.string()) + " --screenshot " + shellQuote((output / (name + ".png")).string()) +
                                    " --quit 2>&1");
        EXPECT_EQ(run.exitCode, 0) << run.out;
        return readJson(state);
    };

    // The tilted CT in 1x1: its acquired axial slices, the tilt warning on the viewport.
    const auto one = stateOf(tiltStudy, "1x1", "state-tilt-1x1");
    EXPECT_EQ(one.value("layout", ""), "1x1");
    ASSERT_EQ(one["viewports"].size(), 1u);
    const auto& viewport = one["viewports"][0];
    EXPECT_EQ(viewport.value("index", -1), 0);
    EXPECT_EQ(viewport.value("study_uid", ""), tiltStudy);
    EXPECT_EQ(viewport.value("view", ""), "axial");
    EXPECT_EQ(viewport.value("slice", -1), 14); // the middle of 28
    ASSERT_EQ(viewport["window"].size(), 2u);
    EXPECT_EQ(viewport["warnings"], nlohmann::json::array({"gantry tilt 18.5°, resampled for MPR and 3D"}));
    // Issue 15's additions: a 3D series has one time point, shown; a new study starts in W/L; the
    // window lies on the 1600x1200 screen; the keyboard is with the viewer once a study is open.
    EXPECT_EQ(viewport.value("time_point", -1), 0);
    EXPECT_EQ(viewport.value("time_points", -1), 1);
    EXPECT_EQ(viewport.value("active_tool", ""), "wl");
    ASSERT_EQ(one["geometry"].size(), 4u) << one.dump();
    EXPECT_GT(one["geometry"][2].get<int>(), 0);
    EXPECT_LE(one["geometry"][0].get<int>() + one["geometry"][2].get<int>(), 1600);
    EXPECT_LE(one["geometry"][1].get<int>() + one["geometry"][3].get<int>(), 1200);
    EXPECT_EQ(one.value("focus", ""), "viewer");

    // The MPR layout: three planes and 3D, all of that series.
    const auto mpr = stateOf(tiltStudy, "mpr", "state-tilt-mpr");
    ASSERT_EQ(mpr["viewports"].size(), 4u);
    std::vector<std::string> views;
    for (const auto& v : mpr["viewports"]) views.push_back(v.value("view", ""));
    EXPECT_EQ(views, (std::vector<std::string>{"axial", "coronal", "sagittal", "3d"}));
    EXPECT_EQ(mpr.value("focus", ""), "viewer"); // an MPR plane

    // A radiograph without patient geometry: an `image`, no MPR.
    const auto cr = stateOf(crStudy, "1x1", "state-cr-1x1");
    ASSERT_GE(cr["viewports"].size(), 1u);
    EXPECT_EQ(cr["viewports"][0].value("view", ""), "image");
    const auto crMpr = stateOf(crStudy, "mpr", "state-cr-mpr");
    EXPECT_TRUE(crMpr["viewports"].empty()) << crMpr.dump(); // the layout says it needs a volume instead

    // Unevenly spaced slices (a gap in the stack), opened by its series: the warning on the viewport.
    const auto gapCache = temp / "gap-cache";
    ASSERT_EQ(cli(gapCache, "import " + shellQuote((testData() / "derived/ct_variable_increment").string())).exitCode, 0);
    const std::string gapStudy = cliJson(gapCache, "studies").at(0).value("study_uid", "");
    const std::string gapSeries = cliJson(gapCache, "series " + gapStudy).at(0).value("series_uid", "");
    const auto gapState = temp / "state-gap.json";
    const auto gapRun = runCommand("xvfb-run -a -s '-screen 0 1600x1200x24' " + std::string(LB_GUI) + " --cache " +
                                   shellQuote(gapCache.string()) + " --open " + gapSeries + " --state " + shellQuote(gapState.string()) +
                                   " --screenshot " + shellQuote((output / "state-gap-1x1.png").string()) + " --quit 2>&1");
    ASSERT_EQ(gapRun.exitCode, 0) << gapRun.out;
    const auto gap = readJson(gapState);
    ASSERT_EQ(gap["viewports"].size(), 1u);
    EXPECT_EQ(gap["viewports"][0].value("series_uid", ""), gapSeries);
    EXPECT_EQ(gap["viewports"][0].value("study_uid", ""), gapStudy);
    EXPECT_EQ(gap.value("focus", ""), "viewer"); // opened by its series: the keys go to it as well
    bool saysVariable = false;
    for (const auto& warning : gap["viewports"][0]["warnings"])
        saysVariable = saysVariable || warning.get<std::string>().rfind("variable increment: ", 0) == 0;
    EXPECT_TRUE(saysVariable) << gap.dump(1);

    // A study that is not in the cache: non-zero with the reason, no file.
    const auto missing = runCommand("xvfb-run -a " + std::string(LB_GUI) + " --cache " + shellQuote(cache.string()) +
                                    " --open 1.2.3.4 --state " + shellQuote((temp / "none.json").string()) + " --quit 2>&1");
    EXPECT_EQ(missing.exitCode, 5) << missing.out;
    EXPECT_NE(missing.out.find("not found"), std::string::npos) << missing.out;
    EXPECT_FALSE(std::filesystem::exists(temp / "none.json"));
}

} // namespace
} // namespace lb::test
