#pragma once
// What `volume` and `render` read: the files of a series in the cache (by Series Instance UID),
// or of a file, folder or DICOMDIR on disk (the first argument).
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

// The input's files assembled and the stack chosen (`measure`, `render`); null after printing
// the error, `exitCode` then says how to exit.
std::shared_ptr<const core::Volume> loadStack(const CliOptions& options, std::optional<int> stack, int& exitCode);

} // namespace lb::app::cli
