// Tests of the reference workload generator: determinism, the market shape
// and command mix of shared/spec/WORKLOAD.md, and JSON round trips.
#include "marketctl/workload.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

namespace market::tools {
namespace {

namespace v1 = marketplace::v1;
using Body = v1::Command::BodyCase;

constexpr uint64_t kMixCommands = 100000;
constexpr uint64_t kSmallCommands = 20000;

std::vector<v1::Command> Generate(uint64_t seed, uint64_t commands) {
  WorkloadOptions options;
  options.seed = seed;
  options.commands = commands;
  std::vector<v1::Command> out;
  GenerateWorkload(options, [&](const v1::Command& command) { out.push_back(command); });
  return out;
}

std::vector<std::string> Serialize(uint64_t seed, uint64_t commands) {
  WorkloadOptions options;
  options.seed = seed;
  options.commands = commands;
  std::vector<std::string> out;
  GenerateWorkload(options,
                   [&](const v1::Command& command) { out.push_back(command.SerializeAsString()); });
  return out;
}

bool IsReferenceData(const v1::Command& command) {
  switch (command.body_case()) {
    case Body::kDefineRole:
    case Body::kDefineLocation:
    case Body::kUpsertParticipant:
    case Body::kUpsertContract:
    case Body::kPatchRateCard:
      return true;
    default:
      return false;
  }
}

// Invalid commands are marked by a client_ref starting with 'x'.
bool IsInvalid(const v1::Command& command) {
  if (command.has_submit_request()) return command.submit_request().client_ref()[0] == 'x';
  if (command.has_publish_offer()) return command.publish_offer().client_ref()[0] == 'x';
  return false;
}

// Share of `count` in `total`, in per mille.
int64_t PerMille(uint64_t count, uint64_t total) {
  return total == 0 ? 0 : static_cast<int64_t>(count * 1000 / total);
}

TEST(WorkloadTest, SameSeedGivesIdenticalBytes) {
  const std::vector<std::string> a = Serialize(7, kSmallCommands);
  const std::vector<std::string> b = Serialize(7, kSmallCommands);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << "command " << i;
}

TEST(WorkloadTest, DifferentSeedsDiffer) {
  const std::vector<std::string> a = Serialize(1, 1000);
  const std::vector<std::string> b = Serialize(2, 1000);
  EXPECT_NE(a, b);
}

TEST(WorkloadTest, ZeroCommandsGivesOnlyReferenceData) {
  for (const v1::Command& command : Generate(3, 0)) EXPECT_TRUE(IsReferenceData(command));
}

TEST(WorkloadTest, ReferenceDataMatchesTheMarketShape) {
  const std::vector<v1::Command> commands = Generate(1, 0);
  std::map<v1::LocationKind, std::set<std::string>> locations;
  std::map<std::string, std::string> parent;
  std::set<std::string> roles;
  std::set<std::string> vendors;
  std::set<std::string> sponsors;
  std::map<std::string, std::set<std::string>> vendors_of_sponsor;
  std::size_t contracts = 0;
  std::size_t ceilings = 0;
  for (const v1::Command& command : commands) {
    EXPECT_EQ(command.principal(), "admin");
    if (command.has_define_location()) {
      const v1::DefineLocation& location = command.define_location();
      EXPECT_TRUE(locations[location.kind()].insert(location.code()).second) << location.code();
      parent[location.code()] = location.parent();
    } else if (command.has_define_role()) {
      EXPECT_TRUE(roles.insert(command.define_role().code()).second);
      EXPECT_FALSE(command.define_role().name().empty());
      EXPECT_FALSE(command.define_role().family().empty());
    } else if (command.has_upsert_participant()) {
      const v1::UpsertParticipant& participant = command.upsert_participant();
      EXPECT_FALSE(participant.name().empty());
      if (participant.kind() == v1::VENDOR) vendors.insert(participant.id());
      if (participant.kind() == v1::SPONSOR) sponsors.insert(participant.id());
    } else if (command.has_upsert_contract()) {
      const v1::UpsertContract& contract = command.upsert_contract();
      ++contracts;
      if (contract.max_fte_milli() > 0) ++ceilings;
      EXPECT_TRUE(contract.active());
      EXPECT_TRUE(sponsors.count(contract.sponsor_id())) << contract.contract_id();
      EXPECT_TRUE(vendors.count(contract.vendor_id())) << contract.contract_id();
      EXPECT_TRUE(vendors_of_sponsor[contract.sponsor_id()].insert(contract.vendor_id()).second);
      EXPECT_GE(contract.rates_size(), 1000) << contract.contract_id();
      EXPECT_LE(contract.rates_size(), 1500) << contract.contract_id();
      std::set<std::tuple<std::string, int, std::string>> keys;
      for (const v1::RateCardEntry& entry : contract.rates()) {
        EXPECT_TRUE(roles.count(entry.role()));
        EXPECT_TRUE(locations[v1::COUNTRY].count(entry.country()));
        EXPECT_GE(entry.seniority(), 1);
        EXPECT_LE(entry.seniority(), 5);
        EXPECT_GT(entry.max_rate(), 0);
        EXPECT_TRUE(keys.emplace(entry.role(), entry.seniority(), entry.country()).second);
      }
    } else {
      ADD_FAILURE() << "unexpected reference command " << command.ShortDebugString();
    }
  }
  EXPECT_EQ(locations[v1::REGION], (std::set<std::string>{"NA", "LATAM", "EU", "APAC", "MEA"}));
  EXPECT_EQ(locations[v1::COUNTRY].size(), 40u);
  EXPECT_EQ(locations[v1::HUB].size(), 12u);
  for (const std::string& country : locations[v1::COUNTRY]) {
    EXPECT_EQ(country.size(), 2u);
    EXPECT_TRUE(locations[v1::REGION].count(parent[country])) << country;
  }
  for (const std::string& hub : locations[v1::HUB]) {
    EXPECT_TRUE(locations[v1::COUNTRY].count(parent[hub])) << hub;
    EXPECT_EQ(hub.substr(0, 2), parent[hub]);
  }
  EXPECT_EQ(roles.size(), 40u);
  for (const char* role :
       {"CRA", "SR_CRA", "CTA", "CTM", "TMF_SPEC", "DM", "SR_DM", "STAT_PROG", "BIOSTAT", "MED_MON",
        "MED_WRITER", "PV_SPEC", "REG_AFFAIRS", "SSU_SPEC"}) {
    EXPECT_TRUE(roles.count(role)) << role;
  }
  EXPECT_EQ(vendors.size(), 25u);
  EXPECT_TRUE(vendors.count("V01"));
  EXPECT_TRUE(vendors.count("V25"));
  EXPECT_EQ(sponsors.size(), 200u);
  EXPECT_TRUE(sponsors.count("S001"));
  EXPECT_TRUE(sponsors.count("S200"));
  EXPECT_EQ(vendors_of_sponsor.size(), 200u);
  for (const auto& [sponsor, its_vendors] : vendors_of_sponsor) {
    EXPECT_GE(its_vendors.size(), 3u) << sponsor;
    EXPECT_LE(its_vendors.size(), 8u) << sponsor;
  }
  // About 15% of contracts carry an FTE ceiling.
  EXPECT_NEAR(PerMille(ceilings, contracts), 150, 40);
}

TEST(WorkloadTest, OrderFlowMixFollowsTheTable) {
  const std::vector<v1::Command> commands = Generate(11, kMixCommands);
  std::size_t reference = 0;
  while (reference < commands.size() && IsReferenceData(commands[reference])) ++reference;
  ASSERT_EQ(commands.size() - reference, kMixCommands);

  uint64_t publish = 0, submit = 0, cancel = 0, amend = 0, invalid = 0;
  uint64_t ioc = 0, aon = 0, min_slice = 0, blend = 0, tags = 0, partial = 0, offers_partial = 0;
  for (std::size_t i = reference; i < commands.size(); ++i) {
    const v1::Command& command = commands[i];
    ASSERT_FALSE(IsReferenceData(command)) << i;
    if (IsInvalid(command)) {
      ++invalid;
      continue;
    }
    switch (command.body_case()) {
      case Body::kPublishOffer: {
        ++publish;
        const v1::PublishOffer& offer = command.publish_offer();
        EXPECT_EQ(command.principal().rfind("vendor:", 0), 0u);
        EXPECT_LE(offer.tags_size(), 4);
        EXPECT_GE(offer.fte_milli(), 100);
        EXPECT_LE(offer.fte_milli(), 10000);
        EXPECT_EQ(offer.fte_milli() % 50, 0);
        if (offer.fte_milli() <= 1000) ++offers_partial;
        break;
      }
      case Body::kSubmitRequest: {
        ++submit;
        const v1::SubmitRequest& request = command.submit_request();
        EXPECT_EQ(command.principal().rfind("sponsor:", 0), 0u);
        EXPECT_GE(request.locations_size(), 1);
        EXPECT_LE(request.locations_size(), 3);
        EXPECT_GE(request.fte_milli(), 100);
        EXPECT_LE(request.fte_milli(), 10000);
        EXPECT_EQ(request.fte_milli() % 50, 0);
        EXPECT_LE(request.min_slice_milli(), request.fte_milli());
        EXPECT_LT(request.start_date(), request.end_date());
        EXPECT_GE(request.start_date(), "2026-01-01");
        EXPECT_LE(request.end_date(), "2028-12-31");
        if (request.time_in_force() == v1::IOC) ++ioc;
        if (request.all_or_none()) {
          ++aon;
          EXPECT_EQ(request.time_in_force(), v1::IOC);
        }
        if (request.min_slice_milli() > 0) ++min_slice;
        if (request.max_vendors() > 0) ++blend;
        if (request.required_tags_size() > 0) ++tags;
        if (request.fte_milli() <= 1000) ++partial;
        break;
      }
      case Body::kCancelRequest:
      case Body::kWithdrawOffer:
        ++cancel;
        break;
      case Body::kAmendRequest:
      case Body::kAmendOffer:
        ++amend;
        break;
      default:
        ADD_FAILURE() << "unexpected order-flow command " << command.ShortDebugString();
    }
  }
  const uint64_t total = kMixCommands;
  EXPECT_NEAR(PerMille(publish, total), 420, 20);
  EXPECT_NEAR(PerMille(submit, total), 420, 20);
  EXPECT_NEAR(PerMille(cancel, total), 100, 20);
  EXPECT_NEAR(PerMille(amend, total), 50, 10);
  EXPECT_NEAR(PerMille(invalid, total), 10, 3);
  EXPECT_NEAR(PerMille(ioc, submit), 100, 20);
  EXPECT_NEAR(PerMille(aon, submit), 20, 5);
  EXPECT_NEAR(PerMille(min_slice, submit), 300, 20);
  EXPECT_NEAR(PerMille(blend, submit), 200, 20);
  EXPECT_NEAR(PerMille(tags, submit), 200, 20);
  EXPECT_GT(PerMille(partial, submit), 500);
  EXPECT_GT(PerMille(offers_partial, publish), 400);
}

TEST(WorkloadTest, OrderFlowIsConsistent) {
  const std::vector<v1::Command> commands = Generate(5, kSmallCommands);
  WorkloadOptions defaults;
  std::map<std::string, std::string> owner_of_order;  // order id -> principal
  std::set<std::string> closed_by_generator;
  std::set<std::pair<std::string, std::string>> client_refs;
  uint64_t previous_timestamp = 0;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    const v1::Command& command = commands[i];
    const uint64_t sequence = i + 1;
    EXPECT_EQ(command.timestamp_unix_nanos(),
              defaults.start_timestamp_unix_nanos + sequence * 1000);
    EXPECT_GT(command.timestamp_unix_nanos(), previous_timestamp);
    previous_timestamp = command.timestamp_unix_nanos();
    std::string client_ref;
    if (command.has_submit_request()) {
      client_ref = command.submit_request().client_ref();
      if (!IsInvalid(command) && command.submit_request().time_in_force() == v1::GTC) {
        owner_of_order["R" + std::to_string(sequence)] = command.principal();
      }
    } else if (command.has_publish_offer()) {
      client_ref = command.publish_offer().client_ref();
      if (!IsInvalid(command)) owner_of_order["O" + std::to_string(sequence)] = command.principal();
    } else if (command.has_amend_request() || command.has_amend_offer()) {
      const std::string id = command.has_amend_request() ? command.amend_request().request_id()
                                                         : command.amend_offer().offer_id();
      client_ref = command.has_amend_request() ? command.amend_request().client_ref()
                                               : command.amend_offer().client_ref();
      ASSERT_TRUE(owner_of_order.count(id)) << id;
      EXPECT_EQ(owner_of_order[id], command.principal()) << id;
      EXPECT_FALSE(closed_by_generator.count(id)) << id;
    } else if (command.has_cancel_request() || command.has_withdraw_offer()) {
      const std::string id = command.has_cancel_request() ? command.cancel_request().request_id()
                                                          : command.withdraw_offer().offer_id();
      ASSERT_TRUE(owner_of_order.count(id)) << id;
      EXPECT_EQ(owner_of_order[id], command.principal()) << id;
      EXPECT_TRUE(closed_by_generator.insert(id).second) << id;
    }
    if (!client_ref.empty()) {
      EXPECT_TRUE(client_refs.emplace(command.principal(), client_ref).second) << client_ref;
    }
  }
}

TEST(WorkloadTest, EveryCommandRoundTripsThroughJson) {
  const std::vector<v1::Command> commands = Generate(9, kSmallCommands);
  google::protobuf::util::JsonPrintOptions print;
  google::protobuf::util::JsonParseOptions parse;
  for (const v1::Command& command : commands) {
    std::string json;
    ASSERT_TRUE(google::protobuf::util::MessageToJsonString(command, &json, print).ok());
    v1::Command back;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &back, parse).ok()) << json;
    ASSERT_TRUE(google::protobuf::util::MessageDifferencer::Equals(command, back)) << json;
  }
}

}  // namespace
}  // namespace market::tools
