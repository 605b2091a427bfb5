#include "storage/journaled_market.h"

#include "codec/json_lines.h"

namespace market::storage {
namespace {

namespace pb = marketplace::v1;

// Sequences one input in `simulator`, appending its events; fills the journal
// entry for it when `entry` is not null (re-execution needs no entry).
void Execute(const MarketInput& input, codec::Simulator& simulator, JournalEntry* entry,
             std::vector<pb::Event>* events) {
  const uint64_t sequence = simulator.last_sequence() + 1;
  const size_t first = events->size();
  if (const auto* command = std::get_if<pb::Command>(&input)) {
    simulator.Execute(sequence, *command, events);
    if (entry != nullptr) {
      entry->kind = JournalEntry::Kind::kCommand;
      command->SerializeToString(&entry->payload);
    }
  } else {
    const auto& malformed = std::get<MalformedInput>(input);
    const auto parsed = codec::ParseCommandJson(malformed.raw);
    const std::string message =
        parsed.ok() ? "not a Command" : std::string(parsed.status().message());
    simulator.RejectMalformed(sequence, codec::FieldOfParseError(message), message, events);
    if (entry != nullptr) {
      entry->kind = JournalEntry::Kind::kMalformed;
      entry->payload = malformed.raw;
    }
  }
  if (entry == nullptr) return;
  entry->sequence = sequence;
  entry->events.clear();
  for (size_t i = first; i < events->size(); ++i) {
    (*events)[i].SerializeToString(&entry->events.emplace_back());
  }
}

}  // namespace

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
  std::unique_ptr<JournaledMarket> market(new JournaledMarket(std::move(journal)));
  std::vector<pb::Event> events;
  absl::Status status =
      market->journal_->Read(1, market->journal_->last_sequence(), [&](const JournalEntry& entry) {
        events.clear();
        return ReExecute(entry, market->simulator_, &events);
      });
  if (!status.ok()) return status;
  return market;
}

absl::Status JournaledMarket::ExecuteGroup(std::span<const MarketInput> inputs,
                                           std::vector<pb::Event>* events) {
  if (!poisoned_.ok()) return poisoned_;
  std::vector<JournalEntry> group(inputs.size());
  std::vector<pb::Event> produced;
  for (size_t i = 0; i < inputs.size(); ++i) Execute(inputs[i], simulator_, &group[i], &produced);
  absl::Status status = journal_->Append(group);
  if (!status.ok()) {
    poisoned_ = absl::Status(status.code(), "journal append failed, reopen the market: " +
                                                std::string(status.message()));
    return poisoned_;
  }
  for (auto& e : produced) events->push_back(std::move(e));
  return absl::OkStatus();
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
  return report;
}

}  // namespace market::storage
