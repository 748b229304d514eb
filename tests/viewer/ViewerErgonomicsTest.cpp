// The reading room's ergonomics (issue 15, items 2, 4, 5 and 12), in a real window under Xvfb,
// driven by real input events through the window (QTest's QWindow overloads go through Qt's
// platform event path to the widget that has focus or is under the mouse):
//  - the tool is visible (cursor), grid-wide, and Esc returns every viewport to window/level;
//  - a window/level drag covers a large part of the series' values (not 14 of W 80 per 200 px);
//  - a 4D fMRI shows "t n/N", steps through time by keys and slider, and cine goes over time;
//  - measurement labels keep inside the view and off one another; the corner text keeps off
//    the orientation letters on a small viewport.
// Screenshots go to the test output folder (ergonomics-*.png).
#include "app/gui/SettingsDialog.h"
#include "app/gui/ViewerPreferences.h"
#include "core/VolumeAssembler.h"
#include "render/SliceRender.h"
#include "tests/support/TestSupport.h"
#include "tests/viewer/CtPhantom.h"
#include "tests/viewer/ViewerTestSupport.h"
#include "viewer/ViewerGrid.h"

#include <QApplication>
#include <QDoubleSpinBox>
#include <QPainter>
#include <QSignalSpy>
#include <QSlider>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QVBoxLayout>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

using viewer::SliceViewer;
using viewer::Tool;

// The run at QT_SCALE_FACTOR=2 (its own ctest entry) keeps its screenshots apart: *-scale2.png.
std::filesystem::path outputPath(const std::string& name)
{
    std::filesystem::create_directories(LB_TEST_OUTPUT);
    const std::string suffix = qEnvironmentVariableIsSet("QT_SCALE_FACTOR") ? "-scale" + qgetenv("QT_SCALE_FACTOR").toStdString() : "";
    return std::filesystem::path(LB_TEST_OUTPUT) / (name + suffix + ".png");
}

// The window with its GL viewports painted in (grab() alone leaves them black).
void screenshot(QWidget& window, const std::string& name)
{
    QApplication::processEvents();
    QImage image = window.grab().toImage();
    QPainter painter(&image);
    for (auto* view : window.findChildren<SliceViewer*>())
        if (view->isVisible()) painter.drawImage(QRect(view->mapTo(&window, QPoint(0, 0)), view->size()), view->grabFramebuffer());
    painter.end();
    image.save(QString::fromStdString(outputPath(name).string()));
}

QWindow* windowOf(QWidget* widget)
{
    return widget->window()->windowHandle();
}

QPoint inWindow(QWidget* widget, QPointF point)
{
    return widget->mapTo(widget->window(), point.toPoint());
}

// A click on a widget through the window (focus follows, as for the user).
void click(QWidget* widget, QPointF at)
{
    QTest::mouseClick(windowOf(widget), Qt::LeftButton, Qt::NoModifier, inWindow(widget, at));
    QApplication::processEvents();
}

// A left drag through the window: press, moves in steps, release.
void dragThroughWindow(QWidget* widget, QPointF from, QPointF to)
{
    QWindow* window = windowOf(widget);
    QTest::mousePress(window, Qt::LeftButton, Qt::NoModifier, inWindow(widget, from));
    for (int step = 1; step <= 4; ++step)
        QTest::mouseMove(window, inWindow(widget, from + (to - from) * step / 4.0));
    QTest::mouseRelease(window, Qt::LeftButton, Qt::NoModifier, inWindow(widget, to));
    QApplication::processEvents();
}

void key(QWidget* widget, Qt::Key k, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QTest::keyClick(windowOf(widget), k, modifiers);
    QApplication::processEvents();
}

struct Shown {
    QWidget window;
    viewer::ViewerGrid* grid = nullptr;
};

std::unique_ptr<Shown> showGrid(viewer::Layout layout, QSize size)
{
    auto shown = std::make_unique<Shown>();
    auto* column = new QVBoxLayout(&shown->window);
    column->setContentsMargins(0, 0, 0, 0);
    shown->grid = new viewer::ViewerGrid(&shown->window);
    column->addWidget(shown->grid);
    shown->grid->setLayout(layout);
    shown->window.resize(size);
    shown->window.show();
    shown->window.activateWindow();
    if (!QTest::qWaitForWindowExposed(&shown->window)) return nullptr;
    (void)QTest::qWaitForWindowActive(&shown->window);
    return shown;
}

std::shared_ptr<const core::Volume> fmri()
{
    std::vector<std::filesystem::path> files;
    for (const auto& file : filesUnder(testData() / "mr_ge_discovery_epi_4d"))
        if (file.extension() == ".dcm") files.push_back(file);
    auto loaded = core::assembleVolumes(files);
    return loaded.ok() ? core::largestVolume(*loaded) : nullptr;
}

TEST(ViewerErgonomics, TheToolIsGridWideShownByTheCursorAndEscReturnsToWindowLevel)
{
    auto volume = ctPhantom();
    ASSERT_TRUE(volume);
    auto shown = showGrid(viewer::Layout::OneByTwo, {1000, 520});
    ASSERT_TRUE(shown);
    auto* grid = shown->grid;
    grid->showVolume(0, volume, {"PHANTOM"});
    grid->showVolume(1, volume, {"PHANTOM"});
    SliceViewer* left = grid->viewport(0);
    SliceViewer* right = grid->viewport(1);
    QSignalSpy toolChanges(grid, &viewer::ViewerGrid::toolChanged);
    const auto wlCursor = left->cursor().shape();
    EXPECT_NE(wlCursor, Qt::ArrowCursor) << "window/level has a cursor of its own";

    click(left, {100, 100}); // focus, as the user's click gives it
    ASSERT_EQ(QApplication::focusWidget(), left);
    key(left, Qt::Key_D);
    EXPECT_EQ(grid->tool(), Tool::Distance);
    EXPECT_EQ(left->tool(), Tool::Distance);
    EXPECT_EQ(right->tool(), Tool::Distance) << "the tool is the grid's";
    EXPECT_EQ(toolChanges.count(), 1);
    EXPECT_EQ(right->cursor().shape(), Qt::CrossCursor);
    EXPECT_STREQ(viewer::toolName(grid->tool()), "distance");

    // A left drag in the other viewport measures there; the window is left alone.
    const auto window = right->window();
    dragThroughWindow(right, {150, 150}, {300, 200});
    EXPECT_EQ(right->visibleMeasurements().size(), 1u);
    EXPECT_EQ(right->window().width, window.width);

    // Esc (where the focus is) returns every viewport to window/level; the drag then windows.
    key(left, Qt::Key_Escape);
    EXPECT_EQ(grid->tool(), Tool::WindowLevel);
    EXPECT_EQ(right->tool(), Tool::WindowLevel);
    EXPECT_EQ(right->cursor().shape(), wlCursor);
    EXPECT_EQ(toolChanges.count(), 2);
    dragThroughWindow(right, {100, 300}, {200, 300});
    EXPECT_GT(right->window().width, window.width);

    // Z: a left drag up zooms; G: pans (open hand); W: window/level again.
    key(left, Qt::Key_Z);
    EXPECT_EQ(right->tool(), Tool::Zoom);
    const double zoom = right->zoom();
    dragThroughWindow(right, {200, 300}, {200, 200});
    EXPECT_GT(right->zoom(), zoom * 1.3);
    key(left, Qt::Key_G);
    EXPECT_EQ(right->cursor().shape(), Qt::OpenHandCursor);
    key(left, Qt::Key_W);
    EXPECT_EQ(grid->tool(), Tool::WindowLevel);
    EXPECT_EQ(toolChanges.count(), 5);

    // The crosshair tool: a plain left click picks the point (what Ctrl+click did).
    grid->setTool(Tool::Crosshair);
    EXPECT_EQ(left->tool(), Tool::Crosshair);
    QSignalSpy picks(right, &SliceViewer::pointPicked);
    click(right, {200, 200});
    EXPECT_EQ(picks.count(), 1);

    // The names are a JSON contract.
    const char* names[] = {"wl", "zoom", "pan", "scroll", "crosshair", "distance", "angle", "rectangle", "ellipse", "freehand"};
    for (int t = 0; t < 10; ++t) {
        EXPECT_STREQ(viewer::toolName(static_cast<Tool>(t)), names[t]);
        Tool parsed = Tool::WindowLevel;
        EXPECT_TRUE(viewer::parseTool(names[t], parsed));
        EXPECT_EQ(parsed, static_cast<Tool>(t));
    }
    Tool unknown = Tool::Zoom;
    EXPECT_FALSE(viewer::parseTool("laser", unknown));
}

TEST(ViewerErgonomics, AWindowLevelDragCoversALargePartOfTheSeriesValues)
{
    auto volume = ctPhantom();
    ASSERT_TRUE(volume);
    auto shown = showGrid(viewer::Layout::One, {512, 512});
    ASSERT_TRUE(shown);
    auto* grid = shown->grid;
    grid->showVolume(0, volume, {});
    SliceViewer* view = grid->viewport(0);
    view->setWindow({40, 80}); // CT brain

    // The drag: 200 px to the right changed W 80 to 94. A drag across the view now covers
    // the 1st..99th percentile span of the series (air to bone here, over a thousand HU).
    const double span = viewer::sampledValueSpan(*volume);
    EXPECT_GT(span, 1000);
    dragThroughWindow(view, {150, 250}, {350, 250});
    const double changed = view->window().width - 80;
    EXPECT_GT(changed, 300) << "W " << view->window().width;
    EXPECT_NEAR(changed, span * 200 / view->width(), 2);

    // Vertical: the level by the same rule (down: higher level).
    view->setWindow({40, 80});
    dragThroughWindow(view, {250, 150}, {250, 250});
    EXPECT_NEAR(view->window().center - 40, span * 100 / view->width(), 2);

    // The setting scales it, for every viewport of the grid.
    grid->setWindowSensitivity(0.5);
    view->setWindow({40, 80});
    dragThroughWindow(view, {150, 250}, {350, 250});
    EXPECT_NEAR(view->window().width - 80, changed / 2, 2);
}

// The speed typed into Settings > Viewer beside the mouse buttons is kept and applied by the
// workstation to its viewports.
TEST(ViewerErgonomics, TheWindowLevelDragSpeedIsASettingTheWorkstationApplies)
{
    TempDir temp;
    auto cache = cache::LocalCache::open(temp / "cache");
    ASSERT_TRUE(cache.ok());
    {
        auto workstation = app::Workstation::open(temp / "cache");
        ASSERT_TRUE(workstation.ok());
        app::gui::SettingsDialog dialog(**workstation);
        auto* speed = dialog.findChild<QDoubleSpinBox*>("windowSensitivity");
        ASSERT_TRUE(speed);
        EXPECT_EQ(speed->value(), 1.0);
        dialog.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
        speed->window()->activateWindow();
        (void)QTest::qWaitForWindowActive(&dialog);
        // Its tab clicked, then the field, then typed into, as the user does.
        auto* tabs = dialog.findChild<QTabWidget*>();
        ASSERT_TRUE(tabs);
        for (int i = 0; i < tabs->count(); ++i)
            if (tabs->widget(i)->isAncestorOf(speed)) click(tabs->tabBar(), QRectF(tabs->tabBar()->tabRect(i)).center());
        ASSERT_TRUE(speed->isVisible());
        click(speed, {speed->width() / 3.0, speed->height() / 2.0});
        QTest::keyClick(windowOf(speed), Qt::Key_A, Qt::ControlModifier);
        for (Qt::Key k : {Qt::Key_2, Qt::Key_Period, Qt::Key_5}) QTest::keyClick(windowOf(speed), k);
        QTest::keyClick(windowOf(speed), Qt::Key_Tab);
        EXPECT_EQ(speed->value(), 2.5);
        ASSERT_TRUE(dialog.savePreferences());
    }
    EXPECT_EQ(app::gui::ViewerPreferences::load().windowSensitivity, 2.5);
    app::gui::MainWindow window(workstationOver(std::move(*cache)));
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    EXPECT_EQ(window.viewerGrid()->viewport(0)->windowSensitivity(), 2.5);
    app::gui::ViewerPreferences().save(); // the defaults again for the other tests
}

TEST(ViewerErgonomics, AFourDSeriesShowsItsTimePointAndStepsThroughTime)
{
    auto volume = fmri();
    ASSERT_TRUE(volume);
    ASSERT_EQ(volume->timePoints(), 10); // oracle: 64 x 64 x 15 x 10
    auto shown = showGrid(viewer::Layout::One, {640, 600});
    ASSERT_TRUE(shown);
    auto* grid = shown->grid;
    grid->showVolume(0, volume, {"fMRI", "Axial EPI-FMRI"});
    SliceViewer* view = grid->viewport(0);
    EXPECT_EQ(view->timePoints(), 10);
    EXPECT_EQ(view->timePoint(), 0);
    EXPECT_TRUE(view->overlayLayout().cornerLines[0].join("|").contains("t 1/10"));
    QSlider* slider = grid->timeSlider(0);
    EXPECT_TRUE(slider->isVisible());
    EXPECT_EQ(slider->maximum(), 9);

    // An ellipse ROI on this slice: its statistics follow the time point shown.
    click(view, {320, 280});
    key(view, Qt::Key_E);
    dragThroughWindow(view, {250, 220}, {390, 330});
    ASSERT_EQ(view->visibleMeasurements().size(), 1u);
    const QString atFirst = view->visibleMeasurements()[0]->text;
    key(view, Qt::Key_Escape);

    // Period: the next time point; the picture is lb_render's slice of that time point.
    QSignalSpy timeChanges(view, &SliceViewer::timePointChanged);
    key(view, Qt::Key_Period);
    EXPECT_EQ(view->timePoint(), 1);
    EXPECT_EQ(timeChanges.count(), 1);
    EXPECT_EQ(slider->value(), 1);
    EXPECT_TRUE(view->overlayLayout().cornerLines[0].join("|").contains("t 2/10"));
    render::SliceRequest request;
    request.plane = view->plane();
    request.slice = view->slice();
    request.timePoint = 1;
    auto expected = render::renderSlice(*volume, request);
    ASSERT_TRUE(expected.ok());
    EXPECT_EQ(view->current()->values, expected->values);
    request.timePoint = 0;
    EXPECT_NE(view->current()->values, render::renderSlice(*volume, request)->values) << "time point 2 is another picture";
    viewer::Measurement remeasured = *view->visibleMeasurements()[0];
    remeasured.timePoint = 1;
    viewer::measure(*volume, remeasured);
    EXPECT_EQ(view->visibleMeasurements()[0]->timePoint, 1);
    EXPECT_EQ(view->visibleMeasurements()[0]->text, remeasured.text);
    EXPECT_NE(view->visibleMeasurements()[0]->text, atFirst);
    screenshot(shown->window, "ergonomics-4d-t2");

    // Comma back, clamped at the first; the last time point by the slider.
    key(view, Qt::Key_Comma);
    key(view, Qt::Key_Comma);
    EXPECT_EQ(view->timePoint(), 0);
    click(slider, {slider->width() - 4.0, slider->height() / 2.0}); // a click at its right end
    EXPECT_EQ(view->timePoint(), 9);

    // Cine goes over time for a 4D series (the slice stays); Shift+C switches to slices.
    EXPECT_EQ(view->cineMode(), viewer::CineMode::Time);
    const int slice = view->slice();
    key(view, Qt::Key_C);
    QTest::qWait(450);
    key(view, Qt::Key_C);
    EXPECT_FALSE(view->cineRunning());
    EXPECT_NE(view->timePoint(), 9) << "cine at 10 fps for 0.45 s moved on in time (looping)";
    EXPECT_EQ(view->slice(), slice);
    key(view, Qt::Key_C, Qt::ShiftModifier);
    EXPECT_EQ(view->cineMode(), viewer::CineMode::Slices);
    const int time = view->timePoint();
    key(view, Qt::Key_C);
    QTest::qWait(450);
    key(view, Qt::Key_C);
    EXPECT_NE(view->slice(), slice);
    EXPECT_EQ(view->timePoint(), time);

    // A 3D series has one time point, no slider and no "t".
    grid->showVolume(0, ctPhantom(), {});
    EXPECT_EQ(view->timePoints(), 1);
    EXPECT_FALSE(slider->isVisible());
    const auto layout = view->overlayLayout();
    for (const QString& line : layout.cornerLines[0]) EXPECT_FALSE(line.startsWith("t ")) << line.toStdString();
}

TEST(ViewerErgonomics, MeasurementLabelsStayInsideTheViewAndApart)
{
    auto volume = ctPhantom();
    ASSERT_TRUE(volume);
    auto shown = showGrid(viewer::Layout::One, {420, 420});
    ASSERT_TRUE(shown);
    SliceViewer* view = shown->grid->viewport(0);
    shown->grid->showVolume(0, volume, {});
    view->setSlice(20);
    click(view, {50, 50});
    // Two distances side by side near the lower right corner (where the labels used to run off
    // the view), and a box whose three-line label falls on them.
    key(view, Qt::Key_D);
    dragThroughWindow(view, {300, 330}, {392, 392});
    dragThroughWindow(view, {290, 320}, {388, 396});
    key(view, Qt::Key_B);
    dragThroughWindow(view, {250, 300}, {380, 380});
    ASSERT_EQ(view->visibleMeasurements().size(), 3u);
    const auto labels = view->measurementLabelRects();
    ASSERT_EQ(labels.size(), 3u);
    const QRectF bounds(QPointF(0, 0), QSizeF(view->size()));
    for (size_t i = 0; i < labels.size(); ++i) {
        EXPECT_FALSE(labels[i].isEmpty());
        EXPECT_TRUE(bounds.contains(labels[i])) << "label " << i << " inside the view";
        for (size_t j = 0; j < i; ++j) EXPECT_FALSE(labels[i].intersects(labels[j])) << "labels " << j << " and " << i;
    }
    const QImage image = view->grabFramebuffer();
    image.save(QString::fromStdString(outputPath("ergonomics-measurement-labels").string()));
}

// QT_SCALE_FACTOR=2 cannot be set once the test's QApplication exists: the ctest entry
// viewer.ViewerErgonomics.AtScaleFactor2 runs this test and the labels' one again in a process
// of their own with it set. What it changes for the overlay is the logical size of the view (everything is laid out in logical pixels, the font
// in logical pixels too). A 2x2 layout of a 1366x768 laptop at scale 2 gives cells of about
// 330x170 logical pixels: that view is laid out here, with long patient lines, a notice badge
// and a link line, where the old layout put the patient's lines over the top letter and the
// lower-left lines over the side letters.
TEST(ViewerErgonomics, CornerTextKeepsOffTheOrientationLettersOnASmallView)
{
    auto volume = ctPhantom();
    ASSERT_TRUE(volume);
    auto shown = showGrid(viewer::Layout::One, {330, 170});
    ASSERT_TRUE(shown);
    SliceViewer* view = shown->grid->viewport(0);
    shown->grid->showVolume(0, volume,
                            {"VERY^LONG^PATIENT^NAME^OF^A^PHANTOM", "ID 1234567890", "45Y F", "2026-12-03",
                             "Axial 5 mm head, a long series description"});
    view->setNotices({"slices missing between 12 and 13"});
    view->setLinkText("linked: registered");
    view->setSlab(10);
    QApplication::processEvents();
    const auto layout = view->overlayLayout();
    const QRectF bounds(QPointF(0, 0), QSizeF(view->size()));
    for (int e = 0; e < 4; ++e) EXPECT_FALSE(layout.letters[e].isEmpty()) << "letter " << e;
    for (int c = 0; c < 4; ++c) {
        if (layout.corners[c].isEmpty()) continue;
        EXPECT_TRUE(bounds.contains(layout.corners[c])) << "corner " << c;
        for (int e = 0; e < 4; ++e) EXPECT_FALSE(layout.corners[c].intersects(layout.letters[e])) << "corner " << c << ", letter " << e;
        for (int d = 0; d < c; ++d) EXPECT_FALSE(layout.corners[c].intersects(layout.corners[d])) << "corners " << d << ", " << c;
    }
    EXPECT_FALSE(layout.cornerLines[0].isEmpty()) << "the slice line is kept";
    EXPECT_FALSE(layout.cornerLines[2].isEmpty()) << "the window line is kept";
    screenshot(shown->window, "ergonomics-small-view-overlay");
}

} // namespace
} // namespace lb::test
