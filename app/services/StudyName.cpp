#include "app/services/StudyName.h"

#include <QStringList>

namespace lb::app {

QString readablePersonName(const std::string& dicom)
{
    QStringList parts = QString::fromStdString(dicom).split('^');
    while (!parts.isEmpty() && parts.last().trimmed().isEmpty()) parts.removeLast(); // "DOE^^^" has no given name
    if (parts.isEmpty()) return {};
    const QString family = parts.takeFirst().trimmed();
    const QString given = parts.join(' ').simplified();
    return given.isEmpty() ? family : family + ", " + given;
}

QString readableDate(const std::string& yyyymmdd)
{
    if (yyyymmdd.size() != 8) return QString::fromStdString(yyyymmdd);
    return QString::fromStdString(yyyymmdd.substr(0, 4) + "-" + yyyymmdd.substr(4, 2) + "-" + yyyymmdd.substr(6, 2));
}

QString studyName(const std::string& patientName, const std::string& description, const std::string& yyyymmdd)
{
    QStringList parts;
    for (const QString& part : {readablePersonName(patientName), QString::fromStdString(description).trimmed(), readableDate(yyyymmdd)})
        if (!part.isEmpty()) parts << part;
    return parts.join(QString::fromUtf8(" \u00b7 "));
}

} // namespace lb::app
