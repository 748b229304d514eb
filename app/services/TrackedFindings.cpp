#include "app/services/TrackedFindings.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>

namespace lb::app {

std::optional<double> TrackedFinding::changePercent() const
{
    if (sizes.size() < 2 || sizes.front().millimetres <= 0) return std::nullopt;
    return (sizes.back().millimetres - sizes.front().millimetres) / sizes.front().millimetres * 100.0;
}

TrackedFindings::TrackedFindings(std::filesystem::path cacheRoot, std::string studyUid) : m_studyUid(std::move(studyUid))
{
    const QByteArray digest = QCryptographicHash::hash(QByteArray::fromStdString(m_studyUid), QCryptographicHash::Sha256).toHex().left(32);
    m_file = cacheRoot / "findings" / (digest.toStdString() + ".json");
}

core::Status TrackedFindings::load()
{
    m_findings.clear();
    QFile file(QString::fromStdString(m_file.string()));
    if (!file.exists()) return core::Status{};
    if (!file.open(QIODevice::ReadOnly)) return core::makeError(core::ErrorCode::Io, m_file.string(), "cannot read");
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    if (root.value("study_uid").toString().toStdString() != m_studyUid)
        return core::makeError(core::ErrorCode::Malformed, m_file.string(), "not the findings of study " + m_studyUid);
    for (const auto& item : root.value("findings").toArray()) {
        TrackedFinding finding;
        finding.name = item.toObject().value("name").toString().toStdString();
        for (const auto& size : item.toObject().value("sizes").toArray()) {
            const QJsonObject s = size.toObject();
            finding.sizes.push_back({s.value("study_uid").toString().toStdString(), s.value("study_date").toString().toStdString(),
                                     s.value("series_uid").toString().toStdString(), s.value("mm").toDouble()});
        }
        m_findings.push_back(finding);
    }
    return core::Status{};
}

core::Status TrackedFindings::save() const
{
    QJsonArray findings;
    for (const auto& finding : m_findings) {
        QJsonArray sizes;
        for (const auto& size : finding.sizes)
            sizes.append(QJsonObject{{"study_uid", QString::fromStdString(size.studyUid)},
                                     {"study_date", QString::fromStdString(size.studyDate)},
                                     {"series_uid", QString::fromStdString(size.seriesUid)},
                                     {"mm", size.millimetres}});
        findings.append(QJsonObject{{"name", QString::fromStdString(finding.name)}, {"sizes", sizes}});
    }
    std::error_code ec;
    std::filesystem::create_directories(m_file.parent_path(), ec);
    std::filesystem::permissions(m_file.parent_path(), std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
    QSaveFile file(QString::fromStdString(m_file.string()));
    if (!file.open(QIODevice::WriteOnly)) return core::makeError(core::ErrorCode::Io, m_file.string(), "cannot write");
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(QJsonObject{{"study_uid", QString::fromStdString(m_studyUid)}, {"findings", findings}}).toJson());
    if (!file.commit()) return core::makeError(core::ErrorCode::Io, m_file.string(), "cannot write");
    return core::Status{};
}

void TrackedFindings::record(const std::string& name, const std::vector<FindingSize>& sizes)
{
    auto found = std::find_if(m_findings.begin(), m_findings.end(), [&](const TrackedFinding& f) { return f.name == name; });
    if (found == m_findings.end()) found = m_findings.insert(m_findings.end(), TrackedFinding{name, {}});
    for (const auto& size : sizes) {
        auto same = std::find_if(found->sizes.begin(), found->sizes.end(), [&](const FindingSize& s) { return s.studyUid == size.studyUid; });
        if (same != found->sizes.end()) *same = size;
        else found->sizes.push_back(size);
    }
    std::stable_sort(found->sizes.begin(), found->sizes.end(),
                     [](const FindingSize& a, const FindingSize& b) { return a.studyDate < b.studyDate; });
}

} // namespace lb::app
