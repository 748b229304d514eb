#include "viewer/SliceViewer.h"

#include "render/RegularGrid.h"

#include "render/ColourMaps.h"
#include "render/ObliqueRender.h"
#include "render/Vec3.h"


#include <vtkCamera.h>
#include <vtkImageActor.h>
#include <vtkImageData.h>
#include <vtkImageProperty.h>
#include <vtkImageSliceMapper.h>
#include <vtkLookupTable.h>
#include <vtkPointData.h>
#include <vtkDataArray.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace lb::viewer {

struct SliceViewer::Scene {
    vtkSmartPointer<vtkImageData> image = vtkSmartPointer<vtkImageData>::New();
    vtkSmartPointer<vtkImageActor> actor = vtkSmartPointer<vtkImageActor>::New();
    vtkSmartPointer<vtkLookupTable> inverted = vtkSmartPointer<vtkLookupTable>::New(); // MONOCHROME1
    vtkSmartPointer<vtkLookupTable> colour = vtkSmartPointer<vtkLookupTable>::New();   // a colour map
    bool colourReversed = false;
};

SliceViewer::SliceViewer(QWidget* parent) : VtkViewport(parent), m_scene(std::make_unique<Scene>())
{
    m_scene->actor->GetMapper()->SetInputData(m_scene->image);
    m_scene->actor->GetProperty()->SetInterpolationTypeToNearest();
    m_scene->inverted->SetValueRange(1, 0); // white to black
    m_scene->inverted->SetSaturationRange(0, 0);
    m_scene->inverted->SetRampToLinear();
    m_scene->inverted->Build();
    renderer()->AddActor(m_scene->actor);
    renderer()->SetBackground(0, 0, 0);
    renderer()->GetActiveCamera()->ParallelProjectionOn();
    setMouseTracking(true); // the value under the mouse, in the corner
    setFocusPolicy(Qt::StrongFocus);
    connect(&m_cine, &QTimer::timeout, this, &SliceViewer::stepCine);
    updateCursor();
}

SliceViewer::~SliceViewer() = default;

bool SliceViewer::greyTexture() const
{
    return m_rendered && m_rendered->voi != "linear" && m_rendered->rgb.empty();
}

int SliceViewer::sliceCount() const
{
    return m_rendered ? m_rendered->view.depthCount : 0;
}

const core::Volume& SliceViewer::reformatVolume()
{
    if (m_volume->regularGrid) return *m_volume;
    if (!m_regular) {
        auto grid = render::onRegularGrid(m_volume);
        m_regular = grid ? *grid : m_volume;
    }
    return *m_regular;
}

void SliceViewer::setVolume(std::shared_ptr<const core::Volume> volume, render::ViewPlane plane)
{
    const bool another = volume != m_volume;
    if (another) {
        m_regular.reset();
        m_notices.reset();
    }
    m_volume = std::move(volume);
    if (another) {
        // A new series starts at its first time point; a 4D one's cine goes over time.
        m_timePoint = 0;
        m_cineMode = timePoints() > 1 ? CineMode::Time : CineMode::Slices;
        m_valueSpan = m_volume ? sampledValueSpan(*m_volume) : 0;
    }
    m_plane = plane;
    m_haveWindow = false;
    m_zoom = 1;
    m_pan = {0, 0};
    m_inverted = false;
    m_turns = 0;
    m_flipped = false;
    m_presetName.clear();
    m_selected = -1;
    m_editPoint = -1;
    m_creating = false;
    m_hover.reset();
    m_slice = m_volume ? render::viewGeometry(m_volume->geometry(), plane).depthCount / 2 : 0;
    if (!m_volume) {
        // Emptied (another study opened): nothing of the previous patient may stay on screen.
        m_rendered.reset();
        m_information.clear();
        m_referencePlanes.clear();
        m_crosshair.reset();
        m_scene->actor->SetVisibility(false);
        update();
        return;
    }
    m_scene->actor->SetVisibility(true);
    refresh(true);
}

void SliceViewer::setWindow(render::Window window)
{
    m_window = window;
    m_window.width = std::max(1.0, m_window.width);
    m_haveWindow = true;
    if (greyTexture()) refresh(false); // from the modality's own VOI to a window: values again
    else applyWindow();                // on the GPU: the slice's values stay where they are
    update();
    emit windowChanged(m_window.width, m_window.center);
}

void SliceViewer::applyWindow()
{
    auto* property = m_scene->actor->GetProperty();
    if (greyTexture()) {
        // The texture holds the grey of the modality's VOI (table or sigmoid, computed by
        // lb_render, MONOCHROME1 already inverted): shown as it is, 0..255.
        property->SetColorWindow(255);
        property->SetColorLevel(127.5);
        property->SetLookupTable(lookupTable(m_inverted));
        return;
    }
    // VTK maps (x - (level - window/2)) / window to 0..1; the DICOM linear VOI is
    // (x - (c - 0.5 - (w-1)/2)) / (w-1): the same line with window = w-1, level = c-0.5.
    property->SetColorWindow(std::max(1e-6, m_window.width - 1));
    property->SetColorLevel(m_window.center - 0.5);
    if (m_rendered) {
        m_rendered->window = m_window;
        // MONOCHROME1 is shown inverted; the user's invert flips that again. Colour: no table.
        property->SetLookupTable(m_rendered->rgb.empty() ? lookupTable(m_rendered->inverted != m_inverted) : nullptr);
    }
}

void SliceViewer::setSlice(int slice)
{
    if (!m_volume) return;
    if (m_oblique && m_rendered) {
        // An oblique plane moves along its normal, a sample step (the smallest spacing) a slice.
        const int steps = slice - m_slice;
        if (steps == 0) return;
        const auto& normal = m_rendered->view.depthLps;
        const double step = m_rendered->view.depthSpacingMm;
        for (int c = 0; c < 3; ++c) m_oblique->center[c] += normal[c] * step * steps;
        m_slice = slice;
        refresh(false);
        emit sliceChanged(m_slice);
        return;
    }
    const int count = render::viewGeometry(m_volume->geometry(), m_plane).depthCount;
    slice = std::clamp(slice, 0, count - 1);
    if (slice == m_slice && m_rendered) return;
    m_slice = slice;
    refresh(false);
    emit sliceChanged(m_slice);
}

void SliceViewer::refresh(bool fitCamera)
{
    if (!m_volume) return;
    render::SliceRequest request;
    request.plane = m_plane;
    request.slice = m_slice;
    if (m_haveWindow) request.window = m_window;
    request.slabMm = m_slabMm;
    request.slabMode = m_slabMode;
    request.timePoint = m_timePoint;
    core::Result<render::RenderedSlice> rendered = core::makeError(core::ErrorCode::InvalidArgument, "", "");
    if (m_oblique) {
        render::ObliqueRequest oblique;
        oblique.axes = std::array<std::array<double, 3>, 2>{m_oblique->right, m_oblique->down};
        oblique.positionMm = render::dot(render::cross(m_oblique->right, m_oblique->down), m_oblique->center);
        oblique.slabMm = m_slabMm;
        oblique.slabMode = m_slabMode;
        oblique.window = request.window;
        oblique.nearest = !m_linear;
        const core::Volume& grid = reformatVolume();
        oblique.timePoint = std::min(m_timePoint, std::max(1, grid.timePoints()) - 1);
        rendered = render::renderOblique(grid, oblique);
    } else {
        rendered = render::renderSlice(*m_volume, request);
    }
    if (!rendered) return;
    m_rendered = std::make_unique<render::RenderedSlice>(std::move(*rendered));
    const bool colour = !m_rendered->rgb.empty();
    if (!m_haveWindow) {
        m_window = m_rendered->window;
        // An automatic window (from this slice's values) stays for the other slices; the
        // modality's own VOI (its window, function or table) is asked for again on each.
        m_haveWindow = m_rendered->voi == "linear" && !m_volume->storedWindow;
        if (colour) { // as stored (8 bits on screen); a W/L drag is brightness and contrast
            m_window = {128, 256};
            m_haveWindow = true;
        }
    }
    // The slice's modality values as the texture (VTK's row 0 is at the bottom); the window is
    // applied by the image property, so a W/L drag does not touch them.
    const auto& view = m_rendered->view;
    auto& image = *m_scene->image;
    int dims[3];
    image.GetDimensions(dims);
    const int components = colour ? 3 : 1;
    if (dims[0] != view.width || dims[1] != view.height || !image.GetScalarPointer() ||
        image.GetNumberOfScalarComponents() != components) {
        image.SetDimensions(view.width, view.height, 1);
        image.AllocateScalars(VTK_FLOAT, components);
    }
    image.SetSpacing(view.pixelWidthMm, view.pixelHeightMm, 1);
    auto* target = static_cast<float*>(image.GetScalarPointer());
    if (colour) {
        const size_t rowValues = static_cast<size_t>(view.width) * 3;
        for (int y = 0; y < view.height; ++y) {
            float* row = target + static_cast<size_t>(view.height - 1 - y) * rowValues;
            const uint8_t* rgb = m_rendered->rgb.data() + static_cast<size_t>(y) * rowValues;
            for (size_t x = 0; x < rowValues; ++x) row[x] = rgb[x];
        }
    } else if (greyTexture()) {
        for (int y = 0; y < view.height; ++y) {
            float* row = target + static_cast<size_t>(view.height - 1 - y) * view.width;
            const uint8_t* grey = m_rendered->image.pixels.data() + static_cast<size_t>(y) * view.width;
            for (int x = 0; x < view.width; ++x) row[x] = grey[x];
        }
    } else {
        for (int y = 0; y < view.height; ++y)
            std::memcpy(target + static_cast<size_t>(view.height - 1 - y) * view.width,
                        m_rendered->values.data() + static_cast<size_t>(y) * view.width,
                        static_cast<size_t>(view.width) * sizeof(float));
    }
    image.GetPointData()->GetScalars()->Modified();
    image.Modified();
    applyWindow();
    if (fitCamera) placeCamera();
    update();
}

void SliceViewer::initializeGL()
{
    VtkViewport::initializeGL();
    if (m_volume) return;
    // Draw a tiny image once, off the record: VTK compiles the image actor's shaders on its first
    // frame (tens of ms on llvmpipe), which would otherwise delay the first image of a series.
    auto& image = *m_scene->image;
    image.SetDimensions(2, 2, 1);
    image.AllocateScalars(VTK_FLOAT, 1);
    std::memset(image.GetScalarPointer(), 0, 4 * sizeof(float));
    renderWindow()->Render();
    m_scene->actor->SetVisibility(false); // until a series is shown
}

void SliceViewer::resizeGL(int width, int height)
{
    VtkViewport::resizeGL(width, height);
    refresh(true);
}

void SliceViewer::setCrosshair(std::optional<std::array<int, 3>> voxel)
{
    if (!voxel || !m_volume) return setCrosshairPoint(std::nullopt);
    setCrosshairPoint(render::patientPosition(m_volume->geometry(), {double((*voxel)[0]), double((*voxel)[1]), double((*voxel)[2])}));
}

void SliceViewer::setCrosshairPoint(std::optional<std::array<double, 3>> lps)
{
    m_crosshair = lps;
    update();
}

void SliceViewer::setObliquePlane(std::optional<ObliquePlane> plane)
{
    // Oblique planes are trilinear by default (their samples fall between voxels), orthogonal
    // ones nearest; L changes either.
    if (plane.has_value() != m_oblique.has_value()) {
        m_linear = plane.has_value();
        if (m_linear) m_scene->actor->GetProperty()->SetInterpolationTypeToLinear();
        else m_scene->actor->GetProperty()->SetInterpolationTypeToNearest();
    }
    m_oblique = plane;
    m_selected = -1;
    m_creating = false;
    refresh(false);
}

void SliceViewer::setReferencePlanes(std::vector<SlicePlane> planes)
{
    m_referencePlanes = std::move(planes);
    update();
}

void SliceViewer::showPosition(const std::array<double, 3>& lps)
{
    if (!m_rendered || !m_volume) return;
    if (m_oblique) {
        m_oblique->center = lps;
        refresh(false);
        return;
    }
    // Acquired slices: the one nearest the point along the normal, by the slices' own positions
    // (a tilted or unevenly spaced stack is not on its nominal grid).
    const auto& positions = m_volume->slicePositions;
    if (m_rendered->view.depth.volumeAxis == 2 && positions.size() == static_cast<size_t>(m_volume->geometry().dims[2])) {
        const auto& d = m_volume->geometry().direction;
        const double wanted = lps[0] * d[6] + lps[1] * d[7] + lps[2] * d[8];
        int nearest = 0;
        for (int k = 1; k < static_cast<int>(positions.size()); ++k)
            if (std::abs(m_volume->slicePositionAlongNormal(k) - wanted) < std::abs(m_volume->slicePositionAlongNormal(nearest) - wanted))
                nearest = k;
        setSlice(nearest);
        return;
    }
    const auto index = render::voxelIndexOf(m_volume->geometry(), lps);
    setSlice(static_cast<int>(std::lround(index[m_rendered->view.depth.volumeAxis])));
}

void SliceViewer::setNotices(QStringList notices)
{
    setToolTip(notices.isEmpty() ? QString() : "! " + notices.join("\n! "));
    m_notices = std::move(notices);
    update();
}

QStringList SliceViewer::notices() const
{
    if (m_notices) return *m_notices;
    QStringList own;
    if (m_volume)
        for (const auto& warning : m_volume->warnings) own << QString::fromStdString(warning);
    return own;
}

void SliceViewer::setInformation(QStringList lines)
{
    m_information = std::move(lines);
    update();
}

void SliceViewer::rotateQuarter(int turnsClockwise)
{
    m_turns = ((m_turns + turnsClockwise) % 4 + 4) % 4;
    placeCamera();
}

// Mirroring what is on screen turns the rotation the other way round (F R = R^-1 F).
void SliceViewer::flipHorizontal()
{
    m_flipped = !m_flipped;
    m_turns = (4 - m_turns) % 4;
    placeCamera();
}

void SliceViewer::flipVertical()
{
    m_flipped = !m_flipped;
    m_turns = (6 - m_turns) % 4; // a vertical mirror is a horizontal one turned half round
    placeCamera();
}

void SliceViewer::setSlab(double mm, render::SlabMode mode)
{
    m_slabMm = std::max(0.0, mm);
    m_slabMode = mode;
    refresh(false);
}

void SliceViewer::setLinkText(const QString& text)
{
    if (text == m_linkText) return;
    m_linkText = text;
    update();
}

bool SliceViewer::applyPresetNamed(const QString& name)
{
    for (size_t i = 0; i < m_presets.size(); ++i)
        if (name.compare(QString::fromStdString(m_presets[i].name), Qt::CaseInsensitive) == 0) {
            applyPreset(static_cast<int>(i) + 1);
            return true;
        }
    return false;
}

void SliceViewer::applyPreset(int number)
{
    if (number == 0) {
        m_haveWindow = false; // the series' own window, as it opened
        m_presetName.clear();
        refresh(false);
        emit windowChanged(m_window.width, m_window.center);
        return;
    }
    if (number < 1 || number > static_cast<int>(m_presets.size())) return;
    setWindow(m_presets[number - 1].window);
    m_presetName = QString::fromStdString(m_presets[number - 1].name);
}

vtkScalarsToColors* SliceViewer::lookupTable(bool reversed)
{
    if (m_colourMap == "grey") return reversed ? m_scene->inverted.Get() : nullptr;
    if (m_scene->colourReversed != reversed || m_scene->colour->GetNumberOfTableValues() != 256) {
        auto map = render::colourMapNamed(m_colourMap.toStdString());
        m_scene->colour->SetNumberOfTableValues(256);
        for (int i = 0; i < 256; ++i) {
            const auto rgb = map ? map->at((reversed ? 255 - i : i) / 255.0) : std::array<double, 3>{i / 255.0, i / 255.0, i / 255.0};
            m_scene->colour->SetTableValue(i, rgb[0], rgb[1], rgb[2], 1);
        }
        m_scene->colour->Modified();
        m_scene->colourReversed = reversed;
    }
    return m_scene->colour;
}

void SliceViewer::setLinearInterpolation(bool linear)
{
    m_linear = linear;
    if (linear) m_scene->actor->GetProperty()->SetInterpolationTypeToLinear();
    else m_scene->actor->GetProperty()->SetInterpolationTypeToNearest();
    if (m_oblique) refresh(false); // sampled again
    update();
}

bool SliceViewer::setColourMap(const QString& name)
{
    if (name != "grey" && !render::colourMapNamed(name.toStdString())) return false;
    m_colourMap = name;
    m_scene->colour->SetNumberOfTableValues(0); // rebuilt for the new map
    applyWindow();
    update();
    return true;
}

void SliceViewer::setWindowPresets(std::vector<render::WindowPreset> presets)
{
    m_presets = std::move(presets);
}

void SliceViewer::setZoom(double zoom)
{
    m_zoom = std::clamp(zoom, 0.1, 50.0);
    placeCamera();
}

void SliceViewer::resetView()
{
    m_zoom = 1;
    m_pan = {0, 0};
    m_inverted = false;
    m_turns = 0;
    m_flipped = false;
    m_slabMm = 0;
    if (m_volume) setVolume(m_volume, m_plane);
}

void SliceViewer::setInverted(bool inverted)
{
    m_inverted = inverted;
    applyWindow();
    update();
}

void SliceViewer::setCine(bool running, double framesPerSecond)
{
    m_cineFps = std::clamp(framesPerSecond, 1.0, 60.0);
    if (!running) {
        m_cine.stop();
        return;
    }
    m_cine.start(static_cast<int>(1000 / m_cineFps));
}

// The camera looks at the picture's centre (plus the pan) from the front, zoom 1 fitting the
// whole slice into the view.
void SliceViewer::placeCamera()
{
    if (!m_rendered) return;
    const auto& view = m_rendered->view;
    const double height = view.height * view.pixelHeightMm, width = view.width * view.pixelWidthMm;
    const QSize pixels = deviceSize();
    const double aspect = pixels.height() > 0 ? double(pixels.width()) / pixels.height() : 1.0;
    vtkCamera* camera = renderer()->GetActiveCamera();
    const double cx = (view.width - 1) * view.pixelWidthMm / 2 + m_pan[0];
    const double cy = (view.height - 1) * view.pixelHeightMm / 2 + m_pan[1];
    camera->SetFocalPoint(cx, cy, 0);
    // Flipped: seen from behind, a mirror. Turned: the picture's left edge goes up per turn.
    camera->SetPosition(cx, cy, m_flipped ? -1000 : 1000);
    const double angle = m_turns * M_PI / 2, mirror = m_flipped ? -1 : 1;
    camera->SetViewUp(-mirror * std::sin(angle), std::cos(angle), 0);
    const bool sideways = m_turns % 2 == 1;
    camera->SetParallelScale(std::max(sideways ? width : height, (sideways ? height : width) / aspect) / 2 / m_zoom);
    renderer()->ResetCameraClippingRange();
    update();
}

} // namespace lb::viewer
