// ReferenceMarket: a deliberately naive, literal model of the matching rules in
// shared/spec/MATCHING.md, shared/spec/API.md and docs/MATCHING_NOTES.md.
//
// It exists only as a test oracle for the fast engine (matcher/ + codec/): every
// rule is written the obvious way (linear scans over every order, a full copy of
// the state for the all-or-none dry run) so that it can be checked by reading it
// next to the spec. It never crashes on any input and uses integers only.
#ifndef MARKET_TESTS_REFERENCE_REFERENCE_MARKET_H_
#define MARKET_TESTS_REFERENCE_REFERENCE_MARKET_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "marketplace/v1/command.pb.h"
#include "marketplace/v1/event.pb.h"

namespace market::reference {

class ReferenceMarket {
 public:
  ReferenceMarket();
  ~ReferenceMarket();
  ReferenceMarket(const ReferenceMarket&) = delete;
  ReferenceMarket& operator=(const ReferenceMarket&) = delete;

  // Runs one command under `sequence` (the caller passes 1, 2, 3, ... without
  // gaps) and returns its events, each stamped with the sequence, its index and
  // the command's timestamp and principal. A duplicate returns no event.
  std::vector<marketplace::v1::Event> Execute(uint64_t sequence,
                                              const marketplace::v1::Command& command);

  // The events of an input line that is not a Command: one CommandRejected
  // {INVALID_ARGUMENT, field "", message} with an empty principal.
  std::vector<marketplace::v1::Event> RejectMalformed(uint64_t sequence,
                                                      uint64_t timestamp_unix_nanos,
                                                      const std::string& message);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace market::reference

#endif  // MARKET_TESTS_REFERENCE_REFERENCE_MARKET_H_
