#include "app/services/ViewingSession.h"

#include "cache/InputCollector.h"

#include <QDate>

#include <algorithm>

namespace lb::app {
namespace {

QString qs(const std::string& text)
{
    return QString::fromStdString(text);
}

// "45Y" from DICOM dates (birth, study); empty when either is missing.
QString ageAt(const std::string& birth, const std::string& study)
{
    const QDate born = QDate::fromString(qs(birth), "yyyyMMdd");
    const QDate on = QDate::fromString(qs(study), "yyyyMMdd");
    if (!born.isValid() || !on.isValid() || on < born) return {};
    int years = on.year() - born.year();
    if (on.month() < born.month() || (on.month() == born.month() && on.day() < born.day())) --years;
    return QString("%1Y").arg(years);
}

} // namespace

ViewingSession::ViewingSession(const StudyCatalogue& catalogue, const CacheMaintenance& maintenance, SeriesLoader& loader,
                               JobBoard& jobs, QObject* parent)
    : QObject(parent), m_catalogue(catalogue), m_maintenance(maintenance), m_loader(loader), m_jobs(jobs)
{
    connect(&m_loader, &SeriesLoader::preview, this, [this](std::shared_ptr<const core::Volume> slice, QString label, int viewport) {
        if (viewport >= kMaxViewports || label != m_viewports[viewport].label || !m_viewports[viewport].loading)
            return m_loader.previewShown(viewport);
        emit preview(viewport, std::move(slice));
    });
    connect(&m_loader, &SeriesLoader::loaded, this, [this](std::shared_ptr<const core::Volume> volume, QString label, int viewport) {
        if (viewport < kMaxViewports) onLoaded(viewport, label, std::move(volume));
    });
    connect(&m_loader, &SeriesLoader::regularGrid, this,
            [this](std::shared_ptr<const core::Volume> volume, std::shared_ptr<const core::Volume> grid, int viewport) {
                if (viewport < kMaxViewports) emit regularGrid(viewport, std::move(volume), std::move(grid));
            });
    connect(&m_loader, &SeriesLoader::failed, this, [this](QString message, int viewport) {
        if (viewport < kMaxViewports) onFailed(viewport, message);
    });
}

bool ViewingSession::openStudy(const QString& studyUid, int viewports)
{
    auto series = m_catalogue.seriesOf(studyUid.toStdString());
    if (series.empty()) return false;
    m_openStudy = studyUid;
    const auto largest = std::max_element(series.begin(), series.end(),
                                          [](const auto& a, const auto& b) { return a.instanceCount < b.instanceCount; });
    std::vector<QString> order{qs(largest->seriesUid)};
    for (const auto& row : series)
        if (qs(row.seriesUid) != order.front()) order.push_back(qs(row.seriesUid));
    viewports = std::clamp(viewports, 1, kMaxViewports);
    // A new study: every viewport is free, and none may keep showing the previous patient.
    for (int viewport = 0; viewport < kMaxViewports; ++viewport) clear(viewport);
    for (int viewport = 0; viewport < viewports && viewport < static_cast<int>(order.size()); ++viewport)
        showSeries(viewport, order[viewport]);
    return true;
}

bool ViewingSession::showSeries(int viewport, const QString& seriesUid)
{
    auto files = m_catalogue.seriesFiles(seriesUid.toStdString());
    if (files.empty()) return false;
    const QString study = qs(m_catalogue.studyOfSeries(seriesUid.toStdString()));
    const int count = static_cast<int>(files.size());
    showFiles(viewport, std::move(files), QString("series %1 (%2 images)").arg(seriesUid).arg(count));
    Viewport& shown = m_viewports[viewport];
    shown.studyUid = study;
    shown.seriesUid = seriesUid;
    shown.information = informationFor(study, seriesUid);
    return true;
}

void ViewingSession::showFiles(int viewport, std::vector<std::filesystem::path> files, const QString& label)
{
    if (files.empty() || viewport < 0 || viewport >= kMaxViewports) return;
    clear(viewport);
    Viewport& shown = m_viewports[viewport];
    shown.label = label;
    shown.information = {label};
    shown.middleFile = files[files.size() / 2];
    shown.loading = true;
    shown.loadJob = m_loader.load(std::move(files), label, viewport);
}

bool ViewingSession::showPath(int viewport, const std::filesystem::path& path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return false;
    showFiles(viewport, cache::collectImportInputs({path}).files, QString::fromStdString(path.string()));
    return true;
}

void ViewingSession::fillEmpty(int viewports)
{
    if (m_openStudy.isEmpty()) return;
    std::vector<QString> waiting;
    for (const auto& row : m_catalogue.seriesOf(m_openStudy.toStdString())) {
        const QString uid = qs(row.seriesUid);
        const bool shown = std::any_of(m_viewports.begin(), m_viewports.end(), [&](const Viewport& v) { return v.seriesUid == uid; });
        if (!shown) waiting.push_back(uid);
    }
    for (int viewport = 0; viewport < std::min(viewports, kMaxViewports) && !waiting.empty(); ++viewport)
        if (m_viewports[viewport].label.isEmpty()) {
            showSeries(viewport, waiting.front());
            waiting.erase(waiting.begin());
        }
}

void ViewingSession::clear(int viewport)
{
    if (viewport < 0 || viewport >= kMaxViewports) return;
    m_loader.cancel(viewport); // a superseded load stops decoding
    if (!m_checkJob[viewport].isEmpty()) m_jobs.cancel(m_checkJob[viewport]);
    m_checkJob[viewport].clear();
    m_viewports[viewport] = Viewport{}; // a cancelled load does not settle: the next request will
    ++m_generation[viewport];
    emit cleared(viewport);
}

void ViewingSession::forgetStudy(const QString& studyUid)
{
    for (int viewport = 0; viewport < kMaxViewports; ++viewport)
        if (m_viewports[viewport].studyUid == studyUid) clear(viewport);
    if (m_openStudy == studyUid) m_openStudy.clear();
}

bool ViewingSession::loading() const
{
    return std::any_of(m_viewports.begin(), m_viewports.end(), [](const Viewport& v) { return v.loading; });
}

std::set<std::string> ViewingSession::studiesOnScreen() const
{
    std::set<std::string> studies;
    for (const auto& viewport : m_viewports)
        if (!viewport.studyUid.isEmpty()) studies.insert(viewport.studyUid.toStdString());
    return studies;
}

void ViewingSession::onLoaded(int viewport, const QString& label, std::shared_ptr<const core::Volume> volume)
{
    Viewport& target = m_viewports[viewport];
    if (label != target.label || !target.loading) return; // the viewport asked for another series since
    for (const auto& warning : volume->warnings) target.warnings << qs(warning);
    emit shown(viewport, std::move(volume));
    emit warningsChanged(viewport);
    checkStoredFiles(viewport); // the load is over once its files are checked too
}

void ViewingSession::onFailed(int viewport, const QString& message)
{
    Viewport& target = m_viewports[viewport];
    if (!target.loading) return;
    target.warnings << message;
    emit failed(viewport, message);
    emit warningsChanged(viewport);
    checkStoredFiles(viewport); // damaged files may be why
}

void ViewingSession::finishLoad(int viewport)
{
    m_viewports[viewport].loading = false;
    m_viewports[viewport].loadJob.clear();
    if (!loading()) emit settled();
}

// After the load (the files are in the page cache, the decoders done): see cache/StoredFileCheck.h.
// A few milliseconds for a CT; the viewport counts as loading until it is done, so that what
// `--state` and a screenshot show includes its finding.
void ViewingSession::checkStoredFiles(int viewport)
{
    const QString series = m_viewports[viewport].seriesUid;
    if (series.isEmpty()) return finishLoad(viewport);
    auto report = std::make_shared<StoredFilesReport>();
    const CacheMaintenance& maintenance = m_maintenance;
    auto work = [&maintenance, series, report](JobContext& context) -> JobOutcome {
        auto checked = maintenance.checkStoredFiles(series.toStdString(), &context.cancel());
        if (!checked) return JobOutcome::from(checked.error());
        *report = std::move(*checked);
        return JobOutcome::done();
    };
    const int generation = m_generation[viewport];
    m_checkJob[viewport] = m_jobs.start(JobKind::Check, series, {}, std::move(work), [this, viewport, generation, report](const JobOutcome& outcome) {
        Viewport& target = m_viewports[viewport];
        // Cancelled: the viewport moved on (clear() cancels it, and the board answers at once).
        if (outcome.state == JobState::Cancelled || m_generation[viewport] != generation || !target.loading) return;
        m_checkJob[viewport].clear();
        if (outcome.state == JobState::Done && !report->summary.empty()) {
            target.storedFilesSummary = qs(report->summary);
            target.warnings << "stored files: " + target.storedFilesSummary;
            for (const auto& detail : report->details) target.storedFileDetails << qs(detail);
            emit warningsChanged(viewport);
        }
        finishLoad(viewport);
    });
}

QStringList ViewingSession::informationFor(const QString& studyUid, const QString& seriesUid) const
{
    QStringList lines;
    if (auto study = m_catalogue.study(studyUid.toStdString())) {
        QString name = qs(study->patientName);
        name.replace('^', ", ");
        lines << name;
        QStringList idLine{qs(study->patientId)};
        const QString age = ageAt(study->patientBirthDate, study->studyDate);
        if (!age.isEmpty() || !study->patientSex.empty()) idLine << (age + " " + qs(study->patientSex)).trimmed();
        lines << idLine.join("  ");
        const QDate day = QDate::fromString(qs(study->studyDate), "yyyyMMdd");
        lines << (day.isValid() ? day.toString("yyyy-MM-dd") : qs(study->studyDate)) + "  " + qs(study->description);
    }
    for (const auto& series : m_catalogue.seriesOf(studyUid.toStdString()))
        if (qs(series.seriesUid) == seriesUid)
            lines << QString("Se %1  %2").arg(series.seriesNumber ? QString::number(*series.seriesNumber) : "-").arg(qs(series.description));
    return lines;
}

void ViewingSession::noteSliceShown(int viewport, int slice, int sliceCount)
{
    if (viewport < 0 || viewport >= kMaxViewports) return;
    const std::string series = m_viewports[viewport].seriesUid.toStdString();
    if (series.empty() || m_viewports[viewport].loading) return; // a preview is not the series yet
    const double before = m_viewed.fraction(series);
    m_viewed.noteShown(series, slice, sliceCount);
    const double after = m_viewed.fraction(series);
    if (after != before) emit viewed(m_viewports[viewport].seriesUid, after);
}

QStringList ViewingSession::unviewedSeries() const
{
    QStringList unviewed;
    if (m_openStudy.isEmpty()) return unviewed;
    for (const auto& series : m_catalogue.seriesOf(m_openStudy.toStdString()))
        if (!m_viewed.seen(series.seriesUid))
            unviewed << QString("%1 %2").arg(series.seriesNumber ? QString::number(*series.seriesNumber) : "-", qs(series.description));
    return unviewed;
}

} // namespace lb::app
