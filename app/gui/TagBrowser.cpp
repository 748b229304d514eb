#include "app/gui/TagBrowser.h"

#include "core/DicomTagDump.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QTreeWidget>
#include <QVBoxLayout>

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
    m_tree->header()->setStretchLastSection(true);
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
    for (int c = 0; c < 3; ++c) m_tree->resizeColumnToContents(c);
    setFilter(m_filter->text());
    return true;
}

void TagBrowser::setFilter(const QString& text)
{
    if (m_filter->text() != text) m_filter->setText(text); // keeps the field in step when set from code
    const QString needle = text.trimmed();
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) applyFilter(m_tree->topLevelItem(i), needle);
}

} // namespace lb::app::gui
