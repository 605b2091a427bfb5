// The current-state records of the `state` column family: one record per
// entity of the engine, so that a group rewrites only what it touched and
// opening a data dir loads the state instead of re-executing the journal.
//
// Keys start with one kind byte; ids are fixed-width big-endian (so orders and
// assignments iterate in sequence order), codes are their bytes:
//
//   'a' [seq: u64 BE][index: u32 BE]            assignment (AssignmentCreated Event bytes)
//   'c' contract_id                             contract and its card (not its usage)
//   'k' [n: u8][participant: n bytes][client_ref]  idempotency key -> first sequence
//   'l' code                                    location
//   'o' [id: u64 BE]                            order: open request | open offer | closed
//   'p' id                                      participant
//   'r' code                                    role
//   's'                                         state last_sequence (written with every group)
//   'u' contract_id                             contract usage (a fill rewrites only this)
//
// A body (what the journal stores behind its crc32c) is [version: u8 = 1]
// then the fields in a fixed order: unsigned integers as LEB128 varints,
// signed ones zigzag-encoded, strings and lists as a varint count then the
// items. Encoding is deterministic: equal values give equal bytes.
//
// Decoding never trusts its input: any bytes give a value or DATA_LOSS naming
// the record (DescribeStateKey), never a crash or an unbounded allocation.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "matcher/command.h"
#include "matcher/snapshot.h"

namespace market::storage::internal {

enum class StateKind : char {
  kAssignment = 'a',
  kContract = 'c',
  kClientRef = 'k',
  kLocation = 'l',
  kOrder = 'o',
  kParticipant = 'p',
  kRole = 'r',
  kLastSequence = 's',
  kUsage = 'u',
};

inline constexpr uint8_t kStateRecordVersion = 1;
inline constexpr std::string_view kStateLastSequenceKey = "s";

// The one-byte prefix of every key of `kind` (for Journal::ReadState).
inline std::string StatePrefix(StateKind kind) { return std::string(1, static_cast<char>(kind)); }

// Keys, written into *key (cleared first, capacity kept).
void RoleKey(std::string_view code, std::string* key);
void LocationKey(std::string_view code, std::string* key);
void ParticipantKey(std::string_view id, std::string* key);
void ContractKey(std::string_view contract_id, std::string* key);
void UsageKey(std::string_view contract_id, std::string* key);
void OrderKey(uint64_t id, std::string* key);
// Participant ids are at most 128 bytes (matcher/units.h), so n fits a u8.
void ClientRefKey(std::string_view participant, std::string_view client_ref, std::string* key);
void AssignmentKey(uint64_t sequence, uint32_t index, std::string* key);

// Bodies, written into *body (cleared first, capacity kept).
void EncodeRole(const matcher::DefineRole& role, std::string* body);
void EncodeLocation(const matcher::DefineLocation& location, std::string* body);
void EncodeParticipant(const matcher::UpsertParticipant& participant, std::string* body);
void EncodeContract(const matcher::UpsertContract& contract, std::string* body);
void EncodeUsage(int64_t used_fte_milli, std::string* body);
void EncodeOpenRequest(const matcher::EngineSnapshot::OpenRequest& request, std::string* body);
void EncodeOpenOffer(const matcher::EngineSnapshot::OpenOffer& offer, std::string* body);
void EncodeClosedOrder(const matcher::EngineSnapshot::ClosedOrder& order, std::string* body);
void EncodeClientRefSequence(uint64_t sequence, std::string* body);
void EncodeAssignment(std::string_view event_bytes, std::string* body);
void EncodeLastSequence(uint64_t sequence, std::string* body);

// Every record of `snapshot` but its last_sequence (a rebuild writes that
// one last) as (key, body), the same bytes a group writes for the same
// entity; stops at the first error `emit` returns.
[[nodiscard]] absl::Status ForEachSnapshotRecord(
    const matcher::EngineSnapshot& snapshot,
    const std::function<absl::Status(std::string_view key, std::string_view body)>& emit);

// The state last_sequence in a body, or DATA_LOSS.
[[nodiscard]] absl::StatusOr<uint64_t> DecodeLastSequence(std::string_view body);

// A key for people: "order 17", "role \"CTA\"", "client_ref \"S1\"/\"r9\"",
// "assignment 12.3", "state last_sequence"; "key <hex>" when malformed.
[[nodiscard]] std::string DescribeStateKey(std::string_view key);

// Collects state records, in any order, into an EngineSnapshot. Assignments
// are not engine state: Add skips them.
class SnapshotBuilder {
 public:
  // DATA_LOSS "state record <key> ..." when the key or body does not parse
  // or the body has another version.
  [[nodiscard]] absl::Status Add(std::string_view key, std::string_view body);
  // The snapshot in Engine::Restore's order (locations parents first). Every
  // contract needs its usage record and every usage record its contract
  // (else DATA_LOSS naming it); without a last_sequence record the
  // snapshot's last_sequence is 0.
  [[nodiscard]] absl::StatusOr<matcher::EngineSnapshot> Finish() &&;

  // Takes over everything `other` collected (records read on another
  // thread into a builder of their own).
  void Absorb(SnapshotBuilder&& other);

  bool has_last_sequence() const { return has_last_sequence_; }
  size_t records() const { return records_; }

 private:
  matcher::EngineSnapshot snapshot_;
  std::vector<std::pair<std::string, int64_t>> usage_;  // in key order
  bool has_last_sequence_ = false;
  size_t records_ = 0;
};

}  // namespace market::storage::internal
