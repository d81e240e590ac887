// Registration functions of the higgsuq subcommands; each lives in its own cmd_*.cpp file.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>

namespace higgsuq::cli {

void addImportCommand(CLI::App& app);
void addExportCommand(CLI::App& app);
void addSystematicsCommand(CLI::App& app);
void addPseudoCommand(CLI::App& app);
void addScoreCommand(CLI::App& app);
void addFitCommand(CLI::App& app);
void addSimulateCommand(CLI::App& app);
void addTrainCommand(CLI::App& app);
void addIngestCommand(CLI::App& app);
void addReportCommand(CLI::App& app);
void addPredictCommand(CLI::App& app);

void addRunCommand(CLI::App& app);

/// `higgsuq score DIR` with its defaults (used by `higgsuq run`).
void scoreDirectory(const std::filesystem::path& directory);

}  // namespace higgsuq::cli
