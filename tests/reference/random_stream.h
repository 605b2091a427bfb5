// RandomStream: a deterministic, adversarial command stream for differential
// testing of the engine against the reference model.
//
// The market is deliberately tiny (2 regions, 4 countries, 2 hubs, 3 roles,
// 3 sponsors, 4 vendors, contracts for most pairs with small ceilings and rate
// cards) so that orders collide, prices tie and every rule of MATCHING.md is hit
// often: fills, slices, blend limits, ceilings, amends, cancels, duplicates,
// reference-data changes, wrong principals and commands with one bad field.
#ifndef MARKET_TESTS_REFERENCE_RANDOM_STREAM_H_
#define MARKET_TESTS_REFERENCE_RANDOM_STREAM_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "marketplace/v1/command.pb.h"

namespace market::reference {

// Returns exactly `commands` commands (the reference data set-up first, then the
// random mix) with increasing timestamps. Command i is meant to run under
// sequence i + 1. Equal seeds give equal streams on every platform.
std::vector<marketplace::v1::Command> RandomStream(uint64_t seed, size_t commands);

}  // namespace market::reference

#endif  // MARKET_TESTS_REFERENCE_RANDOM_STREAM_H_
