#pragma once
// Settings: the remote nodes (add, change, remove; an Echo button that reports success or the
// reason), our AE title and storage port. Everything is stored in the cache's index, like
// `lightbox-cli nodes` and `settings`.
#include <QDialog>

#include <filesystem>

class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QComboBox;

namespace lb::app::gui {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(std::filesystem::path index, QWidget* parent = nullptr);

    // The node form (for the tests and the list's selection).
    void fillNode(const QString& name, const QString& aeTitle, const QString& host, int port, const QString& method);
    bool saveNode();   // the form as a node; false (and the reason shown) when it is not valid
    void echoNode();   // C-ECHO with the form's node: echoFinished(ok, text)
    bool saveLocal();  // our AE title and storage port
    QString status() const;

signals:
    void echoFinished(bool ok, QString text);

private:
    void reloadNodes();
    std::filesystem::path m_index;
    QListWidget* m_nodes;
    QLineEdit* m_name;
    QLineEdit* m_aeTitle;
    QLineEdit* m_host;
    QSpinBox* m_port;
    QComboBox* m_method;
    QLineEdit* m_localAe;
    QSpinBox* m_storagePort;
    QLabel* m_status;
};

} // namespace lb::app::gui
