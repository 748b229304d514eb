#pragma once
// Small conversions the workstation's widgets share.
#include <QString>
#include <QStringList>

#include <string>
#include <vector>

namespace lb::app::gui {

inline QString qs(const std::string& text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

inline QStringList qsList(const std::vector<std::string>& texts)
{
    QStringList list;
    for (const auto& text : texts) list << qs(text);
    return list;
}

} // namespace lb::app::gui
