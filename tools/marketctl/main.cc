// marketctl: the market's command line. Subcommands:
//   simulate  Command JSON lines on stdin -> Event JSON lines on stdout (API.md)
//   gen       the reference workload (WORKLOAD.md) as Command JSON lines
// CLI parsing with CLI11 (Debian libcli11-dev).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "codec/json_lines.h"
#include "marketctl/workload.h"

namespace {

int RunSimulate() {
  std::ios::sync_with_stdio(false);
  market::codec::SimulateJsonLines(std::cin, std::cout);
  return std::cout.good() ? 0 : 1;
}

int RunGen(const market::tools::WorkloadOptions& options) {
  std::ios::sync_with_stdio(false);
  market::tools::GenerateWorkload(options, [](const marketplace::v1::Command& command) {
    std::cout << market::codec::ToJson(command) << '\n';
  });
  std::cout.flush();
  return std::cout.good() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"marketctl: tools for the staffing-capacity market"};
  app.require_subcommand(1);

  CLI::App* simulate = app.add_subcommand(
      "simulate",
      "Run Command JSON lines from stdin through the engine; print Event JSON lines to stdout");

  market::tools::WorkloadOptions gen_options;
  CLI::App* gen = app.add_subcommand(
      "gen", "Write the reference workload (WORKLOAD.md) as Command JSON lines to stdout");
  gen->add_option("--seed", gen_options.seed, "Random seed")->capture_default_str();
  gen->add_option("--commands", gen_options.commands,
                  "Order-flow commands after the reference data")
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  if (simulate->parsed()) return RunSimulate();
  if (gen->parsed()) return RunGen(gen_options);
  return 2;
}
