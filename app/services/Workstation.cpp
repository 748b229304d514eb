#include "app/services/Workstation.h"

#include "app/services/StudyName.h"
#include "app/services/TransferQueue.h"
#include "cache/LocalCache.h"

#include <QDateTime>

namespace lb::app {

core::Result<std::unique_ptr<Workstation>> Workstation::open(const std::filesystem::path& root, bool runTransfers)
{
    auto cache = cache::LocalCache::openForReading(root);
    if (!cache) return cache.error();
    return adopt(std::move(*cache), runTransfers);
}

core::Result<std::unique_ptr<Workstation>> Workstation::adopt(std::unique_ptr<cache::LocalCache> cache, bool runTransfers)
{
    auto catalogue = StudyCatalogue::open(*cache);
    if (!catalogue) return catalogue.error();
    auto workstation = std::unique_ptr<Workstation>(new Workstation(std::move(cache)));
    workstation->m_catalogue = std::move(*catalogue);
    // Transfers are named by the patient and study the cache knows (a retrieve not yet here is
    // named by the remote browser's C-FIND result: JobBoard::nameStudy).
    workstation->m_jobs->setStudyNamer([catalogue = workstation->m_catalogue.get()](const std::string& studyUid) {
        const auto study = catalogue->study(studyUid);
        return study ? studyName(study->patientName, study->description, study->studyDate) : QString();
    });
    workstation->m_session = std::make_unique<ViewingSession>(*workstation->m_catalogue, *workstation->m_maintenance,
                                                              *workstation->m_loader, *workstation->m_jobs);
    // One runner per cache: a second window on the same cache browses and views only.
    if (!runTransfers) {
        workstation->m_queueProblem = "transfers are not run by this process";
    } else if (!workstation->m_cache->readOnly()) {
        if (auto queue = TransferQueue::open(*workstation->m_cache)) {
            workstation->m_queue = std::move(*queue);
            workstation->m_jobs->showTransferQueue(workstation->m_queue.get());
            workstation->m_queue->start();
        } else {
            workstation->m_queueProblem = QString::fromStdString(queue.error().message());
        }
    } else {
        workstation->m_queueProblem = "the cache is open read-only";
    }
    return workstation;
}

std::filesystem::path Workstation::defaultCacheRoot()
{
    return cache::CacheLayout::defaultRoot();
}

Workstation::Workstation(std::unique_ptr<cache::LocalCache> cache)
    : m_cache(std::move(cache)),
      m_sessionStart(QDateTime::currentDateTimeUtc().toString("yyyy-MM-ddTHH:mm:ssZ").toStdString()),
      m_jobs(std::make_unique<JobBoard>()),
      m_maintenance(std::make_unique<CacheMaintenance>(m_cache->layout().root())),
      m_import(std::make_unique<ImportService>(m_cache->layout().root(), *m_jobs)),
      m_nodes(std::make_unique<NodeDirectory>(m_cache->layout().indexFile())),
      m_remote(std::make_unique<RemoteQuery>(*m_nodes, *m_jobs)),
      m_loader(std::make_unique<SeriesLoader>(*m_jobs))
{
}

Workstation::~Workstation()
{
    if (m_queue) m_queue->stop(); // running transfers go back to 'queued' for the next start
    m_jobs->cancelAll();          // imports stop at their next file, loads at their next slice
    m_session.reset();
    m_loader.reset();
    m_jobs.reset(); // waits for the workers, which may still use the services below
}

bool Workstation::readOnly() const
{
    return m_cache->readOnly();
}

std::filesystem::path Workstation::cacheRoot() const
{
    return m_cache->layout().root();
}

core::Result<QString> Workstation::retrieve(const std::string& node, const std::string& studyUid, const std::string& seriesUid,
                                           int priority)
{
    if (!m_queue) return core::makeError(core::ErrorCode::Unsupported, "transfers", m_queueProblem.toStdString());
    auto id = m_queue->enqueueRetrieve(node, studyUid, seriesUid, std::nullopt, priority);
    if (!id) return id.error();
    return QString("T%1").arg(*id);
}

std::optional<std::pair<std::string, std::string>> Workstation::transferState(const QString& id)
{
    if (!m_queue || !id.startsWith('T')) return std::nullopt;
    bool ok = false;
    const qint64 number = id.mid(1).toLongLong(&ok);
    if (!ok) return std::nullopt;
    auto jobs = m_queue->jobs();
    if (!jobs) return std::nullopt;
    for (const auto& job : *jobs)
        if (job.id == number) return std::make_pair(job.state, job.lastError);
    return std::nullopt;
}

core::Result<QString> Workstation::send(const std::string& node, const std::string& studyUid, const std::string& seriesUid)
{
    if (!m_queue) return core::makeError(core::ErrorCode::Unsupported, "transfers", m_queueProblem.toStdString());
    auto id = m_queue->enqueueSend(node, studyUid, seriesUid);
    if (!id) return id.error();
    return QString("T%1").arg(*id);
}

} // namespace lb::app
