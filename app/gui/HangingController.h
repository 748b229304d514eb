#pragma once
// The reading room's arrangement: a study hung by its hanging protocol with its priors
// (app/services/StudyHanging.h), the layout set, each viewport's series loaded with its preset
// and mirroring, and the synchronisation groups linked: viewports in the current study's frame
// of reference at once, a prior in another frame once its registration (a background job,
// cached per pair of series) has finished; until then, or when it fails, the reader links by
// hand (K). N and P step through the protocol's reading steps.
#include "app/services/StudyHanging.h"
#include "app/services/Workstation.h"

#include <QObject>

#include <optional>
#include <set>

namespace lb::viewer {
class ViewerGrid;
}

namespace lb::app {
class SeriesRegistration;
}

namespace lb::app::gui {

class HangingController : public QObject {
    Q_OBJECT
public:
    HangingController(Workstation& workstation, viewer::ViewerGrid& grid, QObject* parent = nullptr);
    ~HangingController() override;

    // `prior`: "auto" (the most relevant local priors), a study UID, or "" (none). False when the
    // study (or the prior asked for) is not in the cache; `problem` then says which.
    bool hang(const QString& studyUid, const QString& prior, int step, QString* problem = nullptr);
    void showStep(int step); // 1-based; the same studies
    void nextStep() { if (m_result) showStep(m_result->step + 1); }
    void previousStep() { if (m_result) showStep(m_result->step - 1); }

    bool active() const { return m_result.has_value(); } // the screen follows a protocol
    const std::optional<HangingResult>& result() const { return m_result; }
    void forget(); // the user arranged the screen by hand (another study, a layout of their own)
    bool registering() const { return !m_registrations.empty(); }
    // "Save this layout as a protocol": the screen as it is (layout, each viewport's series as a
    // selector of its modality, description and plane, its view, preset and mirroring, which
    // study), matching studies of the current one's modality and body part, one step, all
    // viewports in one synchronisation group. `studyUid`: the study the screen is about.
    HangingProtocol protocolFromScreen(const std::string& name, const QString& studyUid) const;

signals:
    void message(QString text);
    void registrationsSettled(); // none running any more (after each finishes or fails)

private:
    void onShown(int viewport);
    void linkGroups();
    void linkToReference(int reference, int viewport, int group);

    Workstation& m_workstation;
    viewer::ViewerGrid& m_grid;
    std::unique_ptr<SeriesRegistration> m_registration;
    StudyForHanging m_current;
    std::vector<StudyForHanging> m_priors;
    std::optional<HangingResult> m_result;
    std::set<int> m_waiting;        // viewports of this step still loading
    std::set<QString> m_registrations; // running registration jobs
    int m_generation = 0;           // a new hang or step ends what the old one started
};

} // namespace lb::app::gui
