#include "viewer/VtkViewport.h"

#include <QOpenGLContext>
#include <QPainter>
#include <QOpenGLExtraFunctions>
#include <QSurfaceFormat>
#include <QCoreApplication>

#include <algorithm>

#include <vtkCallbackCommand.h>
#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkOpenGLFramebufferObject.h>
#include <vtkOpenGLState.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>

namespace lb::viewer {
namespace {

// The busy text: the picture dimmed, the words in the middle with a dark box behind them.
void paintBusy(QPainter& painter, const QRect& area, const QString& text)
{
    if (text.isEmpty()) return;
    painter.fillRect(area, QColor(0, 0, 0, 140));
    QFont font = painter.font();
    font.setPixelSize(std::clamp(area.height() / 24, 12, 22));
    painter.setFont(font);
    const QRect box = painter.fontMetrics().boundingRect(area, Qt::AlignCenter | Qt::TextWordWrap, text).adjusted(-10, -6, 10, 6);
    painter.fillRect(box, QColor(20, 20, 20, 220));
    painter.setPen(QColor(255, 210, 90));
    painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, text);
}

} // namespace

struct VtkViewport::Vtk {
    vtkSmartPointer<vtkGenericOpenGLRenderWindow> window = vtkSmartPointer<vtkGenericOpenGLRenderWindow>::New();
    vtkSmartPointer<vtkRenderer> renderer = vtkSmartPointer<vtkRenderer>::New();
    std::vector<unsigned long> observers;
};

void VtkViewport::prepareApplication()
{
    QSurfaceFormat format;
    format.setRenderableType(QSurfaceFormat::OpenGL);
    format.setVersion(3, 2);
    format.setProfile(QSurfaceFormat::CoreProfile);
    format.setDepthBufferSize(24);
    format.setStencilBufferSize(8);
    format.setAlphaBufferSize(8);
    format.setSamples(0);
    QSurfaceFormat::setDefaultFormat(format);
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
}

VtkViewport::VtkViewport(QWidget* parent) : QOpenGLWidget(parent), m_vtk(new Vtk)
{
    m_vtk->window->AddRenderer(m_vtk->renderer);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
}

VtkViewport::~VtkViewport()
{
    makeCurrent(); // VTK releases its GL resources in our context
    for (unsigned long id : m_vtk->observers) m_vtk->window->RemoveObserver(id);
    m_vtk->window->Finalize();
    m_vtk->window->SetReadyForRendering(false);
    doneCurrent();
    delete m_vtk;
}

vtkRenderer* VtkViewport::renderer() const
{
    return m_vtk->renderer;
}

vtkGenericOpenGLRenderWindow* VtkViewport::renderWindow() const
{
    return m_vtk->window;
}

QSize VtkViewport::deviceSize() const
{
    return size() * devicePixelRatioF();
}

void VtkViewport::onRenderWindowEvent(vtkObject*, unsigned long event, void* data)
{
    QOpenGLContext* ours = context();
    switch (event) {
    case vtkCommand::WindowMakeCurrentEvent:
        // Only when not current: rebinding would detach the framebuffer VTK is drawing into.
        // Through the widget (its own offscreen surface): the context's last surface may be gone
        // (a crash when a view was filled right after its layout changed).
        if (ours && QOpenGLContext::currentContext() != ours) makeCurrent();
        break;
    case vtkCommand::WindowIsCurrentEvent:
        *static_cast<bool*>(data) = ours && QOpenGLContext::currentContext() == ours;
        break;
    case vtkCommand::WindowFrameEvent:
        if (!m_inPaint) update(); // VTK rendered outside paintGL (e.g. Render() from code): show it
        break;
    default:
        break;
    }
}

void VtkViewport::initializeGL()
{
    auto& window = *m_vtk->window;
    for (unsigned long event : {vtkCommand::WindowMakeCurrentEvent, vtkCommand::WindowIsCurrentEvent,
                                vtkCommand::WindowFrameEvent})
        m_vtk->observers.push_back(window.AddObserver(event, this, &VtkViewport::onRenderWindowEvent));
    window.SetUseOffScreenBuffers(false);
    window.SetForceMaximumHardwareLineWidth(1);
    window.SetReadyForRendering(true);
    window.SetOwnContext(0);
    window.SetFrameBlitModeToNoBlit(); // paintGL blits into the widget's framebuffer itself
    window.SetMultiSamples(0); // no MSAA framebuffer to resolve: llvmpipe is slow enough
    window.OpenGLInitContext();
    const QSize pixels = deviceSize();
    window.SetSize(pixels.width(), pixels.height());
}

void VtkViewport::resizeGL(int width, int height)
{
    const double ratio = devicePixelRatioF();
    m_vtk->window->SetSize(static_cast<int>(width * ratio), static_cast<int>(height * ratio));
}

void VtkViewport::paintGL()
{
    m_inPaint = true;
    auto& window = *m_vtk->window;
    window.Render();

    // Blit VTK's framebuffer into the widget's, then force alpha to 1 (Mesa would otherwise
    // blend the view with what lies behind the window).
    QOpenGLExtraFunctions* gl = context()->extraFunctions();
    const QSize pixels = deviceSize();
    // Through VTK's state cache: it must know where its blit draws.
    window.GetState()->vtkglBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
    const GLenum target = GL_COLOR_ATTACHMENT0;
    gl->glDrawBuffers(1, &target);
    const bool scissor = gl->glIsEnabled(GL_SCISSOR_TEST);
    if (scissor) {
        window.GetState()->vtkglDisable(GL_SCISSOR_TEST);
        gl->glDisable(GL_SCISSOR_TEST);
    }
    const int* rendered = window.GetRenderFramebuffer()->GetLastSize();
    window.BlitDisplayFramebuffer(0, 0, 0, rendered[0], rendered[1], 0, 0, pixels.width(), pixels.height(),
                                  GL_COLOR_BUFFER_BIT, GL_NEAREST);
    gl->glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
    gl->glClearColor(0, 0, 0, 1);
    gl->glViewport(0, 0, pixels.width(), pixels.height());
    gl->glClear(GL_COLOR_BUFFER_BIT);
    gl->glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
    if (scissor) {
        window.GetState()->vtkglEnable(GL_SCISSOR_TEST);
        gl->glEnable(GL_SCISSOR_TEST);
    }
    {
        // VTK re-reads the GL state at its next Render (SaveGLState), so QPainter may change it.
        QPainter painter(this);
        painter.setRenderHint(QPainter::TextAntialiasing);
        paintOverlay(painter);
        paintBusy(painter, rect(), m_busy);
    }
    m_inPaint = false;
    emit framePainted();
}

void VtkViewport::paintOverlay(QPainter&)
{
}

void VtkViewport::setBusyText(const QString& text)
{
    if (text == m_busy) return;
    m_busy = text;
    update();
    emit busyTextChanged(text);
}

} // namespace lb::viewer
