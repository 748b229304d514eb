#pragma once
// One function per lightbox-cli command; each returns the process exit code.
#include "app/cli/CliOptions.h"

namespace lb::app::cli {

int runImport(const CliOptions& options);
int runStudies(const CliOptions& options);
int runSeries(const CliOptions& options);
int runInstances(const CliOptions& options);
int runTags(const CliOptions& options);
int runDelete(const CliOptions& options);
int runCheck(const CliOptions& options);
int runRebuild(const CliOptions& options);
int runVolume(const CliOptions& options);
int runNodes(const CliOptions& options);
int runSettings(const CliOptions& options);
int runPrune(const CliOptions& options);
int runEcho(const CliOptions& options);
int runFind(const CliOptions& options);
int runRetrieve(const CliOptions& options);
int runSend(const CliOptions& options);
int runListen(const CliOptions& options);
int runQueue(const CliOptions& options);
int runRender(const CliOptions& options);
int runMeasure(const CliOptions& options);
int runQuarantine(const CliOptions& options);
int runPriors(const CliOptions& options);
int runHang(const CliOptions& options);
int runRegister(const CliOptions& options);

} // namespace lb::app::cli
