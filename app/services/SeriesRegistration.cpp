#include "app/services/SeriesRegistration.h"

#include "render/RigidRegistration.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace lb::app {

SeriesRegistration::SeriesRegistration(std::filesystem::path cacheRoot, JobBoard& jobs)
    : m_folder(std::move(cacheRoot) / "registrations"), m_jobs(jobs)
{
}

std::filesystem::path SeriesRegistration::fileFor(const std::string& fixedSeriesUid, const std::string& movingSeriesUid) const
{
    // UIDs are up to 64 characters each: a digest keeps the name short and the same every time.
    const QByteArray key = QByteArray::fromStdString(fixedSeriesUid + "|" + movingSeriesUid);
    return m_folder / (QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(32).toStdString() + ".json");
}

std::optional<SeriesAlignment> SeriesRegistration::cached(const std::string& fixedSeriesUid, const std::string& movingSeriesUid) const
{
    QFile file(QString::fromStdString(fileFor(fixedSeriesUid, movingSeriesUid).string()));
    if (!file.open(QIODevice::ReadOnly)) return std::nullopt;
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    // The file names both series: a digest collision or a stray file is not our result.
    if (json.value("fixed_series_uid").toString().toStdString() != fixedSeriesUid
        || json.value("moving_series_uid").toString().toStdString() != movingSeriesUid)
        return std::nullopt;
    const QJsonArray matrix = json.value("matrix").toArray();
    if (matrix.size() != 16) return std::nullopt;
    SeriesAlignment alignment;
    for (int i = 0; i < 16; ++i) alignment.movingToFixed[i] = matrix[i].toDouble();
    alignment.metric = json.value("metric").toDouble();
    alignment.seconds = json.value("seconds").toDouble();
    alignment.fromCache = true;
    return alignment;
}

void SeriesRegistration::keep(const std::string& fixedSeriesUid, const std::string& movingSeriesUid,
                              const SeriesAlignment& alignment) const
{
    std::error_code ec;
    std::filesystem::create_directories(m_folder, ec);
    std::filesystem::permissions(m_folder, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
    QJsonArray matrix;
    for (double value : alignment.movingToFixed) matrix.append(value);
    const QJsonObject json{{"fixed_series_uid", QString::fromStdString(fixedSeriesUid)},
                           {"moving_series_uid", QString::fromStdString(movingSeriesUid)},
                           {"matrix", matrix},
                           {"metric", alignment.metric},
                           {"seconds", alignment.seconds}};
    QSaveFile file(QString::fromStdString(fileFor(fixedSeriesUid, movingSeriesUid).string()));
    if (!file.open(QIODevice::WriteOnly)) return; // not kept: registered again next time
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(json).toJson(QJsonDocument::Compact));
    file.commit();
}

QString SeriesRegistration::align(std::shared_ptr<const core::Volume> fixed, std::shared_ptr<const core::Volume> moving,
                                  std::function<void(const core::Result<SeriesAlignment>&)> onFinished)
{
    if (auto known = cached(fixed->seriesUid, moving->seriesUid)) {
        if (onFinished) onFinished(*known);
        return {};
    }
    auto result = std::make_shared<std::optional<SeriesAlignment>>();
    auto work = [this, fixed, moving, result](JobContext& context) -> JobOutcome {
        auto registered = render::registerRigid(*fixed, *moving, &context.cancel());
        if (!registered) return JobOutcome::from(registered.error());
        SeriesAlignment alignment{registered->movingToFixed, registered->metric, registered->seconds, false};
        keep(fixed->seriesUid, moving->seriesUid, alignment);
        *result = alignment;
        return JobOutcome::done();
    };
    const QString what = QString::fromStdString(moving->seriesUid) + " onto " + QString::fromStdString(fixed->seriesUid);
    return m_jobs.start(JobKind::Registration, what, {}, std::move(work),
                        [result, onFinished = std::move(onFinished)](const JobOutcome& outcome) {
                            if (!onFinished) return;
                            if (*result && outcome.state == JobState::Done) return onFinished(**result);
                            onFinished(outcome.error ? *outcome.error
                                                     : core::makeError(core::ErrorCode::Cancelled, "registration", "cancelled"));
                        });
}

} // namespace lb::app
