#include "marketctl/client/demo_market.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "marketctl/client/command_input.h"
#include "marketctl/client/load_tools.h"
#include "marketctl/workload.h"
#include "tools/client/market_client.h"

namespace market::tools {
namespace {

namespace pb = marketplace::v1;

// Stage order; a command's stage by its body.
enum Stage : int {
  kRegions,
  kCountries,
  kHubs,
  kRoles,
  kParticipants,
  kContracts,
  kPatches,
  kStageCount
};
constexpr const char* kStageNames[kStageCount] = {
    "regions", "countries", "hubs", "roles", "participants", "contracts", "rate card patches"};

int StageOf(const pb::Command& command) {
  switch (command.body_case()) {
    case pb::Command::kDefineLocation:
      switch (command.define_location().kind()) {
        case pb::REGION:
          return kRegions;
        case pb::COUNTRY:
          return kCountries;
        default:
          return kHubs;
      }
    case pb::Command::kDefineRole:
      return kRoles;
    case pb::Command::kUpsertParticipant:
      return kParticipants;
    case pb::Command::kUpsertContract:
      return kContracts;
    case pb::Command::kPatchRateCard:
      return kPatches;
    default:
      return -1;
  }
}

// The key a reference-data command defines (two commands with one key must
// keep their order).
std::string KeyOf(const pb::Command& command) {
  switch (command.body_case()) {
    case pb::Command::kDefineLocation:
      return command.define_location().code();
    case pb::Command::kDefineRole:
      return command.define_role().code();
    case pb::Command::kUpsertParticipant:
      return command.upsert_participant().id();
    case pb::Command::kUpsertContract:
      return command.upsert_contract().contract_id();
    case pb::Command::kPatchRateCard:
      return command.patch_rate_card().contract_id();
    default:
      return "";
  }
}

bool IsValidOrder(const pb::Command& command) {
  // The workload marks its invalid commands with a client_ref starting with 'x'.
  if (command.has_submit_request()) return command.submit_request().client_ref().rfind('x', 0) != 0;
  if (command.has_publish_offer()) return command.publish_offer().client_ref().rfind('x', 0) != 0;
  return false;
}

std::string Plural(uint64_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// What exists on the server: GetReferenceData, then (when anything existed)
// GetContract for a sample of the contracts to seed.
struct Existing {
  std::set<std::string> roles;
  std::set<std::string> locations;
  std::set<std::string> participants;
  bool fresh() const { return roles.empty() && locations.empty() && participants.empty(); }
};

absl::StatusOr<Existing> ReadExisting(grpc::Channel& channel, const std::string& admin_key) {
  std::shared_ptr<grpc::Channel> shared(&channel, [](grpc::Channel*) {});
  auto stub = pb::AdminService::NewStub(shared);
  pb::ReferenceData data;
  grpc::Status status;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    grpc::ClientContext context;
    client::Prepare(&context, admin_key);
    status = stub->GetReferenceData(&context, pb::ListReferenceDataRequest(), &data);
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE ||
        std::chrono::steady_clock::now() > give_up) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        "GetReferenceData: " + status.error_message());
  }
  Existing existing;
  for (const pb::Role& role : data.roles()) existing.roles.insert(role.code());
  for (const pb::Location& location : data.locations()) existing.locations.insert(location.code());
  for (const pb::Participant& p : data.participants()) existing.participants.insert(p.id());
  return existing;
}

bool ContractExists(grpc::Channel& channel, const std::string& admin_key, const std::string& id) {
  std::shared_ptr<grpc::Channel> shared(&channel, [](grpc::Channel*) {});
  grpc::ClientContext context;
  client::Prepare(&context, admin_key);
  pb::GetContractRequest request;
  request.set_contract_id(id);
  pb::Contract contract;
  return pb::AdminService::NewStub(shared)->GetContract(&context, request, &contract).ok();
}

// Indices of the contracts probed for existence: the first and the last
// (seeding sends them in order, so an interrupted seeding misses the tail).
std::vector<size_t> ContractSample(size_t n) {
  if (n == 0) return {};
  if (n == 1) return {0};
  return {0, n - 1};
}

}  // namespace

// ---------------------------------------------------------------------------
// Shapes and stages

void MarketShape::Add(const pb::Command& command) {
  switch (StageOf(command)) {
    case kRegions:
      ++regions;
      break;
    case kCountries:
      ++countries;
      break;
    case kHubs:
      ++hubs;
      break;
    case kRoles:
      ++roles;
      break;
    case kParticipants:
      if (command.upsert_participant().kind() == pb::SPONSOR) {
        ++sponsors;
      } else {
        ++vendors;
      }
      break;
    case kContracts: {
      const uint64_t card = static_cast<uint64_t>(command.upsert_contract().rates_size());
      ++contracts;
      if (command.upsert_contract().max_fte_milli() != 0) ++contracts_with_ceiling;
      rates += card;
      min_contract_rates = contracts == 1 ? card : std::min(min_contract_rates, card);
      max_contract_rates = std::max(max_contract_rates, card);
      break;
    }
    case kPatches:
      ++patches;
      rates += static_cast<uint64_t>(command.patch_rate_card().upserts_size());
      break;
    default:
      break;
  }
}

MarketShape ShapeOf(const std::vector<pb::Command>& commands) {
  MarketShape shape;
  for (const pb::Command& command : commands) shape.Add(command);
  return shape;
}

std::string Describe(const MarketShape& s) {
  std::string out =
      Plural(s.regions, "region", "regions") + ", " + Plural(s.countries, "country", "countries") +
      ", " + Plural(s.hubs, "hub", "hubs") + ", " + Plural(s.roles, "role", "roles") + ", " +
      Plural(s.sponsors, "sponsor", "sponsors") + ", " + Plural(s.vendors, "vendor", "vendors") +
      ", " + Plural(s.contracts, "contract", "contracts");
  if (s.contracts != 0) {
    out += " (" + std::to_string(s.contracts_with_ceiling) + " with an FTE ceiling; " +
           std::to_string(s.min_contract_rates) + ".." + std::to_string(s.max_contract_rates) +
           " rates each)";
  }
  out += ", " + Plural(s.rates, "rate", "rates");
  if (s.patches != 0) out += ", " + Plural(s.patches, "rate card patch", "rate card patches");
  return out;
}

std::vector<pb::Command> DemoReferenceData(uint64_t seed) {
  WorkloadOptions options;
  options.seed = seed;
  options.commands = 0;
  std::vector<pb::Command> out;
  GenerateWorkload(options, [&](const pb::Command& command) { out.push_back(command); });
  return out;
}

std::vector<SeedStage> SeedStages(const std::vector<pb::Command>& reference) {
  std::vector<SeedStage> stages(kStageCount);
  std::vector<std::set<std::string>> keys(kStageCount);
  for (int s = 0; s < kStageCount; ++s) stages[static_cast<size_t>(s)].name = kStageNames[s];
  stages[kPatches].sequential = true;
  for (const pb::Command& command : reference) {
    const int stage = StageOf(command);
    if (stage < 0) continue;
    SeedStage& into = stages[static_cast<size_t>(stage)];
    if (!keys[static_cast<size_t>(stage)].insert(KeyOf(command)).second) into.sequential = true;
    into.commands.push_back(command);
  }
  std::erase_if(stages, [](const SeedStage& stage) { return stage.commands.empty(); });
  return stages;
}

DemoOrders PickDemoOrders(uint64_t seed, size_t sponsors, size_t vendors, size_t orders) {
  WorkloadOptions options;
  options.seed = seed;
  options.commands = std::max<uint64_t>(20000, uint64_t{60} * orders);
  std::vector<pb::Command> flow;
  std::map<std::string, uint64_t> activity;
  GenerateWorkload(options, [&](const pb::Command& command) {
    if (!IsValidOrder(command)) return;
    ++activity[command.principal()];
    flow.push_back(command);
  });
  // The busiest principals of each kind; ties by name.
  auto busiest = [&](const std::string& prefix, size_t n) {
    std::vector<std::pair<uint64_t, std::string>> ranked;
    for (const auto& [principal, count] : activity) {
      if (principal.rfind(prefix, 0) == 0) ranked.emplace_back(count, principal);
    }
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::vector<std::string> out;
    for (size_t i = 0; i < std::min(n, ranked.size()); ++i) out.push_back(ranked[i].second);
    std::sort(out.begin(), out.end());
    return out;
  };
  DemoOrders demo;
  demo.principals = busiest("sponsor:", sponsors);
  for (std::string& v : busiest("vendor:", vendors)) demo.principals.push_back(std::move(v));
  const std::set<std::string> chosen(demo.principals.begin(), demo.principals.end());
  for (pb::Command& command : flow) {
    if (demo.orders.size() >= orders) break;
    if (chosen.count(command.principal()) != 0) demo.orders.push_back(std::move(command));
  }
  return demo;
}

// ---------------------------------------------------------------------------
// Over the network

void ForEachConcurrently(size_t n, int concurrency, const std::function<void(size_t)>& fn) {
  const size_t threads = std::clamp<size_t>(static_cast<size_t>(std::max(concurrency, 1)), 1, n);
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) fn(i);
    });
  }
  for (std::thread& thread : pool) thread.join();
}

grpc::Status SendWithRetry(grpc::Channel& channel, const std::string& key,
                           const pb::Command& command, pb::CommandResult* result,
                           std::chrono::milliseconds unavailable_for,
                           std::chrono::milliseconds unauthenticated_for) {
  const auto start = std::chrono::steady_clock::now();
  auto delay = std::chrono::milliseconds(50);
  for (;;) {
    result->Clear();
    grpc::Status status = client::SendCommand(channel, key, command, result);
    const auto waited = std::chrono::steady_clock::now() - start;
    const bool retry =
        (status.error_code() == grpc::StatusCode::UNAVAILABLE && waited < unavailable_for) ||
        (status.error_code() == grpc::StatusCode::UNAUTHENTICATED && waited < unauthenticated_for);
    if (!retry) return status;
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(500));
  }
}

absl::StatusOr<SeedReport> SeedReferenceData(grpc::Channel& channel, const std::string& admin_key,
                                             const std::vector<SeedStage>& stages,
                                             const SeedOptions& options) {
  absl::StatusOr<Existing> existing = ReadExisting(channel, admin_key);
  if (!existing.ok()) return existing.status();
  auto progress = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };
  if (!existing->fresh()) {
    progress("the server holds reference data already (" +
             std::to_string(existing->locations.size()) + " locations, " +
             std::to_string(existing->roles.size()) + " roles, " +
             std::to_string(existing->participants.size()) +
             " participants): sending only what is missing");
  }

  SeedReport report;
  std::mutex mu;  // guards report
  std::set<std::string> preexisting_contracts;
  for (const SeedStage& stage : stages) {
    // What of this stage exists already.
    std::vector<char> skip(stage.commands.size(), 0);
    if (!existing->fresh()) {
      for (size_t i = 0; i < stage.commands.size(); ++i) {
        const pb::Command& c = stage.commands[i];
        const std::string key = KeyOf(c);
        switch (c.body_case()) {
          case pb::Command::kDefineRole:
            skip[i] = existing->roles.count(key) != 0;
            break;
          case pb::Command::kDefineLocation:
            skip[i] = existing->locations.count(key) != 0;
            break;
          case pb::Command::kUpsertParticipant:
            skip[i] = existing->participants.count(key) != 0;
            break;
          case pb::Command::kPatchRateCard:
            skip[i] = preexisting_contracts.count(key) != 0;
            break;
          default:
            break;
        }
      }
      if (stage.name == kStageNames[kContracts]) {
        // GetContract costs marketd a snapshot of the whole market (all
        // cards), so only the first and last contract are probed: both there
        // -> skip the stage; one -> send it all again (an upsert with the
        // same card changes nothing).
        const std::vector<size_t> sample = ContractSample(stage.commands.size());
        std::atomic<size_t> found{0};
        ForEachConcurrently(sample.size(), options.concurrency, [&](size_t i) {
          if (ContractExists(channel, admin_key, KeyOf(stage.commands[sample[i]]))) ++found;
        });
        if (found == sample.size()) {
          for (size_t i = 0; i < stage.commands.size(); ++i) {
            skip[i] = 1;
            preexisting_contracts.insert(KeyOf(stage.commands[i]));
          }
        } else if (found != 0) {
          progress("contracts: " + std::to_string(found.load()) + " of " +
                   std::to_string(sample.size()) +
                   " probed exist (an interrupted seeding?): sending them all again");
        }
      }
    }

    std::atomic<size_t> done{0};
    std::atomic<bool> fatal{false};
    grpc::Status fatal_status;
    const size_t total = stage.commands.size();
    const size_t step = std::max<size_t>(total / 10, 100);
    ForEachConcurrently(total, stage.sequential ? 1 : options.concurrency, [&](size_t i) {
      const pb::Command& command = stage.commands[i];
      if (fatal.load()) return;
      if (skip[i]) {
        const std::lock_guard lock(mu);
        report.skipped.Add(command);
      } else {
        pb::CommandResult result;
        const grpc::Status status = SendWithRetry(channel, admin_key, command, &result);
        const std::lock_guard lock(mu);
        if (status.ok()) {
          report.sent.Add(command);
        } else if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
          report.skipped.Add(command);
        } else if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
                   status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                   status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
                   (status.error_code() == grpc::StatusCode::PERMISSION_DENIED &&
                    status.error_message().rfind("principal", 0) == 0)) {
          if (!fatal.exchange(true)) fatal_status = status;
        } else {
          ++report.rejected;
          if (report.rejections.size() < 10) {
            report.rejections.push_back(stage.name + " " + KeyOf(command) + ": " +
                                        StatusCodeName(status.error_code()) + ": " +
                                        status.error_message());
          }
        }
      }
      const size_t n = done.fetch_add(1) + 1;
      if (n % step == 0 && n != total) {
        progress(stage.name + " " + std::to_string(n) + "/" + std::to_string(total));
      }
    });
    if (fatal.load()) {
      return absl::Status(static_cast<absl::StatusCode>(fatal_status.error_code()),
                          stage.name + ": " + fatal_status.error_message());
    }
    progress(stage.name + " " + std::to_string(total) + "/" + std::to_string(total));
  }
  return report;
}

}  // namespace market::tools
