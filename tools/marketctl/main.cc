// marketctl: the market's command line. Subcommands:
//   simulate  Command JSON lines on stdin -> Event JSON lines on stdout (API.md);
//             with --data-dir, through the durable journal as well
//   replay    re-execute a data dir's journal, compare every event byte and
//             the final state digest with the stored state's
//   rebuild   rebuild a data dir's stored state from its journal
//   journal   print a data dir's commands and events as JSON lines
//   backup    a consistent copy of a data dir (RocksDB checkpoint)
//   gen       the reference workload (WORKLOAD.md) as Command JSON lines
//   kafka-replay  rebuild the state from the Kafka topic alone; compare digests
// and the client side (tools/marketctl/client): submit, publish, amend, cancel,
// withdraw, send, watch, events, keys add, seed-demo.
// CLI parsing with CLI11 (Debian libcli11-dev).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "codec/json_lines.h"
#include "marketctl/client/client_commands.h"
#include "marketctl/kafka_replay.h"
#include "marketctl/workload.h"
#include "storage/journal.h"
#include "storage/journaled_market.h"

namespace {

namespace pb = marketplace::v1;
using market::storage::JournalEntry;

int Fail(const absl::Status& status) {
  std::cerr << "marketctl: " << status.message() << "\n";
  return 1;
}

struct JournalFlags {
  std::string data_dir;
  std::string fsync = "always";
};

absl::StatusOr<std::unique_ptr<market::storage::Journal>> OpenJournal(const JournalFlags& flags,
                                                                      bool create) {
  market::storage::RocksJournalOptions options;
  options.sync = flags.fsync == "never" ? market::storage::SyncPolicy::kNever
                                        : market::storage::SyncPolicy::kAlways;
  options.create_if_missing = create;
  return market::storage::OpenRocksJournal(flags.data_dir, options);
}

int RunSimulate() {
  market::codec::SimulateJsonLines(std::cin, std::cout);
  return std::cout.good() ? 0 : 1;
}

// Lines are grouped `group_size` at a time: one journal append (and sync) a group.
int RunDurableSimulate(const JournalFlags& flags, size_t group_size) {
  auto journal = OpenJournal(flags, /*create=*/true);
  if (!journal.ok()) return Fail(journal.status());
  auto market = market::storage::JournaledMarket::Open(
      std::move(*journal),
      {.recovery = market::storage::Recovery::kLoadState, .data_dir = flags.data_dir});
  if (!market.ok()) return Fail(market.status());
  std::vector<market::storage::MarketInput> group;
  std::vector<pb::Event> events;
  auto flush = [&]() -> absl::Status {
    events.clear();
    absl::Status status = (*market)->ExecuteGroup(group, &events);
    group.clear();
    for (const auto& e : events) std::cout << market::codec::ToJson(e) << '\n';
    return status;
  };
  std::string line;
  while (std::getline(std::cin, line)) {
    if (market::codec::IsBlankLine(line)) continue;
    auto command = market::codec::ParseCommandJson(line);
    if (command.ok()) {
      group.emplace_back(std::move(*command));
    } else {
      group.emplace_back(market::storage::MalformedInput{line});
    }
    if (group.size() >= group_size) {
      if (absl::Status s = flush(); !s.ok()) return Fail(s);
    }
  }
  if (!group.empty()) {
    if (absl::Status s = flush(); !s.ok()) return Fail(s);
  }
  std::cout.flush();
  return std::cout.good() ? 0 : 1;
}

unsigned long long U(uint64_t v) { return static_cast<unsigned long long>(v); }

// One line either way; exit 1 on any divergence of events or state.
int RunReplay(const JournalFlags& flags) {
  auto journal = OpenJournal(flags, /*create=*/false);
  if (!journal.ok()) return Fail(journal.status());
  auto report = market::storage::VerifyJournal(**journal);
  if (!report.ok()) return Fail(report.status());
  if (report->first_divergent_sequence != 0) {
    std::cout << "replay: DIVERGES at sequence " << report->first_divergent_sequence << ": "
              << report->divergence << "\n";
    return 1;
  }
  if (!report->state_status.ok()) {
    std::printf(
        "replay: %llu commands, %llu events, every event identical; replayed state digest "
        "%016llx; STORED STATE NOT COMPARABLE: %s\n",
        U(report->commands), U(report->events), U(report->digest),
        std::string(report->state_status.message()).c_str());
    return 1;
  }
  if (!report->state_matches()) {
    std::printf(
        "replay: %llu commands, %llu events, every event identical; STATE DIVERGES: replayed "
        "digest %016llx, stored state digest %016llx (stored state at sequence %llu)\n",
        U(report->commands), U(report->events), U(report->digest), U(report->state_digest),
        U(report->state_last_sequence));
    return 1;
  }
  std::printf(
      "replay: %llu commands, %llu events, every event identical; state digest %016llx "
      "(replayed) = %016llx (stored state at sequence %llu)\n",
      U(report->commands), U(report->events), U(report->digest), U(report->state_digest),
      U(report->state_last_sequence));
  return 0;
}

// Rebuilds the stored state from the journal, then loads it back as a check.
int RunRebuild(const JournalFlags& flags) {
  auto journal = OpenJournal(flags, /*create=*/false);
  if (!journal.ok()) return Fail(journal.status());
  auto report = market::storage::RebuildState(**journal);
  if (!report.ok()) return Fail(report.status());
  auto market = market::storage::JournaledMarket::Open(
      std::move(*journal),
      {.recovery = market::storage::Recovery::kLoadState, .data_dir = flags.data_dir});
  if (!market.ok()) return Fail(market.status());
  if ((*market)->StateDigest() != report->digest) {
    std::printf("rebuild: the rebuilt state loads with digest %016llx, not %016llx\n",
                U((*market)->StateDigest()), U(report->digest));
    return 1;
  }
  std::printf(
      "rebuild: %llu commands re-executed; %llu state records written (%llu assignments); state "
      "at sequence %llu, digest %016llx, loads back identical\n",
      U(report->commands), U(report->records), U(report->assignments), U(report->last_sequence),
      U(report->digest));
  return 0;
}

int RunJournal(const JournalFlags& flags, uint64_t from, uint64_t to) {
  auto journal = OpenJournal(flags, /*create=*/false);
  if (!journal.ok()) return Fail(journal.status());
  pb::Event event;
  absl::Status status = (*journal)->Read(from, to, [&](const JournalEntry& entry) {
    std::cout << "{\"sequence\":\"" << entry.sequence << "\",";
    if (entry.kind == JournalEntry::Kind::kCommand) {
      pb::Command command;
      if (!command.ParseFromString(entry.payload)) {
        return absl::DataLossError("command at sequence " + std::to_string(entry.sequence) +
                                   " does not parse");
      }
      std::cout << "\"command\":" << market::codec::ToJson(command) << "}\n";
    } else {
      // The raw line may hold any bytes: escape it, replacing invalid UTF-8.
      std::cout << "\"malformed\":"
                << nlohmann::json(entry.payload)
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                << "}\n";
    }
    for (const std::string& bytes : entry.events) {
      if (!event.ParseFromString(bytes)) {
        return absl::DataLossError("event at sequence " + std::to_string(entry.sequence) +
                                   " does not parse");
      }
      std::cout << market::codec::ToJson(event) << '\n';
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return Fail(status);
  return 0;
}

int RunGen(const market::tools::WorkloadOptions& options) {
  market::tools::GenerateWorkload(options, [](const pb::Command& command) {
    std::cout << market::codec::ToJson(command) << '\n';
  });
  std::cout.flush();
  return std::cout.good() ? 0 : 1;
}

void AddJournalFlags(CLI::App* app, JournalFlags* flags, bool required) {
  auto* opt = app->add_option("--data-dir", flags->data_dir, "RocksDB data directory");
  if (required) opt->required();
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  CLI::App app{"marketctl: tools for the staffing-capacity market"};
  app.require_subcommand(1);

  JournalFlags simulate_flags;
  size_t group_size = 64;
  CLI::App* simulate = app.add_subcommand(
      "simulate",
      "Run Command JSON lines from stdin through the engine; print Event JSON lines to stdout");
  AddJournalFlags(simulate, &simulate_flags, false);
  simulate->add_option("--group", group_size, "Lines per journal group (one sync each)")
      ->check(CLI::Range(1, 65536))
      ->capture_default_str();
  simulate->add_option("--fsync", simulate_flags.fsync, "Sync policy: always or never")
      ->check(CLI::IsMember({"always", "never"}))
      ->capture_default_str();

  JournalFlags replay_flags;
  CLI::App* replay = app.add_subcommand(
      "replay",
      "Re-execute a data dir's journal in a fresh engine; compare every event and the final "
      "state digest with the stored state's");
  AddJournalFlags(replay, &replay_flags, true);

  JournalFlags rebuild_flags;
  CLI::App* rebuild = app.add_subcommand(
      "rebuild",
      "Rebuild a data dir's stored current state from its journal (after a refusal to start)");
  AddJournalFlags(rebuild, &rebuild_flags, true);

  JournalFlags journal_flags;
  uint64_t from = 1;
  uint64_t to = UINT64_MAX;
  CLI::App* journal =
      app.add_subcommand("journal", "Print a data dir's commands and events as JSON lines");
  AddJournalFlags(journal, &journal_flags, true);
  journal->add_option("--from", from, "First sequence")->capture_default_str();
  journal->add_option("--to", to, "Last sequence (default: the end)");

  JournalFlags backup_flags;
  std::string backup_to;
  CLI::App* backup =
      app.add_subcommand("backup", "Write a consistent copy of a data dir (RocksDB checkpoint)");
  AddJournalFlags(backup, &backup_flags, true);
  backup->add_option("--to", backup_to, "Directory to create")->required();

  market::tools::WorkloadOptions gen_options;
  CLI::App* gen = app.add_subcommand(
      "gen", "Write the reference workload (WORKLOAD.md) as Command JSON lines to stdout");
  gen->add_option("--seed", gen_options.seed, "Random seed")->capture_default_str();
  gen->add_option("--commands", gen_options.commands,
                  "Order-flow commands after the reference data")
      ->capture_default_str();

  market::tools::KafkaReplayOptions kafka_replay_options;
  CLI::App* kafka_replay = app.add_subcommand(
      "kafka-replay",
      "Consume the event topic from the beginning, dedupe, check for gaps, rebuild the state "
      "from the events alone and print its digest");
  kafka_replay->add_option("--brokers", kafka_replay_options.brokers, "Kafka bootstrap servers")
      ->required();
  kafka_replay->add_option("--topic", kafka_replay_options.topic, "Event topic")
      ->capture_default_str();
  kafka_replay->add_option("--data-dir", kafka_replay_options.data_dir,
                           "New directory for the topic's events (events.jsonl) and the "
                           "rebuilt state's digest");
  kafka_replay->add_option("--compare", kafka_replay_options.compare,
                           "Data dir (stopped server or backup) whose state must be equal");
  kafka_replay
      ->add_option("--timeout-ms", kafka_replay_options.timeout_ms,
                   "Give up reading the topic after this long")
      ->capture_default_str();

  market::tools::AddClientCommands(app);

  CLI11_PARSE(app, argc, argv);
  if (kafka_replay->parsed()) return market::tools::RunKafkaReplay(kafka_replay_options);
  if (simulate->parsed()) {
    return simulate_flags.data_dir.empty() ? RunSimulate()
                                           : RunDurableSimulate(simulate_flags, group_size);
  }
  if (replay->parsed()) return RunReplay(replay_flags);
  if (rebuild->parsed()) return RunRebuild(rebuild_flags);
  if (journal->parsed()) return RunJournal(journal_flags, from, to);
  if (backup->parsed()) {
    absl::Status s = market::storage::CheckpointRocksJournal(backup_flags.data_dir, backup_to);
    if (!s.ok()) return Fail(s);
    std::cout << "backup: " << backup_flags.data_dir << " -> " << backup_to << "\n";
    return 0;
  }
  if (gen->parsed()) return RunGen(gen_options);
  return 2;
}
