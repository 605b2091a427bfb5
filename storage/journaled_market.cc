#include "storage/journaled_market.h"

#include <algorithm>
#include <thread>

#include "absl/strings/str_cat.h"
#include "codec/json_lines.h"
#include "storage/internal/state_delta.h"
#include "storage/internal/state_format.h"

namespace market::storage {
namespace {

namespace pb = marketplace::v1;

// A rebuild writes the state in batches of at most this many changes or
// bytes (one Append each): bounded memory, and no single write of a whole
// state (hundreds of MB at a million resting orders).
constexpr size_t kRebuildBatchChanges = 65536;
constexpr size_t kRebuildBatchBytes = 16 << 20;

// Sequences one input in `simulator`, appending its events; fills the journal
// entry for it when `entry` is not null (re-execution needs no entry), reusing
// the entry's strings.
matcher::Outcome Execute(const MarketInput& input, codec::Simulator& simulator, JournalEntry* entry,
                         std::vector<pb::Event>* events) {
  const uint64_t sequence = simulator.last_sequence() + 1;
  const size_t first = events->size();
  matcher::Outcome outcome;
  if (const auto* command = std::get_if<pb::Command>(&input)) {
    outcome = simulator.Execute(sequence, *command, events);
    if (entry != nullptr) {
      entry->kind = JournalEntry::Kind::kCommand;
      command->SerializeToString(&entry->payload);
    }
  } else {
    const auto& malformed = std::get<MalformedInput>(input);
    const auto parsed = codec::ParseCommandJson(malformed.raw);
    const std::string message =
        parsed.ok() ? "not a Command" : std::string(parsed.status().message());
    outcome =
        simulator.RejectMalformed(sequence, codec::FieldOfParseError(message), message, events);
    if (entry != nullptr) {
      entry->kind = JournalEntry::Kind::kMalformed;
      entry->payload = malformed.raw;
    }
  }
  if (entry == nullptr) return outcome;
  entry->sequence = sequence;
  entry->events.resize(events->size() - first);
  for (size_t i = first; i < events->size(); ++i) {
    (*events)[i].SerializeToString(&entry->events[i - first]);
  }
  return outcome;
}

std::string RebuildHint(const std::string& data_dir) {
  return absl::StrCat("rebuild the state from the journal with `marketctl rebuild --data-dir ",
                      data_dir.empty() ? "<data dir>" : data_dir, "`");
}

absl::Status StateMismatch(uint64_t state_last, uint64_t journal_last,
                           const std::string& data_dir) {
  const std::string where = data_dir.empty() ? "" : absl::StrCat(" in ", data_dir);
  const char* why = state_last < journal_last
                        ? "the state is behind the journal (a journal of format version 1, "
                          "or a rebuild that did not finish)"
                        : "the state is ahead of the journal";
  return absl::FailedPreconditionError(absl::StrCat(
      "the stored state", where, " is at sequence ", state_last,
      " but the journal ends at sequence ", journal_last, "; ", why, "; ", RebuildHint(data_dir)));
}

absl::Status RefuseToStart(const absl::Status& why) {
  return absl::Status(why.code(), absl::StrCat("refusing to start: ", why.message()));
}

}  // namespace

JournaledMarket::JournaledMarket(std::unique_ptr<Journal> journal)
    : journal_(std::move(journal)), delta_(std::make_unique<internal::StateDelta>()) {}

JournaledMarket::~JournaledMarket() = default;

absl::Status ReExecute(const JournalEntry& entry, codec::Simulator& simulator,
                       std::vector<pb::Event>* events) {
  if (entry.sequence != simulator.last_sequence() + 1) {
    return absl::DataLossError("journal skips from sequence " +
                               std::to_string(simulator.last_sequence()) + " to " +
                               std::to_string(entry.sequence));
  }
  MarketInput input;
  if (entry.kind == JournalEntry::Kind::kCommand) {
    pb::Command command;
    if (!command.ParseFromString(entry.payload)) {
      return absl::DataLossError("journal command at sequence " + std::to_string(entry.sequence) +
                                 " does not parse");
    }
    input = std::move(command);
  } else {
    input = MalformedInput{entry.payload};
  }
  Execute(input, simulator, /*entry=*/nullptr, events);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<JournaledMarket>> JournaledMarket::Open(
    std::unique_ptr<Journal> journal) {
  return Open(std::move(journal), MarketOptions{});
}

absl::StatusOr<std::unique_ptr<JournaledMarket>> JournaledMarket::Open(
    std::unique_ptr<Journal> journal, const MarketOptions& options) {
  std::unique_ptr<JournaledMarket> market(new JournaledMarket(std::move(journal)));
  absl::Status status = options.recovery == Recovery::kLoadState ? market->LoadState(options)
                                                                 : market->ReExecuteJournal();
  if (!status.ok()) return status;
  return market;
}

absl::Status JournaledMarket::LoadState(const MarketOptions& options) {
  const uint64_t journal_last = journal_->last_sequence();
  absl::StatusOr<uint64_t> state_last = StateLastSequence(*journal_);
  if (!state_last.ok()) {
    return absl::Status(state_last.status().code(),
                        absl::StrCat("refusing to start: ", state_last.status().message(), "; ",
                                     RebuildHint(options.data_dir)));
  }
  if (*state_last != journal_last) {
    return RefuseToStart(StateMismatch(*state_last, journal_last, options.data_dir));
  }
  if (journal_last == 0) return absl::OkStatus();  // a new market
  absl::StatusOr<matcher::EngineSnapshot> snapshot = LoadStateSnapshot(*journal_);
  if (!snapshot.ok()) {
    return absl::Status(snapshot.status().code(),
                        absl::StrCat("refusing to start: ", snapshot.status().message(), "; ",
                                     RebuildHint(options.data_dir)));
  }
  if (snapshot->last_sequence != journal_last) {
    return RefuseToStart(StateMismatch(snapshot->last_sequence, journal_last, options.data_dir));
  }
  if (absl::Status restored = simulator_.Restore(*snapshot); !restored.ok()) {
    return absl::DataLossError(absl::StrCat("refusing to start: the stored state at sequence ",
                                            journal_last, " is inconsistent: ", restored.message(),
                                            "; ", RebuildHint(options.data_dir)));
  }
  state_in_sync_ = true;
  return absl::OkStatus();
}

absl::Status JournaledMarket::ReExecuteJournal() {
  std::vector<pb::Event> events;
  absl::Status status =
      journal_->Read(1, journal_->last_sequence(), [&](const JournalEntry& entry) {
        events.clear();
        return ReExecute(entry, simulator_, &events);
      });
  if (!status.ok()) return status;
  // Keep writing state only on top of a state that stands where we do.
  const absl::StatusOr<uint64_t> state_last = StateLastSequence(*journal_);
  state_in_sync_ = state_last.ok() && *state_last == simulator_.last_sequence();
  return absl::OkStatus();
}

absl::Status JournaledMarket::ExecuteGroup(std::span<const MarketInput> inputs,
                                           std::vector<pb::Event>* events,
                                           std::vector<matcher::Outcome>* outcomes) {
  if (!poisoned_.ok()) return poisoned_;
  if (inputs.empty()) return absl::OkStatus();
  group_.resize(inputs.size());
  produced_.clear();
  delta_->Clear();
  const size_t first_outcome = outcomes != nullptr ? outcomes->size() : 0;
  absl::Status status;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const size_t first = produced_.size();
    const matcher::Outcome outcome = Execute(inputs[i], simulator_, &group_[i], &produced_);
    if (outcomes != nullptr) outcomes->push_back(outcome);
    if (state_in_sync_ && status.ok()) {
      status = delta_->Add(std::get_if<pb::Command>(&inputs[i]), outcome,
                           std::span<const pb::Event>(produced_).subspan(first), group_[i].events);
    }
  }
  if (state_in_sync_ && status.ok()) status = delta_->Build(simulator_.engine());
  const char* failed = "the group's state records could not be built";
  if (status.ok()) {
    status = journal_->Append(group_,
                              state_in_sync_ ? delta_->changes() : std::span<const StateChange>());
    failed = "journal append failed";
  }
  if (!status.ok()) {
    // The engine has run ahead of the journal either way.
    poisoned_ = absl::Status(status.code(),
                             absl::StrCat(failed, ", reopen the market: ", status.message()));
    if (outcomes != nullptr) outcomes->resize(first_outcome);
    return poisoned_;
  }
  for (auto& e : produced_) events->push_back(std::move(e));
  produced_.clear();
  return absl::OkStatus();
}

absl::StatusOr<matcher::EngineSnapshot> LoadStateSnapshot(const Journal& journal) {
  const absl::StatusOr<uint64_t> before = StateLastSequence(journal);
  if (!before.ok()) return before.status();
  using Kind = internal::StateKind;
  // Two readers: the idempotency keys (the most numerous records) on a
  // thread of their own, every other kind but the assignments (not engine
  // state) here.
  internal::SnapshotBuilder keys;
  absl::Status keys_read;
  std::thread keys_reader([&] {
    keys_read = journal.ReadState(
        internal::StatePrefix(Kind::kClientRef),
        [&](std::string_view key, std::string_view body) { return keys.Add(key, body); });
  });
  internal::SnapshotBuilder builder;
  absl::Status read;
  for (const Kind kind : {Kind::kContract, Kind::kLocation, Kind::kOrder, Kind::kParticipant,
                          Kind::kRole, Kind::kLastSequence, Kind::kUsage}) {
    read = journal.ReadState(
        internal::StatePrefix(kind),
        [&](std::string_view key, std::string_view body) { return builder.Add(key, body); });
    if (!read.ok()) break;
  }
  keys_reader.join();
  if (!read.ok()) return read;
  if (!keys_read.ok()) return keys_read;
  builder.Absorb(std::move(keys));
  absl::StatusOr<matcher::EngineSnapshot> snapshot = std::move(builder).Finish();
  if (!snapshot.ok()) return snapshot.status();
  if (snapshot->last_sequence != *before) {
    return absl::UnavailableError(absl::StrCat("the state moved from sequence ", *before, " to ",
                                               snapshot->last_sequence, " while it was loaded"));
  }
  return snapshot;
}

absl::StatusOr<ReplayReport> VerifyJournal(const Journal& journal) {
  ReplayReport report;
  codec::Simulator simulator;
  std::vector<pb::Event> events;
  std::string bytes;
  absl::Status status =
      journal.Read(1, journal.last_sequence(), [&](const JournalEntry& entry) -> absl::Status {
        events.clear();
        if (absl::Status s = ReExecute(entry, simulator, &events); !s.ok()) return s;
        ++report.commands;
        report.events += events.size();
        if (report.first_divergent_sequence != 0) return absl::OkStatus();
        if (events.size() != entry.events.size()) {
          report.first_divergent_sequence = entry.sequence;
          report.divergence = "journal has " + std::to_string(entry.events.size()) +
                              " events, replay gives " + std::to_string(events.size());
          return absl::OkStatus();
        }
        for (size_t i = 0; i < events.size(); ++i) {
          events[i].SerializeToString(&bytes);
          if (bytes != entry.events[i]) {
            report.first_divergent_sequence = entry.sequence;
            report.divergence =
                "event " + std::to_string(i) + " differs; replay gives " + codec::ToJson(events[i]);
            break;
          }
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  report.digest = simulator.StateDigest();

  // The stored state, in a second engine.
  absl::StatusOr<matcher::EngineSnapshot> snapshot = LoadStateSnapshot(journal);
  if (!snapshot.ok()) {
    report.state_status = snapshot.status();
    return report;
  }
  report.state_last_sequence = snapshot->last_sequence;
  if (snapshot->last_sequence != report.commands) {
    report.state_status = StateMismatch(snapshot->last_sequence, report.commands, "");
    return report;
  }
  codec::Simulator stored;
  if (absl::Status restored = stored.Restore(*snapshot); !restored.ok()) {
    report.state_status =
        absl::DataLossError(absl::StrCat("the stored state is inconsistent: ", restored.message()));
    return report;
  }
  report.state_digest = stored.StateDigest();
  return report;
}

absl::StatusOr<RebuildReport> RebuildState(Journal& journal) {
  RebuildReport report;
  std::vector<StateChange> batch;
  size_t batch_bytes = 0;
  batch.push_back(StateChange{.op = StateChange::Op::kClear, .key = {}, .value = {}});
  auto flush = [&]() -> absl::Status {
    if (batch.empty()) return absl::OkStatus();
    absl::Status appended = journal.Append({}, batch);
    batch.clear();
    batch_bytes = 0;
    return appended;
  };
  auto put = [&](std::string_view key, std::string_view body) -> absl::Status {
    batch.push_back(StateChange{
        .op = StateChange::Op::kPut, .key = std::string(key), .value = std::string(body)});
    ++report.records;
    batch_bytes += key.size() + body.size();
    if (batch.size() < kRebuildBatchChanges && batch_bytes < kRebuildBatchBytes) {
      return absl::OkStatus();
    }
    return flush();
  };

  // Re-execute; assignments are written as they come (they are not engine
  // state, so no snapshot holds them).
  codec::Simulator simulator;
  std::vector<pb::Event> events;
  std::string key;
  std::string body;
  std::string bytes;
  absl::Status status =
      journal.Read(1, journal.last_sequence(), [&](const JournalEntry& entry) -> absl::Status {
        events.clear();
        if (absl::Status s = ReExecute(entry, simulator, &events); !s.ok()) return s;
        ++report.commands;
        for (const pb::Event& event : events) {
          if (!event.has_assignment_created()) continue;
          event.SerializeToString(&bytes);
          internal::AssignmentKey(event.sequence(), event.index(), &key);
          internal::EncodeAssignment(bytes, &body);
          ++report.assignments;
          if (absl::Status s = put(key, body); !s.ok()) return s;
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;

  const matcher::EngineSnapshot snapshot = simulator.engine().Snapshot();
  status = internal::ForEachSnapshotRecord(snapshot, put);
  if (!status.ok()) return status;
  // The last_sequence record goes last: until it is written, the state is
  // behind the journal.
  if (absl::Status flushed = flush(); !flushed.ok()) return flushed;
  internal::EncodeLastSequence(simulator.last_sequence(), &body);
  batch.push_back(StateChange{.op = StateChange::Op::kPut,
                              .key = std::string(internal::kStateLastSequenceKey),
                              .value = body});
  ++report.records;
  if (absl::Status flushed = flush(); !flushed.ok()) return flushed;
  report.last_sequence = simulator.last_sequence();
  report.digest = simulator.StateDigest();
  return report;
}

}  // namespace market::storage
