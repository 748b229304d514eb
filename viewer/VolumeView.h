#pragma once
// The 3D view: a volume rendering of the series in patient space, seen from the front at first.
// Left drag rotates, right drag (or the wheel) zooms, middle drag pans; 1-5 pick a preset
// (resources/presets/volume_presets.json order), R resets; X cuts away the half of the volume
// nearest the viewer (again: whole), to look inside. While the mouse drags the view
// renders coarser (fewer rays: interactive), and once released once more at full quality.
// The ray caster follows the OpenGL renderer: CPU on Mesa's llvmpipe (faster there), GPU else.
#include "core/Volume.h"
#include "viewer/VtkViewport.h"

#include <QString>
#include <QTimer>

#include <array>
#include <memory>
#include <optional>

namespace lb::viewer {

class VolumeView : public VtkViewport {
    Q_OBJECT
public:
    explicit VolumeView(QWidget* parent = nullptr);
    ~VolumeView() override;

    void setVolume(std::shared_ptr<const core::Volume> volume);
    // Empty: the default for the modality (render::defaultVolumePreset). The reader's choice stays
    // while the series shown are of the same modality; a series of another modality starts from
    // its own default (an MR preset on a CT shows nothing useful).
    void setPreset(const QString& name);
    QString preset() const { return m_preset; } // the preset shown
    void resetView();
    // Turns the camera about the view's vertical and horizontal axes (degrees), as a drag does.
    void rotate(double azimuth, double elevation);
    bool interacting() const { return m_interacting; }
    void setInteracting(bool interacting); // coarse while true; a full-quality frame when it ends
    bool cpuRayCast() const { return m_cpuRayCast; }
    // Fractions of the volume along i, j, k ({i0, i1, j0, j1, k0, k1}); none: all of it.
    void setCropBox(std::optional<std::array<double, 6>> box);
    std::optional<std::array<double, 6>> cropBox() const { return m_crop; }
    void cutAwayNearHalf(); // X

protected:
    void initializeGL() override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void paintOverlay(QPainter& painter) override;

private:
    void rebuild();
    struct Scene;
    std::unique_ptr<Scene> m_scene;
    std::shared_ptr<const core::Volume> m_volume;
    QString m_preset;        // shown
    QString m_chosenPreset;  // the reader's choice ("" none), for series of m_chosenFor
    std::string m_chosenFor; // its modality
    std::optional<std::array<double, 6>> m_crop;
    bool m_initialized = false;
    bool m_cpuRayCast = true;
    bool m_interacting = false;
    Qt::MouseButton m_button = Qt::NoButton;
    QPoint m_last;
};

} // namespace lb::viewer
