#include "app/gui/HangingController.h"

#include "app/services/PriorSearch.h"
#include "app/services/ProtocolLibrary.h"
#include "app/services/SeriesRegistration.h"
#include "render/ViewGeometry.h"
#include "viewer/MprView.h"
#include "viewer/ViewerGrid.h"

#include <algorithm>

namespace lb::app::gui {

namespace {

constexpr size_t kMostPriors = 3; // prior 1 .. prior 3 of a protocol

viewer::Layout layoutFor(const std::string& name)
{
    viewer::Layout layout = viewer::Layout::TwoByFour; // the largest grid for an RxC we lack
    viewer::parseLayout(QString::fromStdString(name), layout);
    return layout;
}

std::vector<HangingProtocol> loadProtocols(QString& problem)
{
    auto library = ProtocolLibrary::load();
    if (library) return library->protocols();
    problem = QString::fromStdString(library.error().message()) + " (the shipped protocols are used)";
    return ProtocolLibrary::shipped();
}

} // namespace

HangingController::HangingController(Workstation& workstation, viewer::ViewerGrid& grid, QObject* parent)
    : QObject(parent),
      m_workstation(workstation),
      m_grid(grid),
      m_registration(std::make_unique<SeriesRegistration>(workstation.cacheRoot(), workstation.jobs()))
{
    connect(&workstation.session(), &ViewingSession::shown, this, [this](int viewport) { onShown(viewport); });
}

HangingController::~HangingController() = default;

bool HangingController::hang(const QString& studyUid, const QString& prior, int step, QString* problem)
{
    auto current = studyForHanging(m_workstation.catalogue(), studyUid.toStdString());
    if (!current) {
        if (problem) *problem = QString::fromStdString(current.error().message());
        return false;
    }
    std::vector<StudyForHanging> priors;
    if (prior == "auto") {
        auto rules = PriorRules::load();
        if (!rules) emit message(QString::fromStdString(rules.error().message()) + " (the shipped prior rules are used)");
        PriorSearch search(m_workstation.catalogue(), m_workstation.nodes(), rules ? *rules : PriorRules::shipped());
        if (auto list = search.find(studyUid.toStdString(), false))
            for (const auto& candidate : list->priors) {
                if (priors.size() >= kMostPriors) break;
                if (!candidate.relevant || candidate.match != "id" || candidate.where != "local") continue;
                if (auto study = studyForHanging(m_workstation.catalogue(), candidate.studyUid)) priors.push_back(*study);
            }
    } else if (!prior.isEmpty()) {
        auto study = studyForHanging(m_workstation.catalogue(), prior.toStdString());
        if (!study) {
            if (problem) *problem = QString::fromStdString(study.error().message());
            return false;
        }
        priors.push_back(*study);
    }
    m_current = *current;
    m_priors = std::move(priors);
    m_result = HangingResult{};
    showStep(step);
    return true;
}

void HangingController::forget()
{
    ++m_generation;
    m_result.reset();
    m_waiting.clear();
    for (const QString& job : m_registrations) m_workstation.jobs().cancel(job);
    m_registrations.clear();
    m_grid.clearLinks();
}

void HangingController::showStep(int step)
{
    if (!m_result) return;
    QString problem;
    const auto protocols = loadProtocols(problem);
    if (!problem.isEmpty()) emit message(problem);
    forget();
    m_result = hangStudies(protocols, m_current, m_priors, step);
    const HangingResult& result = *m_result;

    ViewingSession& session = m_workstation.session();
    m_grid.setLayout(layoutFor(result.layout));
    const bool reformat = result.layout == "mpr" || result.layout == "3d";
    for (int i = 0; i < ViewingSession::kMaxViewports; ++i) {
        const HungViewport* viewport = i < static_cast<int>(result.viewports.size()) ? &result.viewports[i] : nullptr;
        // MPR and 3D show viewport 0's series: one load.
        if (viewport && !viewport->seriesUid.empty() && (!reformat || i == 0)) {
            m_waiting.insert(i);
            session.showSeries(i, QString::fromStdString(viewport->seriesUid));
        } else {
            session.clear(i);
        }
    }
    m_grid.setActive(0);
    session.setOpenStudy(QString::fromStdString(m_current.studyUid));
    emit message(QString("%1, step %2 of %3%4").arg(QString::fromStdString(result.protocol)).arg(result.step).arg(result.steps)
                     .arg(result.stepName.empty() ? QString() : ": " + QString::fromStdString(result.stepName)));
}

void HangingController::onShown(int viewport)
{
    if (!m_result || !m_waiting.erase(viewport)) return;
    const HungViewport& hung = m_result->viewports[viewport];
    const QString preset = QString::fromStdString(hung.preset);
    if (m_result->layout == "mpr" && m_grid.mpr()) {
        for (auto plane : {render::ViewPlane::Axial, render::ViewPlane::Coronal, render::ViewPlane::Sagittal})
            if (auto* view = m_grid.mpr()->plane(plane); view && !preset.isEmpty()) view->applyPresetNamed(preset);
    } else if (auto* view = m_grid.viewport(viewport)) {
        render::ViewPlane plane;
        if (render::parseViewPlane(hung.view, plane)) m_grid.setViewPlane(viewport, plane); // "coronal" of an axial series
        if (!preset.isEmpty() && !view->applyPresetNamed(preset)) emit message("no window preset called " + preset);
        if (hung.mirror && !view->flipped()) view->flipHorizontal();
    }
    if (m_waiting.empty()) linkGroups();
}

void HangingController::linkGroups()
{
    for (size_t group = 0; group < m_result->sync.size(); ++group) {
        int reference = -1;
        for (int index : m_result->sync[group]) {
            const auto volume = m_grid.volumeOf(index);
            if (!volume || !volume->hasPatientGeometry) continue;
            const std::string windowKey = m_result->viewports[index].preset;
            m_grid.setLink(index, {static_cast<int>(group), viewer::LinkKind::None, viewer::identityMatrix(), windowKey}); // not linked until it is
            if (reference < 0) {
                reference = index;
                m_grid.setLink(index, {static_cast<int>(group), viewer::LinkKind::FrameOfReference, viewer::identityMatrix(), windowKey});
            } else {
                linkToReference(reference, index, static_cast<int>(group));
            }
        }
    }
    if (m_registrations.empty()) emit registrationsSettled();
}

// The same frame of reference: linked as it is. Another one: registered onto the reference in
// the background; until then the viewport scrolls alone (or as the reader links it with K).
void HangingController::linkToReference(int reference, int viewport, int group)
{
    const auto fixed = m_grid.volumeOf(reference);
    const auto moving = m_grid.volumeOf(viewport);
    if (!moving->frameOfReferenceUid.empty() && moving->frameOfReferenceUid == fixed->frameOfReferenceUid) {
        m_grid.setLink(viewport, {group, viewer::LinkKind::FrameOfReference, viewer::identityMatrix(), m_result->viewports[viewport].preset});
        return;
    }
    const int generation = m_generation;
    auto job = std::make_shared<QString>();
    *job = m_registration->align(fixed, moving, [this, generation, viewport, group, job](const core::Result<SeriesAlignment>& aligned) {
        if (generation != m_generation) return; // another study or step since
        m_registrations.erase(*job);
        if (aligned) {
            m_grid.setLink(viewport, {group, viewer::LinkKind::Registered, aligned->movingToFixed, m_result->viewports[viewport].preset});
            emit message(QString("prior registered%1 (%2 s)").arg(aligned->fromCache ? " (kept from before)" : "").arg(aligned->seconds, 0, 'f', 1));
        } else if (aligned.error().code != core::ErrorCode::Cancelled) {
            emit message("registration failed: " + QString::fromStdString(aligned.error().message())
                         + " -- scroll both to the same anatomy and press K to link them");
        }
        if (m_registrations.empty()) emit registrationsSettled();
    });
    if (!job->isEmpty()) m_registrations.insert(*job);
}

namespace {

// The series a saved protocol asks for: what the one on screen is (its modality, description
// and acquisition plane), so that the same kind of series of the next such study is chosen.
SeriesSelector selectorLike(const SeriesChoice& series)
{
    SeriesSelector selector;
    if (!series.traits.modality.empty()) selector.modality = {series.traits.modality};
    if (!series.traits.description.empty()) selector.description = {series.traits.description};
    if (!series.traits.orientation.empty()) selector.orientation = {series.traits.orientation};
    selector.localizers = std::find(series.traits.imageType.begin(), series.traits.imageType.end(), "LOCALIZER")
                          != series.traits.imageType.end();
    return selector;
}

} // namespace

HangingProtocol HangingController::protocolFromScreen(const std::string& name, const QString& studyUid) const
{
    HangingProtocol protocol;
    protocol.name = name;
    protocol.priority = 30; // the reader's own arrangement comes before the shipped ones
    auto current = studyForHanging(m_workstation.catalogue(), studyUid.toStdString());
    if (!current) return protocol;
    protocol.match.modality = current->modalities;
    for (const auto& series : current->series)
        if (!series.traits.bodyPart.empty()
            && std::find(protocol.match.bodyPart.begin(), protocol.match.bodyPart.end(), series.traits.bodyPart)
                   == protocol.match.bodyPart.end())
            protocol.match.bodyPart.push_back(series.traits.bodyPart);

    ProtocolStep step;
    step.name = name;
    step.layout = viewer::layoutName(m_grid.layout()).toStdString();
    const ViewingSession& session = m_workstation.session();
    const int count = std::max(1, m_grid.viewportCount()); // mpr and 3d: the active viewport's series
    std::vector<std::string> priorUids;
    std::vector<int> group;
    for (int i = 0; i < count; ++i) {
        const int index = count == 1 ? m_grid.activeIndex() : i;
        const auto& shown = session.viewport(index);
        ViewportRule rule;
        rule.label = "viewport " + std::to_string(i + 1);
        const std::string shownStudy = shown.studyUid.toStdString();
        if (!shownStudy.empty() && shownStudy != current->studyUid) {
            auto known = std::find(priorUids.begin(), priorUids.end(), shownStudy);
            if (known == priorUids.end()) known = priorUids.insert(priorUids.end(), shownStudy);
            rule.study = static_cast<int>(known - priorUids.begin()) + 1;
        }
        if (auto study = studyForHanging(m_workstation.catalogue(), shownStudy); study && !shown.seriesUid.isEmpty())
            for (const auto& series : study->series)
                if (series.seriesUid == shown.seriesUid.toStdString()) rule.series = selectorLike(series);
        if (const auto* view = m_grid.viewport(index)) {
            rule.view = render::viewPlaneName(view->plane());
            rule.preset = view->presetName().toStdString();
            rule.mirror = view->flipped();
        }
        if (m_grid.layout() == viewer::Layout::ThreeD) rule.view = "3d";
        step.viewports.push_back(rule);
        if (!shown.seriesUid.isEmpty()) group.push_back(i);
    }
    if (step.layout == "mpr" || step.layout == "3d") step.viewports.resize(1);
    else if (group.size() > 1) step.sync.push_back(group);
    protocol.match.minPriors = static_cast<int>(priorUids.size());
    protocol.steps.push_back(step);
    return protocol;
}

} // namespace lb::app::gui
