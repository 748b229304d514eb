#pragma once
// What `volume` and `render` read: the files of a series in the cache (by Series Instance UID),
// or of a file, folder or DICOMDIR on disk (the first argument; the ...Of forms take it as
// `target`, e.g. `register`'s second argument).
#include "app/cli/CliOptions.h"
#include "core/VolumeAssembler.h"

#include <filesystem>
#include <optional>
#include <vector>

namespace lb::app::cli {

// The stack a command works on: --stack N, else the largest (core::largestVolume).
std::shared_ptr<const core::Volume> chooseStack(const core::LoadedVolumes& loaded, std::optional<int> stack);

// nullopt after printing the error; `exitCode` then says how to exit.
std::optional<std::vector<std::filesystem::path>> inputFiles(const CliOptions& options, int& exitCode);

// The input's files assembled into stacks. For a series of the cache, files are named in the
// warnings by instance number and SOP Instance UID ("instance 14 (1.2.840...)"), and every
// stored file is checked against its import fingerprint (cache/StoredFileCheck.h): each stack's
// warnings then say, one line per kind, which files changed since import ("1 of 28 files
// changed since import: ..."), which are missing from the store, and which could not be read,
// with the check's plain reason ("truncated: 1234 of 5678 bytes") where it has one. nullopt
// after printing the error; `exitCode` then says how to exit.
std::optional<core::LoadedVolumes> loadVolumes(const CliOptions& options, int& exitCode);
std::optional<core::LoadedVolumes> loadVolumesOf(const CliOptions& options, const std::string& target, int& exitCode);

// The input's files assembled (loadVolumes) and the stack chosen (`measure`, `render`); null
// after printing the error, `exitCode` then says how to exit.
std::shared_ptr<const core::Volume> loadStack(const CliOptions& options, std::optional<int> stack, int& exitCode);
std::shared_ptr<const core::Volume> loadStackOf(const CliOptions& options, const std::string& target, std::optional<int> stack,
                                                int& exitCode);

} // namespace lb::app::cli
