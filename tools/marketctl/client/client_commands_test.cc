// Tests of marketctl's client side that need no server: command bodies from
// JSON and flags, event type names, the demo market's shape and stages, the
// load generator's histogram and id rewrite, and the subcommands that run
// without a network (keys add, input errors that stop before connecting).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "codec/json_lines.h"
#include "marketctl/client/client_commands.h"
#include "marketctl/client/command_input.h"
#include "marketctl/client/demo_market.h"
#include "marketctl/client/load_tools.h"
#include "marketctl/workload.h"

namespace market::tools {
namespace {

namespace pb = marketplace::v1;

// --- Bodies from JSON and flags ----------------------------------------------

TEST(BodyJson, ParsesCamelCaseAndProtoNames) {
  pb::SubmitRequest body;
  ASSERT_TRUE(ParseBodyJson(R"({"role":"CTA","fteMilli":"500","max_rate":4500})", &body).ok());
  EXPECT_EQ(body.role(), "CTA");
  EXPECT_EQ(body.fte_milli(), 500);
  EXPECT_EQ(body.max_rate(), 4500);
}

TEST(BodyJson, BlankIsAnEmptyBody) {
  pb::PublishOffer body;
  body.set_role("old");
  ASSERT_TRUE(ParseBodyJson("  ", &body).ok());
  EXPECT_EQ(body.ByteSizeLong(), 0u);
}

TEST(BodyJson, UnknownFieldIsInvalidArgumentNamingTheType) {
  pb::SubmitRequest body;
  const absl::Status status = ParseBodyJson(R"({"fteMili":"500"})", &body);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("SubmitRequest"), std::string_view::npos) << status;
}

TEST(BodyJson, NotJsonIsInvalidArgument) {
  pb::SubmitRequest body;
  EXPECT_EQ(ParseBodyJson("role=CTA", &body).code(), absl::StatusCode::kInvalidArgument);
}

TEST(BodyJson, BadEnumNameIsInvalidArgument) {
  pb::SubmitRequest body;
  EXPECT_EQ(ParseBodyJson(R"({"timeInForce":"TIME_IN_FORCE_GTC"})", &body).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Submit, FlagsOverrideJsonAndRepeatedFlagsReplaceTheList) {
  SubmitFlags flags;
  flags.max_rate = 5000;
  flags.locations = {"MX-CTA-HUB"};
  absl::StatusOr<pb::Command> command = BuildSubmit(
      R"({"role":"CTA","locations":["LATAM","BR"],"fteMilli":"500","maxRate":"4500",
          "startDate":"2026-03-01","endDate":"2026-12-31","clientRef":"r1"})",
      flags, "generated");
  ASSERT_TRUE(command.ok()) << command.status();
  const pb::SubmitRequest& r = command->submit_request();
  EXPECT_EQ(r.role(), "CTA");
  EXPECT_EQ(r.max_rate(), 5000);
  ASSERT_EQ(r.locations_size(), 1);
  EXPECT_EQ(r.locations(0), "MX-CTA-HUB");
  EXPECT_EQ(r.fte_milli(), 500);
  EXPECT_EQ(r.client_ref(), "r1");
  EXPECT_EQ(r.time_in_force(), pb::TIME_IN_FORCE_UNSPECIFIED);
}

TEST(Submit, FlagsAloneMakeTheBody) {
  SubmitFlags flags;
  flags.role = "CRA";
  flags.locations = {"EU", "GB"};
  flags.fte_milli = 1000;
  flags.max_rate = 9000;
  flags.start_date = "2026-03-01";
  flags.end_date = "2026-09-30";
  flags.models = {"FSP", "TM"};
  flags.all_or_none = true;
  absl::StatusOr<pb::Command> command = BuildSubmit("", flags, "generated");
  ASSERT_TRUE(command.ok()) << command.status();
  const pb::SubmitRequest& r = command->submit_request();
  EXPECT_EQ(r.locations_size(), 2);
  EXPECT_EQ(r.engagement_models_size(), 2);
  EXPECT_EQ(r.engagement_models(1), pb::TM);
  EXPECT_EQ(r.time_in_force(), pb::IOC);  // all-or-none implies IOC
  EXPECT_TRUE(r.all_or_none());
  EXPECT_EQ(r.client_ref(), "generated");
}

TEST(Submit, UnknownModelIsInvalidArgument) {
  SubmitFlags flags;
  flags.models = {"FSP", "STAFF_AUG"};
  EXPECT_EQ(BuildSubmit("", flags, "g").status().code(), absl::StatusCode::kInvalidArgument);
  flags.models = {"ENGAGEMENT_MODEL_UNSPECIFIED"};
  EXPECT_EQ(BuildSubmit("", flags, "g").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Submit, BadJsonIsInvalidArgument) {
  EXPECT_EQ(BuildSubmit("{", SubmitFlags{}, "g").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Publish, FlagsOverrideJson) {
  PublishFlags flags;
  flags.hub = "MX-CTA-HUB";
  flags.rate = 3900;
  flags.model = "FSO";
  flags.ioc = true;
  absl::StatusOr<pb::Command> command = BuildPublish(
      R"({"role":"CTA","seniority":2,"country":"MX","fteMilli":"1000","rate":"4200",
          "availableFrom":"2026-02-01","tags":["SPANISH"]})",
      flags, "generated");
  ASSERT_TRUE(command.ok()) << command.status();
  const pb::PublishOffer& o = command->publish_offer();
  EXPECT_EQ(o.hub(), "MX-CTA-HUB");
  EXPECT_EQ(o.rate(), 3900);
  EXPECT_EQ(o.seniority(), 2);
  EXPECT_EQ(o.engagement_model(), pb::FSO);
  EXPECT_EQ(o.time_in_force(), pb::IOC);
  EXPECT_EQ(o.tags_size(), 1);
  EXPECT_EQ(o.client_ref(), "generated");
}

TEST(Publish, UnknownModelIsInvalidArgument) {
  PublishFlags flags;
  flags.model = "fsp";
  EXPECT_EQ(BuildPublish("", flags, "g").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Amend, RequestTakesRateAsMaxRate) {
  AmendFlags flags;
  flags.request_id = "R5";
  flags.rate = 5100;
  flags.fte_milli = 300;
  absl::StatusOr<pb::Command> command = BuildAmend("", flags, "m1");
  ASSERT_TRUE(command.ok()) << command.status();
  ASSERT_TRUE(command->has_amend_request());
  EXPECT_EQ(command->amend_request().request_id(), "R5");
  EXPECT_EQ(command->amend_request().max_rate(), 5100);
  EXPECT_EQ(command->amend_request().fte_milli(), 300);
  EXPECT_EQ(command->amend_request().client_ref(), "m1");
}

TEST(Amend, OfferReadsAnAmendOfferJson) {
  AmendFlags flags;
  flags.offer_id = "O7";
  absl::StatusOr<pb::Command> command =
      BuildAmend(R"({"rate":"4000","clientRef":"a"})", flags, "g");
  ASSERT_TRUE(command.ok()) << command.status();
  ASSERT_TRUE(command->has_amend_offer());
  EXPECT_EQ(command->amend_offer().offer_id(), "O7");
  EXPECT_EQ(command->amend_offer().rate(), 4000);
  EXPECT_EQ(command->amend_offer().client_ref(), "a");
}

TEST(Amend, NeedsExactlyOneId) {
  AmendFlags neither;
  EXPECT_EQ(BuildAmend("", neither, "g").status().code(), absl::StatusCode::kInvalidArgument);
  AmendFlags both;
  both.request_id = "R1";
  both.offer_id = "O2";
  EXPECT_EQ(BuildAmend("", both, "g").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Amend, JsonOfTheOtherKindIsRejected) {
  AmendFlags flags;
  flags.offer_id = "O7";
  EXPECT_EQ(BuildAmend(R"({"maxRate":"4000"})", flags, "g").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CancelWithdraw, BuildTheirBodies) {
  absl::StatusOr<pb::Command> cancel = BuildCancel("R12");
  ASSERT_TRUE(cancel.ok());
  EXPECT_EQ(cancel->cancel_request().request_id(), "R12");
  absl::StatusOr<pb::Command> withdraw = BuildWithdraw("O9");
  ASSERT_TRUE(withdraw.ok());
  EXPECT_EQ(withdraw->withdraw_offer().offer_id(), "O9");
}

TEST(CancelWithdraw, EmptyIdIsInvalidArgument) {
  EXPECT_EQ(BuildCancel("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BuildWithdraw("").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ClientRef, GeneratedOnesAreDistinctAndShort) {
  const std::string a = GeneratedClientRef(1767225600000000000ULL, 0x1234);
  EXPECT_EQ(a, "cli-18867251edfa0000-1234");
  EXPECT_NE(a, GeneratedClientRef(1767225600000000000ULL, 0x1235));
  EXPECT_LE(a.size(), 128u);
}

TEST(Names, StatusCodesAsInTheApi) {
  EXPECT_EQ(StatusCodeName(3), "INVALID_ARGUMENT");
  EXPECT_EQ(StatusCodeName(5), "NOT_FOUND");
  EXPECT_EQ(StatusCodeName(6), "ALREADY_EXISTS");
  EXPECT_EQ(StatusCodeName(7), "PERMISSION_DENIED");
  EXPECT_EQ(StatusCodeName(9), "FAILED_PRECONDITION");
  EXPECT_EQ(StatusCodeName(16), "UNAUTHENTICATED");
}

TEST(Names, EventTypesAreTheOneofFields) {
  const std::vector<std::string> names = EventTypeNames();
  const std::set<std::string> set(names.begin(), names.end());
  for (const char* want :
       {"request_accepted", "offer_accepted", "assignment_created", "request_closed",
        "offer_closed", "command_rejected", "rate_card_patched"}) {
    EXPECT_EQ(set.count(want), 1u) << want;
  }
  EXPECT_TRUE(CheckEventTypes({"assignment_created", "request_closed"}).ok());
  EXPECT_TRUE(CheckEventTypes({}).ok());
}

TEST(Names, UnknownEventTypeIsInvalidArgumentListingTheKnown) {
  const absl::Status status = CheckEventTypes({"assignment_created", "AssignmentCreated"});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("'AssignmentCreated'"), std::string_view::npos);
  EXPECT_NE(status.message().find("assignment_created"), std::string_view::npos);
}

// --- The demo market ---------------------------------------------------------------

// Generated once: about 1.4 million rate card entries.
const std::vector<pb::Command>& Reference() {
  static const std::vector<pb::Command>* const reference =
      new std::vector<pb::Command>(DemoReferenceData());
  return *reference;
}

TEST(DemoMarket, HasTheShapeOfTheReferenceWorkload) {
  const std::vector<pb::Command>& reference = Reference();
  const MarketShape shape = ShapeOf(reference);
  EXPECT_EQ(shape.regions, 5u);
  EXPECT_EQ(shape.countries, 40u);
  EXPECT_EQ(shape.hubs, 12u);
  EXPECT_EQ(shape.roles, 40u);
  EXPECT_EQ(shape.vendors, 25u);
  EXPECT_EQ(shape.sponsors, 200u);
  EXPECT_GE(shape.contracts, 600u);  // 3 to 8 vendors per sponsor
  EXPECT_LE(shape.contracts, 1600u);
  EXPECT_GE(shape.min_contract_rates, 1000u);
  EXPECT_LE(shape.max_contract_rates, 1500u);
  EXPECT_GT(shape.contracts_with_ceiling, shape.contracts / 20);
  EXPECT_LT(shape.contracts_with_ceiling, shape.contracts / 4);
  EXPECT_EQ(shape.patches, 0u);
  for (const pb::Command& c : reference) EXPECT_EQ(c.principal(), "admin");
}

TEST(DemoMarket, HasTheNamedHubsAndRoles) {
  std::map<std::string, std::string> hub_country;
  std::set<std::string> roles;
  for (const pb::Command& c : Reference()) {
    if (c.has_define_location() && c.define_location().kind() == pb::HUB) {
      hub_country[c.define_location().code()] = c.define_location().parent();
    }
    if (c.has_define_role()) roles.insert(c.define_role().code());
  }
  EXPECT_EQ(hub_country["MX-CTA-HUB"], "MX");
  EXPECT_EQ(hub_country["GB-CLINOPS-HUB"], "GB");
  for (const char* role : {"CRA", "SR_CRA", "CTA", "CTM", "TMF_SPEC", "DM", "STAT_PROG", "BIOSTAT",
                           "MED_MON", "MED_WRITER", "PV_SPEC", "REG_AFFAIRS", "SSU_SPEC"}) {
    EXPECT_EQ(roles.count(role), 1u) << role;
  }
}

TEST(DemoMarket, DescribeNamesEveryPart) {
  const std::string line = Describe(ShapeOf(Reference()));
  EXPECT_EQ(line.rfind("5 regions, 40 countries, 12 hubs, 40 roles, 200 sponsors, 25 vendors, ", 0),
            0u)
      << line;
  EXPECT_NE(line.find(" rates"), std::string::npos);
}

TEST(SeedStagesTest, ParentsComeBeforeChildrenAndParticipantsBeforeContracts) {
  const std::vector<SeedStage> stages = SeedStages(Reference());
  std::vector<std::string> names;
  for (const SeedStage& s : stages) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"regions", "countries", "hubs", "roles",
                                             "participants", "contracts"}));
  for (const SeedStage& s : stages) EXPECT_FALSE(s.sequential) << s.name;
  EXPECT_EQ(stages[0].commands.size(), 5u);
  EXPECT_EQ(stages[1].commands.size(), 40u);
  EXPECT_EQ(stages[2].commands.size(), 12u);
}

TEST(SeedStagesTest, ARedefinitionMakesItsStageSequentialAndKeepsOrder) {
  pb::Command a;
  a.mutable_define_role()->set_code("CRA");
  a.mutable_define_role()->set_name("first");
  pb::Command b = a;
  b.mutable_define_role()->set_name("second");
  pb::Command patch;
  patch.mutable_patch_rate_card()->set_contract_id("C1");
  pb::Command order;
  order.mutable_cancel_request()->set_request_id("R1");
  const std::vector<SeedStage> stages = SeedStages({patch, a, order, b});
  ASSERT_EQ(stages.size(), 2u);
  EXPECT_EQ(stages[0].name, "roles");
  EXPECT_TRUE(stages[0].sequential);
  EXPECT_EQ(stages[0].commands[1].define_role().name(), "second");
  EXPECT_EQ(stages[1].name, "rate card patches");
  EXPECT_TRUE(stages[1].sequential);
}

TEST(DemoOrdersTest, AreValidOrdersOfTheChosenParticipantsOnly) {
  const DemoOrders demo = PickDemoOrders(1, 3, 2, 200);
  ASSERT_EQ(demo.principals.size(), 5u);
  EXPECT_EQ(demo.principals[0].rfind("sponsor:", 0), 0u);
  EXPECT_EQ(demo.principals[3].rfind("vendor:", 0), 0u);
  ASSERT_EQ(demo.orders.size(), 200u);
  const std::set<std::string> chosen(demo.principals.begin(), demo.principals.end());
  std::set<std::string> acting;
  bool submits = false, publishes = false;
  for (const pb::Command& c : demo.orders) {
    EXPECT_EQ(chosen.count(c.principal()), 1u) << c.principal();
    acting.insert(c.principal());
    ASSERT_TRUE(c.has_submit_request() || c.has_publish_offer());
    const std::string& ref =
        c.has_submit_request() ? c.submit_request().client_ref() : c.publish_offer().client_ref();
    EXPECT_NE(ref[0], 'x') << "invalid commands are left out";
    submits = submits || c.has_submit_request();
    publishes = publishes || c.has_publish_offer();
  }
  EXPECT_TRUE(submits);
  EXPECT_TRUE(publishes);
  EXPECT_EQ(acting.size(), 5u);
}

TEST(DemoOrdersTest, AreDeterministic) {
  const DemoOrders a = PickDemoOrders(7, 2, 2, 50);
  const DemoOrders b = PickDemoOrders(7, 2, 2, 50);
  EXPECT_EQ(a.principals, b.principals);
  ASSERT_EQ(a.orders.size(), b.orders.size());
  for (size_t i = 0; i < a.orders.size(); ++i) {
    EXPECT_EQ(a.orders[i].SerializeAsString(), b.orders[i].SerializeAsString());
  }
}

// --- Load generator pieces -------------------------------------------------------

TEST(Histogram, BucketsContainTheirValuesAndGrowMonotonically) {
  uint64_t previous_bound = 0;
  for (uint64_t v : {0ULL, 1ULL, 63ULL, 64ULL, 65ULL, 127ULL, 128ULL, 1000ULL, 123456ULL,
                     999999999ULL, (1ULL << 40) + 12345ULL, ~0ULL}) {
    const size_t b = LatencyHistogram::BucketOf(v);
    const uint64_t upper = LatencyHistogram::BucketUpperBound(b);
    EXPECT_GE(upper, v);
    EXPECT_LE(upper - v, v / 64) << v;
    EXPECT_GE(upper, previous_bound);
    previous_bound = upper;
  }
  for (size_t b = 1; b < 64 * 59; ++b) {
    ASSERT_GT(LatencyHistogram::BucketUpperBound(b), LatencyHistogram::BucketUpperBound(b - 1));
    ASSERT_EQ(LatencyHistogram::BucketOf(LatencyHistogram::BucketUpperBound(b)), b);
  }
}

TEST(Histogram, PercentilesOfAUniformRunAreWithinTheBucketPrecision) {
  LatencyHistogram h;
  EXPECT_EQ(h.Percentile(0.99), 0u);
  for (uint64_t v = 1; v <= 100000; ++v) h.Record(v * 1000);  // 1 us .. 100 ms
  EXPECT_EQ(h.count(), 100000u);
  EXPECT_EQ(h.max_nanos(), 100000000u);
  auto near = [](uint64_t got, uint64_t want) {
    return got >= want && got <= want + want / 64 + 1;
  };
  EXPECT_TRUE(near(h.Percentile(0.5), 50000000)) << h.Percentile(0.5);
  EXPECT_TRUE(near(h.Percentile(0.99), 99000000)) << h.Percentile(0.99);
  EXPECT_TRUE(near(h.Percentile(0.999), 99900000)) << h.Percentile(0.999);
  EXPECT_EQ(h.Percentile(1.0), 100000000u);
}

TEST(Histogram, APercentileNeverExceedsTheMax) {
  LatencyHistogram h;
  h.Record(1000001);
  EXPECT_EQ(h.Percentile(0.5), 1000001u);
  EXPECT_EQ(h.Percentile(0.999), 1000001u);
}

TEST(Rewrite, OrderIdsGoThroughTheMapWhenKnown) {
  SequenceMap map(100);
  map.Set(41, 1041);
  EXPECT_EQ(RemapOrderId("R41", 'R', map), "R1041");
  EXPECT_EQ(RemapOrderId("O41", 'O', map), "O1041");
  EXPECT_EQ(RemapOrderId("R42", 'R', map), "R42");    // unknown: unchanged
  EXPECT_EQ(RemapOrderId("O41", 'R', map), "O41");    // other side
  EXPECT_EQ(RemapOrderId("R41x", 'R', map), "R41x");  // not an id
  EXPECT_EQ(RemapOrderId("R", 'R', map), "R");
  EXPECT_EQ(RemapOrderId("R999999", 'R', map), "R999999");  // beyond the map
  EXPECT_EQ(map.Get(0), 0u);
  EXPECT_EQ(map.Get(1000), 0u);
}

TEST(Rewrite, PrepareForRunRemapsReferencesAndSuffixesClientRefs) {
  SequenceMap map(10);
  map.Set(3, 503);
  map.Set(4, 504);
  pb::Command submit;
  submit.mutable_submit_request()->set_client_ref("r5");
  PrepareForRun(map, "-b1", &submit);
  EXPECT_EQ(submit.submit_request().client_ref(), "r5-b1");

  pb::Command amend;
  amend.mutable_amend_offer()->set_offer_id("O4");
  amend.mutable_amend_offer()->set_client_ref("m6");
  PrepareForRun(map, "-b1", &amend);
  EXPECT_EQ(amend.amend_offer().offer_id(), "O504");
  EXPECT_EQ(amend.amend_offer().client_ref(), "m6-b1");

  pb::Command cancel;
  cancel.mutable_cancel_request()->set_request_id("R3");
  PrepareForRun(map, "-b1", &cancel);
  EXPECT_EQ(cancel.cancel_request().request_id(), "R503");

  pb::Command withdraw;
  withdraw.mutable_withdraw_offer()->set_offer_id("O9");
  PrepareForRun(map, "-b1", &withdraw);
  EXPECT_EQ(withdraw.withdraw_offer().offer_id(), "O9");

  pb::Command no_ref;
  no_ref.mutable_publish_offer()->set_role("CTA");
  PrepareForRun(map, "-b1", &no_ref);
  EXPECT_EQ(no_ref.publish_offer().client_ref(), "");  // an empty ref stays empty
}

TEST(WorkloadSplit, LeadingReferenceDataThenTheFlow) {
  pb::Command role;
  role.mutable_define_role()->set_code("CRA");
  pb::Command order;
  order.mutable_submit_request()->set_role("CRA");
  const Workload w = SplitWorkload({role, role, order, role, order});
  ASSERT_EQ(w.reference.size(), 2u);
  ASSERT_EQ(w.flow.size(), 3u);
  EXPECT_EQ(w.reference[1].position, 2u);
  EXPECT_EQ(w.flow[0].position, 3u);
  EXPECT_TRUE(w.flow[1].command.has_define_role());  // later admin commands are flow
  EXPECT_EQ(w.flow[2].position, 5u);
}

TEST(WorkloadSplit, ReadingSkipsBlankLinesAndCountsMalformedOnes) {
  std::istringstream in(R"({"principal":"admin","defineRole":{"code":"CRA"}})"
                        "\n\n"
                        "not json\n"
                        R"({"principal":"sponsor:S001","cancelRequest":{"requestId":"R2"}})"
                        "\n");
  const Workload w = ReadWorkload(in);
  EXPECT_EQ(w.malformed, 1u);
  ASSERT_EQ(w.reference.size(), 1u);
  ASSERT_EQ(w.flow.size(), 1u);
  EXPECT_EQ(w.flow[0].position, 3u);  // the malformed line took position 2
  EXPECT_EQ(PrincipalsOf(w.flow), std::vector<std::string>{"sponsor:S001"});
}

TEST(WorkloadSplit, TheGeneratedWorkloadSplitsAtItsFirstOrder) {
  const Workload w = SplitWorkload(Reference());
  EXPECT_EQ(w.flow.size(), 0u);
  EXPECT_EQ(w.reference.size(), Reference().size());
  EXPECT_EQ(w.reference.back().position, Reference().size());
}

TEST(WorkloadSplit, FlowPositionsAreTheSequencesTheGeneratorAssumed) {
  WorkloadOptions options;
  options.commands = 10;
  std::vector<pb::Command> commands;
  GenerateWorkload(options, [&](const pb::Command& c) { commands.push_back(c); });
  const Workload w = SplitWorkload(commands);
  ASSERT_EQ(w.flow.size(), 10u);
  EXPECT_EQ(w.flow[0].position, w.reference.size() + 1);
  EXPECT_EQ(w.flow[9].position, commands.size());
}

// --- Subcommands that need no server -------------------------------------------------

// Runs `args` through a CLI11 app with the client commands; the exit code as
// CLI11_PARSE would return it.
int RunCli(std::vector<std::string> args) {
  CLI::App app{"marketctl"};
  app.require_subcommand(1);
  AddClientCommands(app);
  std::vector<char*> argv;
  std::string name = "marketctl";
  argv.push_back(name.data());
  for (std::string& a : args) argv.push_back(a.data());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return -1;  // no subcommand ended the parse
}

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          (name + "-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name()))
      .string();
}

TEST(Cli, RegistersEveryClientSubcommand) {
  CLI::App app{"marketctl"};
  AddClientCommands(app);
  for (const char* name : {"submit", "publish", "amend", "cancel", "withdraw", "send", "watch",
                           "events", "keys", "seed-demo"}) {
    EXPECT_NO_THROW(app.get_subcommand(name)) << name;
  }
  EXPECT_NO_THROW(app.get_subcommand("keys")->get_subcommand("add"));
}

TEST(Cli, KeysAddPrintsOnlyTheKeyAndAppendsItsHash) {
  const std::string path = TempPath("keys");
  std::filesystem::remove(path);
  ::testing::internal::CaptureStdout();
  const int code = RunCli({"keys", "add", "sponsor:S001", "--keys", path});
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(code, 0);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.find('\n'), out.size() - 1) << "one line: the key";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("sponsor:S001"), std::string::npos);
  EXPECT_EQ(text.str().find(out.substr(0, out.size() - 1)), std::string::npos)
      << "the file holds only the hash";
  std::filesystem::remove(path);
}

TEST(Cli, KeysAddRefusesABadPrincipal) {
  const std::string path = TempPath("keys");
  std::filesystem::remove(path);
  EXPECT_EQ(RunCli({"keys", "add", "root", "--keys", path}), 1);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(Cli, KeysAddNeedsTheFile) { EXPECT_NE(RunCli({"keys", "add", "ops"}), 0); }

TEST(Cli, BadInputFailsBeforeConnecting) {
  // Port 1 on localhost: any attempt to connect would fail differently (and slowly).
  EXPECT_EQ(RunCli({"submit", "--server", "127.0.0.1:1", "{not json"}), 1);
  EXPECT_EQ(RunCli({"publish", "--server", "127.0.0.1:1", "--model", "XYZ"}), 1);
  EXPECT_EQ(RunCli({"amend", "--server", "127.0.0.1:1", "--fte-milli", "5"}), 1);
  EXPECT_EQ(RunCli({"events", "--server", "127.0.0.1:1", "--type", "bogus"}), 1);
}

TEST(Cli, AListFlagTakesOneValueAndLeavesTheBodyAlone) {
  ::testing::internal::CaptureStderr();
  const int code =
      RunCli({"submit", "--server", "127.0.0.1:1", "--location", "LATAM", "{\"role\":7"});
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(code, 1);
  EXPECT_NE(err.find("body is not a JSON SubmitRequest"), std::string::npos) << err;
}

TEST(Cli, UsageErrorsAreCli11Errors) {
  EXPECT_NE(RunCli({"cancel"}), 0);                                     // --request-id required
  EXPECT_NE(RunCli({"watch", "--as", "admin"}), 0);                     // sponsor or vendor
  EXPECT_NE(RunCli({"amend", "--request", "R1", "--offer", "O1"}), 0);  // one of the two
}

TEST(Cli, AnUnreachableServerIsAFailureWithTheStatusCode) {
  EXPECT_EQ(RunCli({"cancel", "--server", "127.0.0.1:1", "--key", "k", "--request-id", "R1"}), 1);
}

}  // namespace
}  // namespace market::tools
