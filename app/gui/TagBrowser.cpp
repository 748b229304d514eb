#include "app/gui/TagBrowser.h"

#include "core/DicomTagDump.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

namespace lb::app::gui {
namespace {

QString tagText(const core::TagEntry& entry)
{
    return QString("%1,%2").arg(entry.group, 4, 16, QChar('0')).arg(entry.element, 4, 16, QChar('0')).toUpper();
}

void addEntries(QTreeWidgetItem* parent, QTreeWidget* tree, const std::vector<core::TagEntry>& entries)
{
    for (const auto& entry : entries) {
        const QStringList columns = {tagText(entry), QString::fromStdString(entry.keyword),
                                     QString::fromStdString(entry.vr), QString::fromStdString(entry.value)};
        auto* item = parent ? new QTreeWidgetItem(parent, columns) : new QTreeWidgetItem(tree, columns);
        item->setToolTip(1, columns[1]);
        item->setToolTip(3, columns[3]); // the value in full (the column elides it)
        for (size_t i = 0; i < entry.items.size(); ++i) {
            auto* sequenceItem = new QTreeWidgetItem(item, {QString("Item %1").arg(i + 1)});
            addEntries(sequenceItem, tree, entry.items[i]);
        }
    }
}

// Shows items that match (and their parents); true when this item or a child matched.
bool applyFilter(QTreeWidgetItem* item, const QString& needle)
{
    bool childMatched = false;
    for (int i = 0; i < item->childCount(); ++i) childMatched |= applyFilter(item->child(i), needle);
    const QString tagWithoutComma = item->text(0).remove(',');
    const bool matched = needle.isEmpty() || item->text(0).contains(needle, Qt::CaseInsensitive) ||
                         tagWithoutComma.contains(needle, Qt::CaseInsensitive) ||
                         item->text(1).contains(needle, Qt::CaseInsensitive) ||
                         item->text(3).contains(needle, Qt::CaseInsensitive);
    item->setHidden(!matched && !childMatched);
    if (childMatched && !needle.isEmpty()) item->setExpanded(true);
    return matched || childMatched;
}

} // namespace

TagBrowser::TagBrowser(QWidget* parent) : QWidget(parent)
{
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText("Search keyword, tag (0028,0030) or value");
    m_tree = new QTreeWidget(this);
    m_tree->setHeaderLabels({"Tag", "Keyword", "VR", "Value"});
    // Tag and VR as narrow as they are, the keyword no wider than a share of the dock, the value
    // the rest: a long keyword (or a deep sequence) must not push the value out of sight.
    m_tree->header()->setStretchLastSection(true);
    m_tree->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_tree->setUniformRowHeights(true);
    column->addWidget(m_filter);
    column->addWidget(m_tree);
    connect(m_filter, &QLineEdit::textChanged, this, &TagBrowser::setFilter);
}

bool TagBrowser::setFile(const std::filesystem::path& file)
{
    m_tree->clear();
    auto entries = core::dumpDicomTags(file);
    if (!entries) {
        new QTreeWidgetItem(m_tree, {"", "", "", QString::fromStdString(entries.error().message())});
        return false;
    }
    addEntries(nullptr, m_tree, *entries);
    fitKeywordColumn();
    setFilter(m_filter->text());
    return true;
}

QSize TagBrowser::sizeHint() const
{
    // A dock opens at its widget's hint: about 70 characters, of which the value gets half.
    return {fontMetrics().horizontalAdvance('0') * 70, 400};
}

void TagBrowser::fitKeywordColumn()
{
    m_tree->resizeColumnToContents(1);
    const int share = std::max(80, width() * 30 / 100); // this widget's width: the tree may not be laid out yet
    m_tree->setColumnWidth(1, std::min(m_tree->columnWidth(1), share));
}

void TagBrowser::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitKeywordColumn(); // the dock was made wider or narrower: the value keeps its share
}

void TagBrowser::setFilter(const QString& text)
{
    if (m_filter->text() != text) m_filter->setText(text); // keeps the field in step when set from code
    const QString needle = text.trimmed();
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) applyFilter(m_tree->topLevelItem(i), needle);
}

} // namespace lb::app::gui
