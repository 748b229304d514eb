// The workstation's services over a real SQLite cache in a temp dir and real series: the
// catalogue the browsers read, import as a job, the viewing session (what each viewport shows,
// its warnings, a superseded load cancelled), the stored-file report.
#include "app/services/Workstation.h"
#include "cache/LocalCache.h"
#include "tests/support/TestSupport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <gtest/gtest.h>

namespace lb::test {
namespace {

bool pumpUntil(const std::function<bool()>& done, int milliseconds)
{
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < milliseconds) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return done();
}

std::unique_ptr<app::Workstation> workstationWith(const std::filesystem::path& root, const std::vector<std::filesystem::path>& inputs)
{
    auto opened = app::Workstation::open(root);
    EXPECT_TRUE(opened.ok());
    if (!opened) return nullptr;
    auto workstation = std::move(*opened);
    std::optional<app::ImportOutcome> imported;
    const QString job = workstation->imports().importPaths(inputs, [&](const app::ImportOutcome& outcome) { imported = outcome; });
    EXPECT_TRUE(workstation->jobs().waitFor(job, 120000));
    EXPECT_TRUE(imported && imported->state == app::JobState::Done) << (imported ? imported->problem : "no outcome");
    return workstation;
}

TEST(Services, ImportIsAJobAndTheCatalogueListsWhatCameIn)
{
    TempDir temp;
    auto workstation = workstationWith(temp / "cache", {testData() / "ct_philips_ingenuity_phantom"});
    ASSERT_TRUE(workstation);
    auto& catalogue = workstation->catalogue();
    auto studies = catalogue.studies({});
    ASSERT_TRUE(studies.ok());
    ASSERT_EQ(studies->size(), 1u);
    EXPECT_EQ((*studies)[0].instanceCount, 29);
    const auto series = catalogue.seriesOf((*studies)[0].studyUid);
    ASSERT_FALSE(series.empty());
    int files = 0;
    for (const auto& one : series) {
        files += static_cast<int>(catalogue.seriesFiles(one.seriesUid).size());
        EXPECT_EQ(catalogue.studyOfSeries(one.seriesUid), (*studies)[0].studyUid);
    }
    EXPECT_EQ(files, 29);
    EXPECT_EQ(catalogue.instancesOfStudy((*studies)[0].studyUid), 29);
    const auto counts = catalogue.instancesOfStudies({(*studies)[0].studyUid, "1.2.3.not.here"});
    ASSERT_EQ(counts.size(), 1u);
    EXPECT_EQ(counts.at((*studies)[0].studyUid), 29);
    app::StudySearch nobody;
    nobody.patientName = "NOBODY*";
    EXPECT_TRUE(catalogue.studies(nobody)->empty());
    // The job board kept the import: done, with what it rejected (not images) as its note.
    const auto jobs = workstation->jobs().jobs();
    ASSERT_FALSE(jobs.empty());
    EXPECT_EQ(jobs.front().kind, app::JobKind::Import);
    EXPECT_EQ(jobs.front().state, app::JobState::Done);
}

TEST(Services, TheSessionShowsATiltedStudyWithItsWarning)
{
    TempDir temp;
    auto workstation = workstationWith(temp / "cache", {testData() / "derived" / "ct_tilt_18p5"});
    ASSERT_TRUE(workstation);
    auto& session = workstation->session();
    const auto studies = workstation->catalogue().studies({});
    ASSERT_EQ(studies->size(), 1u);
    bool settled = false;
    QObject::connect(&session, &app::ViewingSession::settled, [&] { settled = true; });
    QObject::connect(&session, &app::ViewingSession::preview, [&](int viewport, auto) { session.previewShown(viewport); });
    ASSERT_TRUE(session.openStudy(QString::fromStdString(studies->front().studyUid), 1));
    EXPECT_TRUE(session.loading());
    ASSERT_TRUE(pumpUntil([&] { return settled; }, 60000));
    const auto& shown = session.viewport(0);
    EXPECT_EQ(shown.studyUid.toStdString(), studies->front().studyUid);
    EXPECT_TRUE(shown.warnings.contains("gantry tilt 18.5°, resampled for MPR and 3D")) << shown.warnings.join("|").toStdString();
    EXPECT_FALSE(shown.information.isEmpty());
    EXPECT_FALSE(session.openStudy("1.2.3.no.such.study", 1));
}

TEST(Services, ANewSeriesForAViewportCancelsTheLoadItSupersedes)
{
    TempDir temp;
    auto workstation = workstationWith(temp / "cache", {testData() / "mr_ge_pioneer_t1_mprage_3d", testData() / "derived" / "ct_tilt_18p5"});
    ASSERT_TRUE(workstation);
    std::vector<app::SeriesSummary> all;
    const auto studies = workstation->catalogue().studies({});
    ASSERT_TRUE(studies.ok());
    for (const auto& study : *studies)
        for (const auto& series : workstation->catalogue().seriesOf(study.studyUid)) all.push_back(series);
    const auto mr = std::find_if(all.begin(), all.end(), [](const auto& s) { return s.instanceCount == 130; });
    const auto ct = std::find_if(all.begin(), all.end(), [](const auto& s) { return s.instanceCount == 28; });
    ASSERT_TRUE(mr != all.end() && ct != all.end());
    auto& session = workstation->session();
    int shownCount = 0;
    QObject::connect(&session, &app::ViewingSession::shown, [&](int, auto) { ++shownCount; });
    ASSERT_TRUE(session.showSeries(0, QString::fromStdString(mr->seriesUid)));
    const QString mrJob = session.viewport(0).loadJob;
    ASSERT_FALSE(mrJob.isEmpty());
    ASSERT_TRUE(session.showSeries(0, QString::fromStdString(ct->seriesUid))); // the user changed their mind
    EXPECT_EQ(workstation->jobs().job(mrJob)->state, app::JobState::Cancelled);
    const QString ctJob = session.viewport(0).loadJob;
    EXPECT_TRUE(workstation->jobs().waitFor(mrJob, 60000)) << "the superseded load's worker stops";
    EXPECT_TRUE(workstation->jobs().waitFor(ctJob, 60000)) << ctJob.toStdString();
    ASSERT_TRUE(pumpUntil([&] { return !session.loading(); }, 60000));
    EXPECT_EQ(session.viewport(0).seriesUid.toStdString(), ct->seriesUid);
    EXPECT_EQ(shownCount, 1); // the MR never reached the viewport
}

TEST(Services, CancellingASeriesLoadEndsItsJobWithoutAVolume)
{
    TempDir temp;
    app::JobBoard board;
    app::SeriesLoader loader(board);
    bool loaded = false;
    QObject::connect(&loader, &app::SeriesLoader::loaded, [&] { loaded = true; });
    std::vector<std::filesystem::path> files;
    for (const auto& file : filesUnder(testData() / "mr_ge_pioneer_t1_mprage_3d"))
        if (file.filename() != "oracle.json") files.push_back(file);
    const QString job = loader.load(files, "MR", 0);
    loader.cancel(0);
    EXPECT_EQ(board.job(job)->state, app::JobState::Cancelled);
    ASSERT_TRUE(board.waitFor(job, 30000));
    pumpUntil([] { return false; }, 300);
    EXPECT_FALSE(loaded);
}

TEST(Services, StoredFileProblemsReadAsOneClausePerKind)
{
    const auto report = app::describeStoredFiles({{"missing", "3", "missing from the store"},
                                                  {"changed", "14", "changed on disk since import (content differs)"},
                                                  {"changed", "20", "truncated: 1 of 2 bytes"},
                                                  {"unreadable", "1.4", "cannot be read: Input/output error"}});
    EXPECT_EQ(report.summary, "2 files changed since import (instances 14, 20); 1 file missing from the store (instance 3); "
                              "1 file unreadable (instance 1.4)");
    ASSERT_EQ(report.details.size(), 4u);
    EXPECT_EQ(report.details[1], "instance 14: changed on disk since import (content differs)");
    EXPECT_TRUE(app::describeStoredFiles({}).summary.empty());
}

} // namespace
} // namespace lb::test
