// The reference workload of shared/spec/WORKLOAD.md, behind `marketctl gen`.
//
// Benchmarks and soak tests run on this stream so their figures stay
// comparable: the same options always give the same commands, byte for byte,
// on every platform (own PRNG, integer arithmetic only, no container iteration
// whose order depends on the library). The stream is the reference data
// (regions, countries, hubs, roles, participants, contracts with rate cards)
// followed by `commands` order-flow commands (publish, submit, cancel and
// withdraw, amend, and about 1% invalid commands with one bad field each).
#ifndef MARKET_TOOLS_MARKETCTL_WORKLOAD_H_
#define MARKET_TOOLS_MARKETCTL_WORKLOAD_H_

#include <cstdint>
#include <functional>

#include "marketplace/v1/command.pb.h"

namespace market::tools {

struct WorkloadOptions {
  uint64_t seed = 1;
  // Order-flow commands after the reference data.
  uint64_t commands = 100000;
  // Timestamp of sequence 0; command n (1-based position in the whole stream)
  // is stamped start + n * 1000 ns.
  uint64_t start_timestamp_unix_nanos = 1767225600000000000;
};

// Calls emit for each command of the reference workload, in order: reference
// data first (regions, countries, hubs, roles, participants, contracts with
// rate cards), then `commands` order-flow commands. Deterministic from the
// options alone. Order ids the flow refers to (R<seq>, O<seq>) assume that
// every emitted command takes one engine sequence number, starting at 1.
void GenerateWorkload(const WorkloadOptions& options,
                      const std::function<void(const marketplace::v1::Command&)>& emit);

}  // namespace market::tools

#endif  // MARKET_TOOLS_MARKETCTL_WORKLOAD_H_
