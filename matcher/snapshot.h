// EngineSnapshot: the whole state of an Engine as plain values, for storing
// current state and recovering without re-executing the journal.
//
// Invariant: Engine::Restore(engine.Snapshot()) yields an engine with the same
// StateDigest() that answers every later command with the same events. Lists
// are in canonical order (codes, ids and sequences ascending), so equal states
// give equal snapshots.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "matcher/command.h"

namespace market::matcher {

struct EngineSnapshot {
  struct Contract {
    UpsertContract contract;  // rates in canonical (role, seniority, country) order
    int64_t used_fte_milli = 0;
  };
  // An open request: the stored order (owner and defaults filled in) and its book state.
  struct OpenRequest {
    uint64_t id = 0;  // "R<id>"
    uint64_t priority_sequence = 0;
    int64_t remaining_milli = 0;
    SubmitRequest order;
    std::vector<std::string> vendors_used;  // in order of first fill
  };
  struct OpenOffer {
    uint64_t id = 0;  // "O<id>"
    uint64_t priority_sequence = 0;
    int64_t remaining_milli = 0;
    PublishOffer order;
  };
  // A closed order: enough to answer amend and cancel (owner, side).
  struct ClosedOrder {
    uint64_t id = 0;
    Side side = Side::kRequest;
    std::string owner;
  };
  struct ClientRef {
    std::string participant;
    std::string client_ref;
    uint64_t sequence = 0;  // the command that used it first
  };

  uint64_t last_sequence = 0;
  std::vector<DefineRole> roles;
  std::vector<DefineLocation> locations;  // regions, then countries, then hubs
  std::vector<UpsertParticipant> participants;
  std::vector<Contract> contracts;
  std::vector<OpenRequest> requests;
  std::vector<OpenOffer> offers;
  std::vector<ClosedOrder> closed;
  std::vector<ClientRef> client_refs;
};

}  // namespace market::matcher
