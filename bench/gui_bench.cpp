// gui_bench CACHE_DIR [STUDY_UID]: the workstation (the real MainWindow) under xvfb-run on a
// cache: start to an exposed, responsive window; opening the study (its largest series) to the
// first image on screen and to the whole series shown; study list filtering per keystroke
// (typing a name and an ID into the search fields, each keystroke re-querying and re-filling
// the table); resident memory idle (nothing open) and with the series open. bench/gui.sh builds
// the cache (2,000 studies + the 400-slice CT) and times dcm2niix on the same series.
#include "app/gui/MainWindow.h"
#include "app/gui/StudyBrowser.h"
#include "cache/StudyQuery.h"

#include <QApplication>
#include <QLineEdit>
#include <QTableWidget>
#include <QWindow>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double residentMb()
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return 0;
}

bool waitFor(const std::function<bool()>& done, int timeoutMs)
{
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!done()) {
        if (Clock::now() > deadline) return false;
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

struct Typing {
    double median = 0, p95 = 0;
    int keystrokes = 0;
};

Typing typeInto(QLineEdit* field, const QString& text)
{
    std::vector<double> ms;
    for (int n = 1; n <= text.size(); ++n) {
        const auto start = Clock::now();
        field->setText(text.left(n)); // as a keystroke does: textChanged -> query -> table
        QApplication::processEvents();
        ms.push_back(msSince(start));
    }
    field->clear();
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 95 / 100)], static_cast<int>(ms.size())};
}

} // namespace

int main(int argc, char** argv)
{
    const auto processStart = Clock::now();
    if (argc < 2) {
        std::fprintf(stderr, "usage: gui_bench CACHE_DIR [STUDY_UID] (under xvfb-run)\n");
        return 2;
    }
    lb::viewer::VtkViewport::prepareApplication();
    QApplication application(argc, argv);
    auto workstation = lb::app::Workstation::open(argv[1]);
    if (!workstation) {
        std::fprintf(stderr, "gui_bench: %s\n", workstation.error().message().c_str());
        return 1;
    }
    lb::app::gui::MainWindow window(std::move(*workstation));
    window.show();
    waitFor([&] { return window.windowHandle() && window.windowHandle()->isExposed(); }, 10000);
    QApplication::processEvents();
    const double startup = msSince(processStart);
    QApplication::processEvents(QEventLoop::AllEvents, 500);
    const double idleMb = residentMb();

    auto* browser = window.studyBrowser();
    const int studies = browser->studyCount();
    const Typing name = typeInto(browser->nameField(), "mülle");
    const Typing id = typeInto(browser->idField(), "PID123");

    // The study to open: the one given, else the one with the most images.
    QString study = argc > 2 ? QString(argv[2]) : QString();
    if (study.isEmpty()) {
        int most = -1;
        for (int r = 0; r < browser->table()->rowCount(); ++r) {
            const int images = browser->table()->item(r, 10)->data(Qt::DisplayRole).toInt();
            if (images > most) {
                most = images;
                study = browser->table()->item(r, 0)->data(Qt::UserRole).toString();
            }
        }
    }
    bool shown = false;
    QObject::connect(&window, &lb::app::gui::MainWindow::seriesShown, [&] { shown = true; });
    auto* view = window.viewerGrid()->viewport(0);
    const auto openStart = Clock::now();
    if (!window.open(study)) {
        std::fprintf(stderr, "gui_bench: cannot open %s\n", qPrintable(study));
        return 1;
    }
    // On screen: the first paint of the viewport that has an image to show.
    double firstImage = 0;
    QObject::connect(view, &lb::viewer::VtkViewport::framePainted, [&] {
        if (firstImage == 0 && view->current()) firstImage = msSince(openStart);
    });
    const double openCall = msSince(openStart);
    waitFor([&] { return firstImage > 0; }, 30000);
    waitFor([&] { return shown; }, 120000);
    (void)view->grabFramebuffer();
    const double wholeSeries = msSince(openStart);
    const int slices = view->volume() ? view->volume()->geometry().dims[2] : 0;
    QApplication::processEvents(QEventLoop::AllEvents, 1000);
    const double openMb = residentMb();

    std::printf("open(): %.0f ms of it synchronous (queries, series list, tag browser)\n", openCall);
    std::printf("cache: %d studies listed; series opened: %d slices\n", studies, slices);
    std::printf("%-44s %10s %s\n", "measure", "value", "target");
    std::printf("%-44s %8.0f ms %s\n", "start to exposed main window (in process)", startup, "<= 1000 ms");
    std::printf("%-44s %8.0f ms %s\n", "open study: first image on screen", firstImage, "<= 150 ms");
    std::printf("%-44s %8.0f ms %s\n", "open study: whole series shown", wholeSeries, "<= 0.5x dcm2niix (bench/gui.sh)");
    std::printf("%-44s %8.1f ms %s (p95 %.1f ms, %d keys)\n", "filter by name, per keystroke (median)", name.median,
                "<= 50 ms", name.p95, name.keystrokes);
    std::printf("%-44s %8.1f ms %s (p95 %.1f ms, %d keys)\n", "filter by ID, per keystroke (median)", id.median, "<= 50 ms",
                id.p95, id.keystrokes);
    std::printf("%-44s %8.0f MB %s\n", "RSS idle (window, nothing open)", idleMb, "< 250 MB");
    std::printf("%-44s %8.0f MB %s\n", "RSS with the series open", openMb, "(the volume itself: 2 bytes a voxel)");
    std::printf("WHOLE_SERIES_MS %.0f\n", wholeSeries);
    return 0;
}
