#pragma once
// Small conversions the workstation's widgets share.
#include "cache/NodeSettings.h"

#include <QString>
#include <QStringList>

#include <filesystem>

namespace lb::app::gui {

inline QString qs(const std::string& text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

// The names of the nodes configured in the cache whose index is `index` (empty when unreadable).
inline QStringList nodeNames(const std::filesystem::path& index)
{
    QStringList names;
    auto connection = cache::SqliteConnection::open(index, cache::SqliteConnection::Mode::ReadOnly);
    if (!connection) return names;
    if (auto nodes = cache::listNodes(*connection))
        for (const auto& node : *nodes) names << qs(node.name);
    return names;
}

} // namespace lb::app::gui
