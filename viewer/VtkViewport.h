#pragma once
// VTK hosted in a Qt 6 QOpenGLWidget (Debian's VTK Qt module is built for Qt 5). VTK renders
// with Qt's context into its own framebuffer inside paintGL; the result is blitted into the
// widget's framebuffer. The traps (../shared/ARCHITECTURE.md): prepareApplication() before
// QApplication; VTK's make-current requests answered only when the context is not current
// (QOpenGLWidget::makeCurrent would rebind the FBO behind VTK's back); alpha forced to 1;
// sizes in device pixels; render only inside paintGL.
#include <QOpenGLWidget>
#include <QString>

class QPainter;

class vtkGenericOpenGLRenderWindow;
class vtkRenderer;
class vtkObject;

namespace lb::viewer {

class VtkViewport : public QOpenGLWidget {
    Q_OBJECT
public:
    // OpenGL 3.2 core as the default surface format, shared contexts. Before QApplication.
    static void prepareApplication();

    explicit VtkViewport(QWidget* parent = nullptr);
    ~VtkViewport() override;

    vtkRenderer* renderer() const;
    vtkGenericOpenGLRenderWindow* renderWindow() const;
    // Size of the drawing surface in device pixels (HiDPI aware).
    QSize deviceSize() const;
    // What the view is waiting for ("loading CT 3 (120/300)"), written in its middle over a dimmed
    // picture until cleared with ""; a cell never stays black without saying why.
    void setBusyText(const QString& text);
    QString busyText() const { return m_busy; }

signals:
    void framePainted(); // at the end of each paintGL: the picture is in the widget
    void busyTextChanged(QString text);

protected:
    // Drawn over the VTK picture at the end of each paint (text, scale bars): logical pixels.
    virtual void paintOverlay(QPainter& painter);

    void initializeGL() override;
    void resizeGL(int width, int height) override;
    void paintGL() override;

private:
    void onRenderWindowEvent(vtkObject* caller, unsigned long event, void* data);
    struct Vtk;
    Vtk* m_vtk;
    bool m_inPaint = false;
    QString m_busy;
};

} // namespace lb::viewer
