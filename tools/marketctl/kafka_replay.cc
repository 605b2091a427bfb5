#include "marketctl/kafka_replay.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "broker/kafka/topic_reader.h"
#include "codec/event_projector.h"
#include "codec/json_lines.h"
#include "matcher/engine.h"
#include "storage/journal.h"
#include "storage/journaled_market.h"

namespace market::tools {
namespace {

namespace pb = marketplace::v1;

unsigned long long U(uint64_t v) { return static_cast<unsigned long long>(v); }

int Fail(const std::string& message) {
  std::cerr << "kafka-replay: " << message << "\n";
  return 1;
}

// The stored state of `dir`: its digest and last sequence, and the sequences
// whose command produced no event (duplicates), which a topic cannot show.
struct DataDirState {
  uint64_t digest = 0;
  uint64_t last_sequence = 0;
  std::vector<uint64_t> silent_sequences;
};

absl::StatusOr<DataDirState> ReadDataDir(const std::string& dir) {
  absl::StatusOr<std::unique_ptr<storage::Journal>> journal = storage::OpenRocksJournal(
      dir, {.sync = storage::SyncPolicy::kNever, .create_if_missing = false});
  if (!journal.ok()) return journal.status();
  absl::StatusOr<matcher::EngineSnapshot> snapshot = storage::LoadStateSnapshot(**journal);
  if (!snapshot.ok()) return snapshot.status();
  absl::StatusOr<std::unique_ptr<matcher::Engine>> engine = matcher::Engine::Restore(*snapshot);
  if (!engine.ok()) return engine.status();
  DataDirState state{(*engine)->StateDigest(), snapshot->last_sequence, {}};
  const absl::Status read =
      (*journal)->Read(1, snapshot->last_sequence, [&](const storage::JournalEntry& entry) {
        if (entry.events.empty()) state.silent_sequences.push_back(entry.sequence);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  return state;
}

}  // namespace

int RunKafkaReplay(const KafkaReplayOptions& options) {
  std::optional<DataDirState> compare;
  if (!options.compare.empty()) {
    absl::StatusOr<DataDirState> state = ReadDataDir(options.compare);
    if (!state.ok()) return Fail("--compare " + options.compare + ": " + state.status().ToString());
    compare = *std::move(state);
  }
  std::ofstream events_out;
  if (!options.data_dir.empty()) {
    std::error_code error;
    if (std::filesystem::exists(options.data_dir, error)) {
      return Fail("--data-dir " + options.data_dir + " exists; give a new directory");
    }
    std::filesystem::create_directories(options.data_dir, error);
    if (error) return Fail("cannot create " + options.data_dir + ": " + error.message());
    events_out.open(options.data_dir + "/events.jsonl");
  }

  codec::EventProjector projector;
  kafka::ReadTopicStats stats;
  kafka::ReadTopicOptions read_options;
  read_options.gaps = kafka::ReadTopicOptions::Gaps::kReport;
  read_options.timeout_ms = options.timeout_ms;
  const absl::Status read = kafka::ReadTopic(
      options.brokers, options.topic,
      [&](const pb::Event& event) {
        if (events_out.is_open()) events_out << codec::ToJson(event) << '\n';
        return projector.Apply(event);
      },
      &stats, read_options);
  if (!read.ok()) return Fail(read.ToString());

  // A sequence without events is a loss unless the data dir shows it was a
  // command that produced none (a retried client_ref).
  uint64_t unexplained = 0;
  uint64_t first_unexplained = 0;
  for (const kafka::SequenceRange& range : stats.missing_sequences) {
    for (uint64_t s = range.first; s <= range.last; ++s) {
      const bool silent = compare && std::binary_search(compare->silent_sequences.begin(),
                                                        compare->silent_sequences.end(), s);
      if (silent) continue;
      if (unexplained++ == 0) first_unexplained = s;
    }
  }
  if (compare) {
    if (projector.last_sequence() > compare->last_sequence) {
      return Fail("the topic reaches sequence " + std::to_string(projector.last_sequence()) +
                  ", beyond the data dir's " + std::to_string(compare->last_sequence));
    }
    if (absl::Status moved = projector.SetLastSequence(compare->last_sequence); !moved.ok()) {
      return Fail(moved.ToString());
    }
  }
  absl::StatusOr<std::unique_ptr<matcher::Engine>> engine =
      matcher::Engine::Restore(projector.Snapshot());
  if (!engine.ok()) return Fail("the projected state does not load: " + engine.status().ToString());
  const uint64_t digest = (*engine)->StateDigest();
  if (!options.data_dir.empty()) {
    std::ofstream(options.data_dir + "/state-digest.txt")
        << std::hex << digest << std::dec << " at sequence " << projector.last_sequence() << "\n";
  }
  std::printf(
      "kafka-replay: %llu records, %llu duplicates dropped, %llu distinct events over %u "
      "partitions, up to sequence %llu; state digest %016llx",
      U(stats.records), U(stats.duplicates), U(stats.events), stats.partitions,
      U(projector.last_sequence()), U(digest));
  if (!compare) {
    // Without the data dir a sequence without events may be a retried
    // client_ref (which produces none) or a loss: say so, decide nothing.
    if (unexplained != 0) {
      std::printf(
          "; %llu sequences without events, the first %llu (retries produce none; "
          "--compare DIR tells them from losses)",
          U(unexplained), U(first_unexplained));
    }
    std::printf("\n");
    return 0;
  }
  if (unexplained != 0) {
    std::printf("; MISSING: %llu sequences without events, the first %llu\n", U(unexplained),
                U(first_unexplained));
    return 1;
  }
  if (digest != compare->digest) {
    std::printf("; DIFFERS from %s: %016llx at sequence %llu\n", options.compare.c_str(),
                U(compare->digest), U(compare->last_sequence));
    return 1;
  }
  std::printf("; equals %s at sequence %llu\n", options.compare.c_str(), U(compare->last_sequence));
  return 0;
}

}  // namespace market::tools
