// The demo market of `marketctl seed-demo` (and the reference data the gRPC
// load generator seeds): the reference data of the reference workload
// (WORKLOAD.md: 5 regions, 40 countries, 12 hubs such as MX-CTA-HUB and
// GB-CLINOPS-HUB, 40 clinical roles, 25 vendors, 200 sponsors, contracts with
// rate cards of 1,000 to 1,500 rates), sent through AdminService, and a few
// hundred resting orders of a handful of demo sponsors and vendors taken from
// the workload's order flow.
//
// Reference data goes in stages, in order, because later stages refer to
// earlier ones; the commands of one stage are independent and are sent
// concurrently:
//
//   regions -> countries -> hubs -> roles -> participants -> contracts -> patches
//
// Seeding is idempotent-ish: roles, locations and participants that
// GetReferenceData shows are skipped; contracts are skipped when the first
// and the last both exist (GetContract), and all sent again when only one
// does (an upsert with the same card changes nothing); an ALREADY_EXISTS
// rejection counts as skipped.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "marketplace/v1/command.pb.h"
#include "marketplace/v1/service.pb.h"

namespace market::tools {

// What a list of reference-data commands defines.
struct MarketShape {
  uint64_t regions = 0;
  uint64_t countries = 0;
  uint64_t hubs = 0;
  uint64_t roles = 0;
  uint64_t sponsors = 0;
  uint64_t vendors = 0;
  uint64_t contracts = 0;
  uint64_t contracts_with_ceiling = 0;
  uint64_t rates = 0;               // rate card entries over all contracts (and patch upserts)
  uint64_t min_contract_rates = 0;  // smallest card of a contract (0 when none)
  uint64_t max_contract_rates = 0;
  uint64_t patches = 0;

  uint64_t locations() const { return regions + countries + hubs; }
  uint64_t participants() const { return sponsors + vendors; }
  uint64_t commands() const { return locations() + roles + participants() + contracts + patches; }
  void Add(const marketplace::v1::Command& command);
};

MarketShape ShapeOf(const std::vector<marketplace::v1::Command>& commands);

// One line: "5 regions, 40 countries, 12 hubs, 40 roles, 200 sponsors, ...".
std::string Describe(const MarketShape& shape);

// The reference data of the reference workload for `seed` (its stream with
// no order flow), in stream order.
std::vector<marketplace::v1::Command> DemoReferenceData(uint64_t seed = 1);

// A stage of seeding: commands that only depend on earlier stages.
struct SeedStage {
  std::string name;  // "regions", "countries", "hubs", "roles", "participants", ...
  std::vector<marketplace::v1::Command> commands;
  // Sent one by one, in order: a stage that names one key twice (a file that
  // redefines something) or that patches rate cards.
  bool sequential = false;
};

// Sorts reference-data commands into the stages above, keeping their order
// within a stage; empty stages are left out. Non-reference commands are
// ignored.
std::vector<SeedStage> SeedStages(const std::vector<marketplace::v1::Command>& reference);

// The order part of the demo: a few sponsors and vendors (the busiest of the
// workload's flow) and their first `orders` valid submits and publishes, in
// flow order and unchanged (client_ref included, so re-sending them is
// answered as duplicates).
struct DemoOrders {
  std::vector<std::string> principals;  // "sponsor:S..." first, then "vendor:V..."
  std::vector<marketplace::v1::Command> orders;
};
DemoOrders PickDemoOrders(uint64_t seed, size_t sponsors, size_t vendors, size_t orders);

// ---------------------------------------------------------------------------
// Over the network.

struct SeedOptions {
  int concurrency = 8;  // calls in flight within a stage
  // Progress lines ("contracts 300/1103"); may be empty.
  std::function<void(const std::string&)> progress;
};

struct SeedReport {
  MarketShape sent;     // accepted by the server now
  MarketShape skipped;  // there already
  uint64_t rejected = 0;
  std::vector<std::string> rejections;  // the first few, "<what>: <CODE>: <message>"
  bool already_seeded() const { return sent.commands() == 0 && rejected == 0; }
};

// Sends `stages` through AdminService with `admin_key`, skipping what exists.
// An error status only when the server cannot be used at all (unreachable,
// bad key); rejections of single commands are counted in the report.
absl::StatusOr<SeedReport> SeedReferenceData(grpc::Channel& channel, const std::string& admin_key,
                                             const std::vector<SeedStage>& stages,
                                             const SeedOptions& options);

// SendCommand (tools/client) retrying UNAVAILABLE (a server still
// recovering) for up to `unavailable_for`, and UNAUTHENTICATED for up to
// `unauthenticated_for` (a key just added to the keys file: the server
// re-reads the file about once a second).
grpc::Status SendWithRetry(grpc::Channel& channel, const std::string& key,
                           const marketplace::v1::Command& command,
                           marketplace::v1::CommandResult* result,
                           std::chrono::milliseconds unavailable_for = std::chrono::seconds(30),
                           std::chrono::milliseconds unauthenticated_for = std::chrono::seconds(0));

// Calls fn(i) for i in [0, n) from `concurrency` threads; returns when all are done.
void ForEachConcurrently(size_t n, int concurrency, const std::function<void(size_t)>& fn);

}  // namespace market::tools
