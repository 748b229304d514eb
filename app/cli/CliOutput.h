#pragma once
// How lightbox-cli answers: JSON on stdout with --json (UTF-8, one document), plain text
// otherwise; errors as one line on stderr. Exit codes are part of the contract (docs/cli.md).
#include "core/Error.h"

#include <QJsonArray>
#include <QJsonObject>
#include <string>

namespace lb::app::cli {

enum ExitCode : int {
    kExitOk = 0,
    kExitFailure = 1,        // the command could not run (cache unwritable, I/O, database)
    kExitUsage = 2,          // bad command line
    kExitNothingImported = 3,// import: not one input file is in the cache afterwards
    kExitInconsistent = 4,   // check: the cache is not consistent
    kExitNotFound = 5,       // the UID or file asked for is not there
    kExitIncomplete = 6,     // find/retrieve/send: cancelled, or instances failed or missing
};

void printJson(const QJsonObject& object);
void printJson(const QJsonArray& array);
// "lightbox-cli: <message>" on stderr; returns `code` so callers can `return fail(...)`.
int fail(const std::string& message, int code = kExitFailure);
int fail(const core::Error& error);

QString qs(const std::string& text);

// Text from a DICOM file or a peer, made safe for a terminal: control characters (C0, DEL, C1:
// the ones that make escape sequences) are written as \xNN or \u00NN, so a file cannot move
// the cursor, retitle the window or hide lines. Plain-text output passes DICOM text through it.
std::string terminalSafe(const std::string& text);

} // namespace lb::app::cli
