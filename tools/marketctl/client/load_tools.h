// Pieces of the gRPC load generator (bench/grpc_load.cc) that need no network:
// a lock-free latency histogram, the map from the sequence a workload command
// was generated for to the sequence it actually took, and the rewrite that
// lets one workload replay on a server that is not fresh.
//
// Why the rewrite: the reference workload refers to its own orders by id
// ("R<sequence>", "O<sequence>"), assuming command n of the stream takes
// sequence n (WORKLOAD.md). On a server that already holds commands, or when
// many clients send concurrently, the sequences differ. The load generator
// records each command's actual sequence (SequenceMap) and rewrites later
// references through it; it also appends a per-run suffix to every client_ref
// so that a second run is not answered as duplicates.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "marketplace/v1/command.pb.h"

namespace market::tools {

// Latencies in nanoseconds, recorded from any number of threads without a
// lock. Log-linear buckets: exact below 64 ns, then 64 buckets per power of
// two, so a percentile is within 1/64 (1.6%) above the true value.
class LatencyHistogram {
 public:
  LatencyHistogram();
  LatencyHistogram(const LatencyHistogram&) = delete;
  LatencyHistogram& operator=(const LatencyHistogram&) = delete;

  void Record(uint64_t nanos);
  uint64_t count() const;
  uint64_t max_nanos() const { return max_.load(std::memory_order_relaxed); }
  // The smallest recorded bucket bound b such that at least fraction `q` (0..1]
  // of the values are <= b, capped at max_nanos(); 0 when empty.
  uint64_t Percentile(double q) const;

  // Bucket arithmetic, public for tests.
  static size_t BucketOf(uint64_t nanos);
  static uint64_t BucketUpperBound(size_t bucket);  // largest value in the bucket

 private:
  static constexpr int kSubBits = 6;
  static constexpr size_t kSub = size_t{1} << kSubBits;
  static constexpr size_t kBuckets = (64 - kSubBits + 1) * kSub;
  std::unique_ptr<std::array<std::atomic<uint64_t>, kBuckets>> counts_;
  std::atomic<uint64_t> max_{0};
};

// position (1-based place of a command in its workload stream, the sequence
// it was generated for) -> the sequence it took on the server; 0 = unknown.
// Set and Get may race from any threads.
class SequenceMap {
 public:
  explicit SequenceMap(uint64_t positions);
  void Set(uint64_t position, uint64_t actual);
  uint64_t Get(uint64_t position) const;

 private:
  std::unique_ptr<std::atomic<uint64_t>[]> actual_;
  uint64_t size_;
};

// "R123" with prefix 'R' -> "R<map.Get(123)>"; unchanged when the id does not
// parse or its position is unknown.
std::string RemapOrderId(std::string_view id, char prefix, const SequenceMap& map);

// Rewrites the order ids that `command` refers to (amend, cancel, withdraw)
// through `map`, and appends `ref_suffix` to its client_ref (submit, publish,
// amends) when it has one.
void PrepareForRun(const SequenceMap& map, std::string_view ref_suffix,
                   marketplace::v1::Command* command);

// True for the reference-data bodies (roles, locations, participants,
// contracts, rate card patches): admin commands that orders depend on.
bool IsReferenceData(const marketplace::v1::Command& command);

// A workload: positioned commands, the leading reference data split off.
struct PositionedCommand {
  uint64_t position = 0;  // 1-based among the stream's (non-blank) commands
  marketplace::v1::Command command;
};
struct Workload {
  std::vector<PositionedCommand> reference;  // the leading run of reference data
  std::vector<PositionedCommand> flow;       // the rest, in order
  uint64_t malformed = 0;                    // lines that did not parse (each keeps its position)
};

// Splits a stream (positions 1, 2, ...): its leading run of reference-data
// commands, then the rest.
Workload SplitWorkload(std::vector<marketplace::v1::Command> commands);

// Reads Command JSON lines as `marketctl simulate` does: blank lines are
// skipped and take no position, a line that does not parse takes one but is
// left out (counted in `malformed`).
Workload ReadWorkload(std::istream& in);

// Distinct principals of `commands`, in order of first appearance.
std::vector<std::string> PrincipalsOf(const std::vector<PositionedCommand>& commands);

}  // namespace market::tools
