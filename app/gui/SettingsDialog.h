#pragma once
// Settings, in three tabs. Network: the remote nodes (add, change, remove; an Echo button that
// reports success or the reason), our AE title and storage port. Viewer: what each mouse button
// drags and the window/level presets on the number keys. Cache: which folder the workstation
// opens (at the next start) and its size limit. Nodes, AE, port and limit are stored in the
// cache's index, like `lightbox-cli nodes` and `settings`; the viewer preferences and the cache
// folder per user (ViewerPreferences).
#include "render/VoiLut.h"

#include "app/services/Workstation.h"

#include <QDialog>

#include <array>
#include <filesystem>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QComboBox;
class QPushButton;
class QTableWidget;

namespace lb::app::gui {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(Workstation& workstation, QWidget* parent = nullptr);

    // The node form (for the tests and the list's selection).
    void fillNode(const NodeEntry& node);
    NodeEntry editedNode() const; // the stored node of that name (its other fields kept) + the form
    bool saveNode();   // the form as a node; false (and the reason shown) when it is not valid
    void echoNode();   // C-ECHO with the form's node: echoFinished(ok, text)
    bool saveLocal();  // our AE title and storage port
    // The Viewer and Cache tabs: the preferences and the cache limit; false (reason shown) when a
    // preset is not valid.
    bool savePreferences();
    QString status() const;

    QComboBox* buttonAction(int button) const { return m_buttons[button]; } // 0 left, 1 middle, 2 right
    QTableWidget* presetTable() const { return m_presets; }
    QSpinBox* cacheLimitMb() const { return m_cacheLimit; }
    QLineEdit* cacheLocation() const { return m_cacheLocation; }

signals:
    void echoFinished(bool ok, QString text);
    void preferencesSaved();

private:
    void wireNetworkPage(QPushButton* save, QPushButton* echo, QPushButton* saveLocalButton, QPushButton* remove);
    QWidget* makeViewerPage();
    QWidget* makeCachePage();
    void addPresetRow(const render::WindowPreset& preset);
    void showPresets(const std::vector<render::WindowPreset>& presets);
    void reloadNodes();
    NodeDirectory& m_nodeDirectory;
    RemoteQuery& m_remote;
    CacheMaintenance& m_maintenance;
    std::filesystem::path m_cacheRoot;
    QListWidget* m_nodes;
    QLineEdit* m_name;
    QLineEdit* m_aeTitle;
    QLineEdit* m_host;
    QSpinBox* m_port;
    QComboBox* m_method;
    QCheckBox* m_tls;      // DICOM TLS to this node
    QLineEdit* m_tlsCa;    // its CA file (empty: the system's trust store)
    QLabel* m_listening;   // where our storage SCP listens
    QLineEdit* m_localAe;
    QSpinBox* m_storagePort;
    QLabel* m_status;
    std::array<QComboBox*, 3> m_buttons{};
    QTableWidget* m_presets = nullptr;
    QSpinBox* m_cacheLimit = nullptr;
    QLineEdit* m_cacheLocation = nullptr;
    QLabel* m_cacheUsage = nullptr;
};

} // namespace lb::app::gui
