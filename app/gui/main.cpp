// lightbox: the workstation. `lightbox [--cache DIR] [--open STUDY_UID|SERIES_UID|PATH]
// [--layout 1x1|1x2|2x1|2x2|1x3|1x4|2x3|2x4|mpr|3d] [--prior STUDY_UID|auto [--step N]]
// [--screenshot FILE.png] [--state FILE.json] [--quit]`
// (docs/user-guide.md; --state: docs/cli.md).
#include "app/gui/MainWindow.h"
#include "app/gui/ViewerPreferences.h"
#include "app/services/Workstation.h"
#include "viewer/VtkViewport.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>

int main(int argc, char** argv)
{
    lb::viewer::VtkViewport::prepareApplication();
    QApplication application(argc, argv);
    QApplication::setApplicationName("Lightbox");
    QCommandLineParser parser;
    parser.setApplicationDescription("Lightbox DICOM workstation");
    parser.addHelpOption();
    const QCommandLineOption cacheOption("cache", "The local cache folder.", "DIR");
    const QCommandLineOption openOption("open", "A study or series UID in the cache, or a file/folder.", "TARGET");
    const QCommandLineOption layoutOption("layout", "Viewer layout: 1x1, 1x2, 2x1, 2x2, 1x3, 1x4, 2x3, 2x4, mpr (three planes + 3D) or 3d.", "LAYOUT", "1x1");
    const QCommandLineOption screenshotOption("screenshot", "Save the window once the opened series is shown.", "FILE");
    const QCommandLineOption stateOption("state", "Write what the window shows as JSON once the opened series is shown "
                                                  "(with --quit), else when the window closes.", "FILE");
    const QCommandLineOption quitOption("quit", "Quit after --screenshot / --state.");
    const QCommandLineOption priorOption("prior", "Hang the study (--open STUDY_UID) by its hanging protocol beside this prior: "
                                                  "a study UID, or auto (the most relevant local priors).", "STUDY_UID|auto");
    const QCommandLineOption stepOption("step", "With --prior: the protocol's reading step (1 is the first).", "N", "1");
    parser.addOptions({cacheOption, openOption, layoutOption, screenshotOption, stateOption, quitOption, priorOption, stepOption});
    parser.process(application);
    lb::viewer::Layout layout = lb::viewer::Layout::One;
    if (!lb::viewer::parseLayout(parser.value(layoutOption), layout)) {
        std::fprintf(stderr, "lightbox: --layout %s: use 1x1, 1x2, 2x1, 2x2, 1x3, 1x4, 2x3, 2x4, mpr or 3d\n", qPrintable(parser.value(layoutOption)));
        return 2;
    }

    // --cache, else $LIGHTBOX_CACHE, else the folder chosen in Settings > Cache, else the default.
    const QString chosen = lb::app::gui::ViewerPreferences::load().cacheLocation;
    const std::filesystem::path root = parser.isSet(cacheOption)         ? std::filesystem::path(parser.value(cacheOption).toStdString())
                                       : qEnvironmentVariableIsSet("LIGHTBOX_CACHE") || chosen.isEmpty()
                                           ? lb::app::Workstation::defaultCacheRoot()
                                           : std::filesystem::path(chosen.toStdString());
    auto workstation = lb::app::Workstation::open(root);
    if (!workstation) {
        // A window, not only a line on a terminal nobody looks at.
        std::fprintf(stderr, "lightbox: %s\n", workstation.error().message().c_str());
        if (!parser.isSet(quitOption))
            QMessageBox::critical(nullptr, QObject::tr("Lightbox cannot open its cache"),
                                  QString::fromStdString(workstation.error().message()));
        return 1;
    }
    lb::app::gui::MainWindow window(std::move(*workstation), layout);
    const bool stateThenQuit = parser.isSet(stateOption) && parser.isSet(quitOption);
    if (parser.isSet(screenshotOption)) window.screenshotWhenShown(parser.value(screenshotOption), parser.isSet(quitOption) && !stateThenQuit);
    else window.rememberGeometry(!parser.isSet(layoutOption)); // an explicit layout wins over the remembered one
    window.show();
    window.activateWindow(); // the keys go to the workstation at once (and --state's "focus" is real)
    bool stepOk = false;
    const int step = parser.value(stepOption).toInt(&stepOk);
    if (!stepOk || step < 1) {
        std::fprintf(stderr, "lightbox: --step %s: a step number (1 is the first)\n", qPrintable(parser.value(stepOption)));
        return 2;
    }
    // --prior: the reading room's arrangement (hanging protocol, priors); else as opened by hand.
    const bool opened = !parser.isSet(openOption) ? true
                        : parser.isSet(priorOption) ? window.openForReading(parser.value(openOption), parser.value(priorOption), step)
                                                    : window.open(parser.value(openOption));
    if (!opened) {
        std::fprintf(stderr, "lightbox: %s: not found\n", qPrintable(parser.value(openOption)));
        if (parser.isSet(quitOption)) return 5;
    }
    // After open(): the state waits for the loads it started (or, with none, writes at once).
    if (parser.isSet(stateOption)) window.stateWhenShown(parser.value(stateOption), parser.isSet(quitOption));
    const bool waits = parser.isSet(screenshotOption) || parser.isSet(stateOption);
    if (parser.isSet(quitOption) && !waits) QTimer::singleShot(0, &application, &QApplication::quit);
    if (parser.isSet(quitOption) && waits)
        QTimer::singleShot(120000, &application, [] { QApplication::exit(3); }); // never hang a script
    return application.exec();
}
