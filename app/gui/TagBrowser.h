#pragma once
// The DICOM attributes of one file (meta header and data set, sequences as expandable items)
// with a search field: a keyword ("Window"), a tag ("0028,0030" or "00280030") or a value.
// Tag, keyword and VR stay narrow so that the value shows in a narrow dock; a value's tooltip
// holds it whole.
#include <QWidget>

#include <filesystem>

class QLineEdit;
class QTreeWidget;

namespace lb::app::gui {

class TagBrowser : public QWidget {
    Q_OBJECT
public:
    explicit TagBrowser(QWidget* parent = nullptr);
    // False (and an explanation in the list) when the file cannot be read.
    bool setFile(const std::filesystem::path& file);
    void setFilter(const QString& text);
    QTreeWidget* tree() const { return m_tree; }
    QSize sizeHint() const override; // wide enough for tag, keyword, VR and some of the value

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitKeywordColumn();
    QLineEdit* m_filter;
    QTreeWidget* m_tree;
};

} // namespace lb::app::gui
