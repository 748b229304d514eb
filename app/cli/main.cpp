// lightbox-cli: the headless face of Lightbox over the same libraries as the workstation.
// Commands, flags, JSON keys and exit codes are a contract: see docs/cli.md.
#include "app/cli/CliOutput.h"
#include "app/cli/Commands.h"

#include <cstdio>
#include <functional>
#include <map>

namespace {

const char* kUsage =
    "usage: lightbox-cli [--cache DIR] [--json] COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  import PATH...          import files, folders (recursive) and DICOMDIRs\n"
    "  studies [filters]       list studies: --name --id --date YYYYMMDD[-YYYYMMDD] --from --to\n"
    "                          --modality --description --accession --sort KEY --asc|--desc\n"
    "                          --limit N --offset N\n"
    "  series STUDY_UID        list the series of a study\n"
    "  instances SERIES_UID    list the instances of a series\n"
    "  tags FILE_OR_SOP_UID    every attribute of a file or of a cached instance\n"
    "  delete STUDY_UID        delete a study (or --series SERIES_UID) from the cache\n"
    "  check [--quick]         compare the index with the stored files\n"
    "  prune [--limit-mb N]    remove the oldest studies until the cache is under its limit\n"
    "                          (the cache-limit-mb setting, or N)\n"
    "  rebuild                 rebuild the index from the stored files\n"
    "  quarantine list | quarantine restore ID | quarantine purge ID|--all\n"
    "                          what was refused (conflicts, unacknowledged transfers), kept\n"
    "  volume SERIES_UID|PATH  assemble volumes: geometry, value range, --probe i,j,k[,t]\n"
    "  render SERIES_UID|PATH --view axial|coronal|sagittal [--slice K | --position MM]\n"
    "         [--window W --level L | --preset NAME] [--slab MM --slab-mode mip|minip|avg]\n"
    "         [--size WxH|native] [--stack N] [--time T] -o OUT.png\n"
    "  measure SERIES_UID|PATH --distance I,J,K:I,J,K | --angle A:V:B | --roi VIEW:SLICE:rect|ellipse|polygon:X,Y,...\n"
    "  register FIXED_SERIES_UID|PATH MOVING_SERIES_UID|PATH [--fixed-stack N] [--moving-stack N]\n"
    "                          rigid registration: the 4x4 moving -> fixed patient-coordinate matrix\n"
    "\n"
    "reading:\n"
    "  priors STUDY_UID [--remote] [--fetch N]\n"
    "                          the patient's other studies, most relevant first (--remote: ask\n"
    "                          every node too; --fetch N: fetch the N most relevant remote ones)\n"
    "  hang STUDY_UID [--prior STUDY_UID|auto] [--step N]\n"
    "                          the hanging protocol for a study and what each viewport shows\n"
    "\n"
    "network:\n"
    "  nodes add NAME --ae AE --host H --port P [--method move|get]\n"
    "            [--tls [--ca FILE] [--cert FILE --key FILE]] | nodes list | nodes remove NAME\n"
    "  settings set KEY VALUE | settings list   (local-ae, storage-port, listen-address, cache-limit-mb, min-free-mb,\n"
    "                          tls-cert, tls-key, tls-trusted, listen-tls on|off)\n"
    "  echo NODE               C-ECHO\n"
    "  find NODE [--level patient|study|series|image] [--patient-name P] [--patient-id I]\n"
    "            [--study-date FROM-TO] [--modality M] [--accession A] [--study UID] [--series UID]\n"
    "  retrieve NODE --study UID [--series UID] [--method move|get]   (fetches only what is missing)\n"
    "  send NODE --study UID [--series UID]\n"
    "  listen                  run the storage SCP in the foreground (Ctrl-C stops)\n"
    "  queue add NODE --study UID [--series UID] [--method move|get] [--priority N] [--send]\n"
    "  queue list | queue cancel ID | queue retry ID | queue priority ID N\n"
    "  queue run [--max-running N]  run queued transfers until none is left (Ctrl-C pauses)\n"
    "\n"
    "cache: --cache DIR, else $LIGHTBOX_CACHE, else $XDG_DATA_HOME/lightbox\n";

} // namespace

int main(int argc, char** argv)
{
    using namespace lb::app::cli;
    CliOptions options;
    if (auto problem = parseCliOptions(argc, argv, options)) {
        std::fputs(kUsage, stderr);
        return fail(*problem, kExitUsage);
    }
    if (options.has("version")) {
        std::puts("lightbox-cli 0.1.0");
        return kExitOk;
    }
    if (options.has("help") || options.command.empty() || options.command == "help") {
        std::fputs(kUsage, options.command.empty() && !options.has("help") ? stderr : stdout);
        return options.command.empty() && !options.has("help") ? kExitUsage : kExitOk;
    }
    const std::map<std::string, std::function<int(const CliOptions&)>> commands = {
        {"import", runImport},   {"studies", runStudies}, {"series", runSeries}, {"instances", runInstances},
        {"tags", runTags},       {"delete", runDelete},   {"prune", runPrune},   {"check", runCheck},   {"rebuild", runRebuild},
        {"volume", runVolume},   {"nodes", runNodes},     {"settings", runSettings}, {"echo", runEcho},
        {"find", runFind},       {"retrieve", runRetrieve}, {"send", runSend},    {"listen", runListen},   {"queue", runQueue},     {"render", runRender},   {"measure", runMeasure},
        {"quarantine", runQuarantine}, {"priors", runPriors},     {"hang", runHang}, {"register", runRegister},
    };
    auto command = commands.find(options.command);
    if (command == commands.end()) {
        std::fputs(kUsage, stderr);
        return fail("unknown command '" + options.command + "'", kExitUsage);
    }
    return command->second(options);
}
