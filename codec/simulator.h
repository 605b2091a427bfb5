// Simulator: the engine driven by proto Commands, answering proto Events.
// The one path shared by `marketctl simulate`, tests and (later) the server's
// sequencer: proto in, matcher in the middle, proto out.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "marketplace/v1/command.pb.h"
#include "marketplace/v1/event.pb.h"
#include "matcher/engine.h"
#include "matcher/snapshot.h"

namespace market::codec {

class Simulator {
 public:
  Simulator() = default;

  // Executes `command` as `sequence` (last_sequence() + 1); appends its events.
  matcher::Outcome Execute(uint64_t sequence, const marketplace::v1::Command& command,
                           std::vector<marketplace::v1::Event>* events);

  // Takes `sequence` for input that is not a Command; appends its CommandRejected.
  matcher::Outcome RejectMalformed(uint64_t sequence, std::string_view field,
                                   std::string_view message,
                                   std::vector<marketplace::v1::Event>* events);

  // Replaces the engine with one in the state of `snapshot` (recovery from
  // stored current state); INVALID_ARGUMENT from Engine::Restore leaves the
  // engine as it was.
  [[nodiscard]] absl::Status Restore(const matcher::EngineSnapshot& snapshot);

  uint64_t StateDigest() const { return engine_->StateDigest(); }
  uint64_t last_sequence() const { return engine_->last_sequence(); }
  const matcher::Engine& engine() const { return *engine_; }
  // Engine::ReserveClientRefs: capacity only, no effect on state or events.
  void ReserveClientRefs(size_t keys) { engine_->ReserveClientRefs(keys); }

 private:
  std::unique_ptr<matcher::Engine> engine_ = std::make_unique<matcher::Engine>();
};

}  // namespace market::codec
