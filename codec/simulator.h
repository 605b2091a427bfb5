// Simulator: the engine driven by proto Commands, answering proto Events.
// The one path shared by `marketctl simulate`, tests and (later) the server's
// sequencer: proto in, matcher in the middle, proto out.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "marketplace/v1/command.pb.h"
#include "marketplace/v1/event.pb.h"
#include "matcher/engine.h"

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

  uint64_t StateDigest() const { return engine_.StateDigest(); }
  uint64_t last_sequence() const { return engine_.last_sequence(); }
  const matcher::Engine& engine() const { return engine_; }

 private:
  matcher::Engine engine_;
};

}  // namespace market::codec
