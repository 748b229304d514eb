// viewer_bench FOLDER [FRAMES]: the real lb_viewer SliceViewer at 1024x1024 (run under xvfb-run:
// Mesa llvmpipe, no GPU) on a series, milliseconds per frame (median and 95th percentile) for a
// window/level drag and for scrolling, each frame painted synchronously (grabFramebuffer: paintGL
// plus a read-back of the picture, the same for every pipeline measured). In the same
// run, the floor: a bare VTK pipeline in the same widget bridge, a vtkImageActor whose
// window/level is changed in its vtkImageProperty (applied on the GPU side), same size.
// Also: a 10 mm thick-slab MIP while scrolling, an oblique MPR plane turning a degree a frame (the
// SliceViewer in its oblique mode, as MprView's Shift+drag drives it), and the 3D view
// (VolumeView) rotating at interactive quality and one frame at rest, all at 1024x1024.
#include "core/VolumeAssembler.h"
#include "render/ViewGeometry.h"
#include "render/VolumeImage.h"
#include "viewer/SliceViewer.h"
#include "viewer/VolumeView.h"

#include <QApplication>
#include <QWindow>

#include <vtkImageActor.h>
#include <vtkImageData.h>
#include <vtkImageProperty.h>
#include <vtkImageSliceMapper.h>
#include <vtkRenderer.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <functional>

namespace {

using Clock = std::chrono::steady_clock;

struct Stats {
    double median = 0, p95 = 0;
};

Stats timeFrames(int frames, const std::function<void(int)>& frame)
{
    std::vector<double> ms;
    for (int i = 0; i < frames; ++i) {
        const auto start = Clock::now();
        frame(i);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 95 / 100)]};
}

void print(const char* name, Stats stats, double floorMedian, const char* budget)
{
    std::printf("%-32s %8.1f %8.1f %8s %s\n", name, stats.median, stats.p95,
                floorMedian > 0 ? QString::number(stats.median / floorMedian, 'f', 2).toUtf8().constData() : "-", budget);
}

// Shown and exposed, so that repaint() really paints.
void showExposed(QWidget& widget)
{
    widget.show();
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline && !(widget.windowHandle() && widget.windowHandle()->isExposed()))
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    QApplication::processEvents();
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: viewer_bench FOLDER [FRAMES] (under xvfb-run)\n");
        return 2;
    }
    const int frames = argc > 2 ? std::max(5, std::atoi(argv[2])) : 60;
    lb::viewer::VtkViewport::prepareApplication();
    QApplication application(argc, argv);

    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[1]))
        if (entry.is_regular_file() && entry.path().filename() != "oracle.json") files.push_back(entry.path());
    auto loaded = lb::core::assembleVolumes(files);
    if (!loaded || loaded->volumes.empty()) {
        std::fprintf(stderr, "viewer_bench: no volume in %s\n", argv[1]);
        return 1;
    }
    const auto volume = lb::core::largestVolume(*loaded);
    const auto& g = volume->geometry();

    // The floor: one axial slice as a vtkImageActor, W/L changed in its property.
    lb::viewer::VtkViewport bare;
    bare.resize(1024, 1024);
    showExposed(bare);
    auto image = lb::render::wrapVolume(volume);
    vtkNew<vtkImageActor> actor;
    actor->GetMapper()->SetInputData(image);
    actor->SetDisplayExtent(0, g.dims[0] - 1, 0, g.dims[1] - 1, g.dims[2] / 2, g.dims[2] / 2);
    bare.renderer()->AddActor(actor);
    bare.renderer()->ResetCamera();
    QApplication::processEvents();
    const Stats floorWl = timeFrames(frames, [&](int i) {
        actor->GetProperty()->SetColorWindow(400 + 4 * i);
        actor->GetProperty()->SetColorLevel(40 + i);
        (void)bare.grabFramebuffer(); // paints synchronously (paintGL), same cost for both
    });
    bare.hide();

    lb::viewer::SliceViewer view;
    view.resize(1024, 1024);
    showExposed(view);
    view.setVolume(volume);
    QApplication::processEvents();
    const Stats wl = timeFrames(frames, [&](int i) {
        view.setWindow({40.0 + i, 400.0 + 4 * i});
        (void)view.grabFramebuffer();
    });
    const Stats scroll = timeFrames(frames, [&](int i) {
        view.setSlice(i % std::max(1, g.dims[2]));
        (void)view.grabFramebuffer();
    });

    view.setSlab(10, lb::render::SlabMode::Mip);
    const Stats slab = timeFrames(frames, [&](int i) {
        view.setSlice(i % std::max(1, g.dims[2]));
        (void)view.grabFramebuffer();
    });
    view.setSlab(0);

    // Oblique MPR: a coronal plane through the centre turned a degree more each frame about the
    // axial normal (Shift+drag in the axial plane of the MPR view does this).
    const auto centre = lb::render::patientPosition(g, {(g.dims[0] - 1) / 2.0, (g.dims[1] - 1) / 2.0, (g.dims[2] - 1) / 2.0});
    const Stats oblique = timeFrames(std::min(frames, 30), [&](int i) {
        const double a = (1.0 + i) * M_PI / 180;
        view.setObliquePlane(lb::viewer::ObliquePlane{centre, {std::cos(a), std::sin(a), 0}, {0, 0, -1}});
        (void)view.grabFramebuffer();
    });
    view.hide();

    lb::viewer::VolumeView volumeView;
    volumeView.resize(1024, 1024);
    showExposed(volumeView);
    volumeView.setVolume(volume);
    (void)volumeView.grabFramebuffer(); // the first frame builds the ray caster's tables
    volumeView.setInteracting(true);
    const Stats vrMoving = timeFrames(std::min(frames, 30), [&](int) {
        volumeView.rotate(3, 0);
        (void)volumeView.grabFramebuffer();
    });
    volumeView.setInteracting(false);
    const Stats vrStill = timeFrames(3, [&](int) {
        volumeView.rotate(3, 0);
        (void)volumeView.grabFramebuffer();
    });

    std::printf("series %s: %dx%dx%d, %d frames each, view 1024x1024 (device pixels %dx%d)\n", argv[1], g.dims[0],
                g.dims[1], g.dims[2], frames, view.deviceSize().width(), view.deviceSize().height());
    std::printf("%-32s %8s %8s %8s %s\n", "operation", "median", "p95", "/floor", "target");
    print("bare VTK W/L drag (floor)", floorWl, 0, "");
    print("SliceViewer W/L drag", wl, floorWl.median, "<= 16 ms and <= 1.2x floor");
    print("SliceViewer scroll", scroll, floorWl.median, "<= 16 ms");
    print("SliceViewer scroll, 10 mm MIP slab", slab, floorWl.median, "<= 50 ms");
    print("oblique MPR plane turning", oblique, floorWl.median, "<= 33 ms");
    print(volumeView.cpuRayCast() ? "3D rotating, interactive (CPU rays)" : "3D rotating, interactive (GPU)", vrMoving, 0, "<= 100 ms");
    print("3D at rest, full quality", vrStill, 0, "<= 1500 ms");
    return 0;
}
