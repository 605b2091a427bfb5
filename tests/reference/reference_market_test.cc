// Tests of the reference model itself: the worked examples of the spec
// (shared/spec/examples) and focused tests of the rules that are easy to get
// wrong. If the oracle is wrong, the differential test proves nothing.
#include "tests/reference/reference_market.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/reference/random_stream.h"

namespace market::reference {
namespace {

namespace v1 = marketplace::v1;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Struct;
using google::protobuf::util::JsonStringToMessage;
using google::protobuf::util::MessageDifferencer;

std::string ToJson(const Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::string ToJson(const std::vector<v1::Event>& events) {
  std::string json;
  for (const v1::Event& event : events) json += ToJson(event) + "\n";
  return json;
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool IsBlank(const std::string& line) {
  return line.find_first_not_of(" \t\r\n") == std::string::npos;
}

// Runs `marketctl simulate` input through a fresh reference market.
std::vector<v1::Event> Simulate(const std::vector<std::string>& lines) {
  ReferenceMarket market;
  std::vector<v1::Event> events;
  uint64_t sequence = 0;
  for (const std::string& line : lines) {
    if (IsBlank(line)) continue;
    ++sequence;
    v1::Command command;
    const auto status = JsonStringToMessage(line, &command);
    std::vector<v1::Event> produced = status.ok()
                                          ? market.Execute(sequence, command)
                                          : market.RejectMalformed(sequence, 0, status.ToString());
    events.insert(events.end(), produced.begin(), produced.end());
  }
  return events;
}

const FieldDescriptor* FieldByJsonKey(const google::protobuf::Descriptor* type,
                                      const std::string& key) {
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (field->json_name() == key || field->name() == key) return field;
  }
  return nullptr;
}

// Compares the fields that the expected JSON object `present` names, by value.
void CompareNamedFields(const Message& expected, const Message& actual, const Struct& present,
                        const std::string& path, std::vector<std::string>* differences) {
  const auto* reflection = actual.GetReflection();
  for (const auto& [key, value] : present.fields()) {
    const FieldDescriptor* field = FieldByJsonKey(expected.GetDescriptor(), key);
    if (field == nullptr) {
      differences->push_back(path + key + ": not a field");
      continue;
    }
    const bool nested = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
                        !field->is_repeated() && value.has_struct_value();
    if (nested) {
      if (!reflection->HasField(actual, field)) {
        differences->push_back(path + key + ": missing");
        continue;
      }
      CompareNamedFields(expected.GetReflection()->GetMessage(expected, field),
                         reflection->GetMessage(actual, field), value.struct_value(),
                         path + key + ".", differences);
    } else if (!MessageDifferencer().CompareWithFields(expected, actual, {field}, {field})) {
      differences->push_back(path + key + ": differs");
    }
  }
}

void ExpectExample(const std::string& name) {
  const std::string dir = MARKET_SPEC_EXAMPLES_DIR;
  const std::vector<v1::Event> actual = Simulate(ReadLines(dir + "/" + name + ".commands.jsonl"));
  std::vector<std::string> expected_lines;
  for (const std::string& line : ReadLines(dir + "/" + name + ".events.jsonl")) {
    if (!IsBlank(line)) expected_lines.push_back(line);
  }
  ASSERT_EQ(actual.size(), expected_lines.size()) << ToJson(actual);
  for (size_t i = 0; i < actual.size(); ++i) {
    v1::Event expected;
    Struct present;
    ASSERT_TRUE(JsonStringToMessage(expected_lines[i], &expected).ok()) << expected_lines[i];
    ASSERT_TRUE(JsonStringToMessage(expected_lines[i], &present).ok()) << expected_lines[i];
    std::vector<std::string> differences;
    CompareNamedFields(expected, actual[i], present, "", &differences);
    EXPECT_TRUE(differences.empty())
        << "event " << i << ": " << differences.front() << "\nexpected " << expected_lines[i]
        << "\nactual   " << ToJson(actual[i]);
  }
}

TEST(ReferenceExamplesTest, PriceThenTime) { ExpectExample("price_then_time"); }
TEST(ReferenceExamplesTest, MinSlice) { ExpectExample("min_slice"); }
TEST(ReferenceExamplesTest, AonAndCeiling) { ExpectExample("aon_and_ceiling"); }
TEST(ReferenceExamplesTest, AmendAndRejections) { ExpectExample("amend_and_rejections"); }

TEST(ReferenceExamplesTest, MalformedLineTakesASequence) {
  const std::vector<v1::Event> events =
      Simulate({"{\"principal\": \"admin\"", "", "{\"principal\": \"ops\", \"bogus\": 1}"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].sequence(), 2u);
  EXPECT_EQ(events[1].command_rejected().code(), v1::INVALID_ARGUMENT);
  EXPECT_EQ(events[1].command_rejected().field(), "");
  EXPECT_EQ(events[1].principal(), "");
}

// ---------------------------------------------------------------------------
// Focused rules, on the market of the examples (S1 buys from V1 under C1 with a
// card entry CTA/2/MX <= 5000, and from V2 under C2 without card or ceiling).

v1::Command Cmd(const std::string& json) {
  v1::Command command;
  const auto status = JsonStringToMessage(json, &command);
  EXPECT_TRUE(status.ok()) << status.ToString() << " in " << json;
  return command;
}

std::string Num(int64_t value) { return std::to_string(value); }

std::string OfferJson(const std::string& vendor, const std::string& ref, int seniority, int64_t fte,
                      int64_t rate, const std::string& extra = "") {
  return "{\"principal\": \"vendor:" + vendor + "\", \"publishOffer\": {\"clientRef\": \"" + ref +
         "\", \"role\": \"CTA\", \"seniority\": " + Num(seniority) + ", \"fteMilli\": " + Num(fte) +
         ", \"rate\": " + Num(rate) + ", \"availableFrom\": \"2026-01-01\"" +
         (extra.empty() ? ", \"country\": \"MX\"" : extra) + "}}";
}

std::string RequestJson(const std::string& ref, int64_t fte, int64_t max_rate,
                        const std::string& extra = "", const std::string& sponsor = "S1") {
  return "{\"principal\": \"sponsor:" + sponsor + "\", \"submitRequest\": {\"clientRef\": \"" +
         ref + "\", \"role\": \"CTA\", \"locations\": [\"LATAM\"], \"fteMilli\": " + Num(fte) +
         ", \"maxRate\": " + Num(max_rate) +
         ", \"startDate\": \"2026-03-01\", \"endDate\": \"2026-12-31\"" + extra + "}}";
}

std::string AmendJson(const std::string& id, const std::string& ref, int64_t fte, int64_t rate,
                      const std::string& sponsor = "S1") {
  return "{\"principal\": \"sponsor:" + sponsor + "\", \"amendRequest\": {\"requestId\": \"" + id +
         "\", \"clientRef\": \"" + ref + "\", \"fteMilli\": " + Num(fte) +
         ", \"maxRate\": " + Num(rate) + "}}";
}

class ReferenceMarketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (
        const char* json : {
            R"({"principal": "admin", "defineLocation": {"kind": "REGION", "code": "LATAM"}})",
            R"({"principal": "admin", "defineLocation": {"kind": "REGION", "code": "EU"}})",
            R"({"principal": "admin", "defineLocation": {"kind": "COUNTRY", "code": "MX", "parent": "LATAM"}})",
            R"({"principal": "admin", "defineLocation": {"kind": "COUNTRY", "code": "BR", "parent": "LATAM"}})",
            R"({"principal": "admin", "defineLocation": {"kind": "COUNTRY", "code": "GB", "parent": "EU"}})",
            R"({"principal": "admin", "defineLocation": {"kind": "HUB", "code": "MX-CTA-HUB", "parent": "MX"}})",
            R"({"principal": "admin", "defineRole": {"code": "CTA", "name": "CTA"}})",
            R"({"principal": "admin", "upsertParticipant": {"id": "S1", "kind": "SPONSOR"}})",
            R"({"principal": "admin", "upsertParticipant": {"id": "V1", "kind": "VENDOR"}})",
            R"({"principal": "admin", "upsertParticipant": {"id": "V2", "kind": "VENDOR"}})",
            R"({"principal": "admin", "upsertContract": {"contractId": "C1", "sponsorId": "S1", "vendorId": "V1", "active": true, "rates": [{"role": "CTA", "seniority": 2, "country": "MX", "maxRate": "5000"}]}})",
            R"({"principal": "admin", "upsertContract": {"contractId": "C2", "sponsorId": "S1", "vendorId": "V2", "active": true}})",
            R"({"principal": "admin", "upsertParticipant": {"id": "S2", "kind": "SPONSOR"}})",
            R"({"principal": "admin", "upsertContract": {"contractId": "C3", "sponsorId": "S2", "vendorId": "V2", "active": true}})",
        }) {
      const std::vector<v1::Event> events = Run(json);
      ASSERT_EQ(events.size(), 1u);
      ASSERT_FALSE(events[0].has_command_rejected()) << ToJson(events[0]);
    }
  }

  std::vector<v1::Event> Run(const std::string& json) {
    return market_.Execute(++sequence_, Cmd(json));
  }

  // Runs a command that must be rejected and returns (code, field).
  std::pair<v1::RejectCode, std::string> Rejected(const std::string& json) {
    const std::vector<v1::Event> events = Run(json);
    EXPECT_EQ(events.size(), 1u) << ToJson(events);
    if (events.size() != 1 || !events[0].has_command_rejected()) {
      ADD_FAILURE() << "not rejected: " << ToJson(events);
      return {v1::REJECT_CODE_UNSPECIFIED, ""};
    }
    return {events[0].command_rejected().code(), events[0].command_rejected().field()};
  }

  ReferenceMarket market_;
  uint64_t sequence_ = 0;
};

using Rejection = std::pair<v1::RejectCode, std::string>;

TEST_F(ReferenceMarketTest, StoredOrderHasDefaultsAndEnvelope) {
  std::vector<v1::Event> events = Run(R"({"timestampUnixNanos": "77", "principal": "sponsor:S1",
      "submitRequest": {"clientRef": "r", "role": "CTA", "locations": ["LATAM"], "fteMilli": 500,
      "maxRate": 5000, "startDate": "2026-03-01", "endDate": "2026-12-31"}})");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].timestamp_unix_nanos(), 77u);
  EXPECT_EQ(events[0].principal(), "sponsor:S1");
  const v1::Request& r = events[0].request_accepted().request();
  EXPECT_EQ(r.sponsor_id(), "S1");
  EXPECT_EQ(r.min_seniority(), 1);
  EXPECT_EQ(r.time_in_force(), v1::GTC);
  EXPECT_EQ(r.request_id(), "R15");
  EXPECT_EQ(r.remaining_milli(), 500);
  EXPECT_EQ(r.priority_sequence(), 15u);

  events = Run(OfferJson("V1", "o", 2, 100, 6000));  // above the card: rests
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].offer_accepted().offer().engagement_model(), v1::FSP);
  EXPECT_EQ(events[0].offer_accepted().offer().time_in_force(), v1::GTC);
  EXPECT_EQ(events[0].offer_accepted().offer().vendor_id(), "V1");
}

TEST_F(ReferenceMarketTest, AmendKeepsPriorityOnlyForPureDecreaseOrNoChange) {
  Run(RequestJson("a", 500, 5000));  // R15
  Run(RequestJson("b", 500, 5000));  // R16
  auto amended = [&](const std::string& json) {
    const std::vector<v1::Event> events = Run(json);
    EXPECT_EQ(events.size(), 1u) << ToJson(events);
    return events.empty() ? v1::RequestAmended() : events[0].request_amended();
  };
  v1::RequestAmended a = amended(AmendJson("R15", "m1", 400, 0));  // lower: keeps
  EXPECT_EQ(a.priority_sequence(), 15u);
  EXPECT_EQ(a.remaining_milli(), 400);
  EXPECT_EQ(a.max_rate(), 5000);
  EXPECT_EQ(a.client_ref(), "m1");
  a = amended(AmendJson("R15", "m2", 0, 0));  // no change: keeps
  EXPECT_EQ(a.priority_sequence(), 15u);
  EXPECT_EQ(a.remaining_milli(), 400);
  a = amended(AmendJson("R15", "m3", 400, 5000));  // same values: keeps
  EXPECT_EQ(a.priority_sequence(), 15u);
  a = amended(AmendJson("R16", "m4", 300, 4900));  // lower and new price: cancel-replace
  EXPECT_EQ(a.priority_sequence(), 20u);
  a = amended(AmendJson("R16", "m5", 300, 5000));  // price back up: cancel-replace
  EXPECT_EQ(a.priority_sequence(), 21u);
  a = amended(AmendJson("R15", "m6", 450, 0));  // raise: cancel-replace, behind R16 now
  EXPECT_EQ(a.priority_sequence(), 22u);
  EXPECT_EQ(a.remaining_milli(), 450);

  const std::vector<v1::Event> events = Run(OfferJson("V2", "o", 2, 300, 100));
  ASSERT_GE(events.size(), 2u) << ToJson(events);
  EXPECT_EQ(events[1].assignment_created().request_id(), "R16");
}

TEST_F(ReferenceMarketTest, CancelReplaceMatchesAgainAsIncoming) {
  Run(OfferJson("V2", "o", 2, 500, 4800));  // O15 rests: no request yet
  Run(RequestJson("r", 300, 4000));         // R16 rests: the offer is too dear
  const std::vector<v1::Event> events = Run(AmendJson("R16", "m", 500, 4800));
  ASSERT_EQ(events.size(), 4u) << ToJson(events);
  EXPECT_EQ(events[0].request_amended().priority_sequence(), 17u);
  EXPECT_EQ(events[1].assignment_created().assignment_id(), "A17-1");
  EXPECT_EQ(events[1].assignment_created().fte_milli(), 500);
  EXPECT_EQ(events[2].offer_closed().reason(), v1::EXHAUSTED);
  EXPECT_EQ(events[3].request_closed().reason(), v1::FILLED);
}

TEST_F(ReferenceMarketTest, BlendLimitCountsFillsMadeBeforeAnAmend) {
  Run(RequestJson("r", 1000, 5000, ", \"maxVendors\": 1"));  // R15
  std::vector<v1::Event> events = Run(OfferJson("V1", "a", 2, 400, 4000));
  ASSERT_EQ(events.size(), 3u) << ToJson(events);   // fill 400, O16 exhausted
  events = Run(OfferJson("V2", "b", 2, 300, 100));  // second vendor: skipped, rests
  ASSERT_EQ(events.size(), 1u) << ToJson(events);
  events = Run(AmendJson("R15", "m", 800, 0));  // raise: matched again, V2 still barred
  ASSERT_EQ(events.size(), 1u) << ToJson(events);
  EXPECT_EQ(events[0].request_amended().priority_sequence(), 18u);
  events = Run(OfferJson("V1", "c", 2, 800, 4000));
  ASSERT_EQ(events.size(), 4u) << ToJson(events);
  EXPECT_EQ(events[1].assignment_created().request_id(), "R15");
  EXPECT_EQ(events[1].assignment_created().fte_milli(), 800);
}

TEST_F(ReferenceMarketTest, AllOrNoneDryRunCarriesHeadroomBetweenCandidates) {
  Run(R"({"principal": "admin", "upsertContract": {"contractId": "C2", "sponsorId": "S1",
      "vendorId": "V2", "active": true, "maxFteMilli": 1000}})");
  Run(OfferJson("V2", "a", 2, 600, 100));  // O16
  Run(OfferJson("V2", "b", 2, 600, 100));  // O17
  // Each offer alone fits the ceiling, both together do not.
  std::vector<v1::Event> events =
      Run(RequestJson("r", 1200, 9000, ", \"timeInForce\": \"IOC\", \"allOrNone\": true"));
  ASSERT_EQ(events.size(), 2u) << ToJson(events);
  EXPECT_EQ(events[1].request_closed().reason(), v1::AON_UNFILLED);
  // Nothing was filled: a plain request still finds both offers whole.
  events = Run(RequestJson("r2", 1000, 9000));
  ASSERT_EQ(events.size(), 5u) << ToJson(events);
  EXPECT_EQ(events[1].assignment_created().fte_milli(), 600);
  EXPECT_EQ(events[3].assignment_created().fte_milli(), 400);
  EXPECT_EQ(events[3].assignment_created().offer_remaining_milli(), 200);
  EXPECT_EQ(events[4].request_closed().reason(), v1::FILLED);
}

TEST_F(ReferenceMarketTest, AllOrNoneDryRunCarriesVendorsUsed) {
  Run(OfferJson("V2", "a", 2, 500, 100));
  Run(OfferJson("V1", "b", 2, 500, 200));
  const std::vector<v1::Event> events = Run(RequestJson(
      "r", 1000, 9000, ", \"timeInForce\": \"IOC\", \"allOrNone\": true, \"maxVendors\": 1"));
  ASSERT_EQ(events.size(), 2u) << ToJson(events);
  EXPECT_EQ(events[1].request_closed().reason(), v1::AON_UNFILLED);
}

TEST_F(ReferenceMarketTest, CardCapsOnlyItsExactEntry) {
  Run(OfferJson("V1", "a", 2, 500, 6000));  // O15: CTA/2/MX capped at 5000 for S1
  Run(OfferJson("V1", "b", 3, 500, 6000));  // O16: no CTA/3/MX entry, no cap
  Run(OfferJson("V1", "c", 2, 500, 6000, ", \"country\": \"BR\""));  // O17: no entry
  const std::vector<v1::Event> events = Run(RequestJson("r", 1500, 9000));
  ASSERT_EQ(events.size(), 5u) << ToJson(events);
  EXPECT_EQ(events[1].assignment_created().offer_id(), "O16");
  EXPECT_EQ(events[3].assignment_created().offer_id(), "O17");
  EXPECT_EQ(events[3].assignment_created().country(), "BR");
}

TEST_F(ReferenceMarketTest, HeadroomIsFlooredAtZero) {
  Run(OfferJson("V2", "a", 2, 1000, 100));
  Run(RequestJson("r", 1000, 9000));  // uses 1000 under C2
  std::vector<v1::Event> events =
      Run(R"({"principal": "admin", "upsertContract": {"contractId": "C2", "sponsorId": "S1",
          "vendorId": "V2", "active": true, "maxFteMilli": 500}})");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].contract_upserted().used_fte_milli(), 1000);
  EXPECT_EQ(events[0].contract_upserted().max_fte_milli(), 500);
  Run(OfferJson("V2", "b", 2, 300, 100));
  events = Run(RequestJson("r2", 300, 9000));
  ASSERT_EQ(events.size(), 1u) << ToJson(events);  // accepted, no fill
  // Another sponsor's contract with the same vendor is not affected.
  events = Run(RequestJson("r3", 300, 9000, "", "S2"));
  ASSERT_EQ(events.size(), 4u) << ToJson(events);
  EXPECT_EQ(events[1].assignment_created().contract_id(), "C3");
}

TEST_F(ReferenceMarketTest, ContractCardIsSortedWithLaterDuplicatesWinning) {
  const std::vector<v1::Event> events = Run(R"({"principal": "admin", "upsertContract": {
      "contractId": "C1", "sponsorId": "S1", "vendorId": "V1", "active": true, "rates": [
      {"role": "CTA", "seniority": 3, "country": "MX", "maxRate": 1},
      {"role": "CTA", "seniority": 2, "country": "MX", "maxRate": 2},
      {"role": "CTA", "seniority": 2, "country": "BR", "maxRate": 3},
      {"role": "CTA", "seniority": 3, "country": "MX", "maxRate": 4}]}})");
  ASSERT_EQ(events.size(), 1u);
  const v1::ContractUpserted& c = events[0].contract_upserted();
  ASSERT_EQ(c.rates_size(), 3);
  EXPECT_EQ(c.rates(0).country(), "BR");
  EXPECT_EQ(c.rates(1).max_rate(), 2);
  EXPECT_EQ(c.rates(2).max_rate(), 4);
  const std::vector<v1::Event> patched = Run(R"({"principal": "admin", "patchRateCard": {
      "contractId": "C1", "upserts": [{"role": "CTA", "seniority": 2, "country": "MX",
      "maxRate": 9}], "removals": [{"role": "CTA", "seniority": 2, "country": "MX"},
      {"role": "CTA", "seniority": 5, "country": "GB"}]}})");
  ASSERT_EQ(patched.size(), 1u);
  EXPECT_EQ(patched[0].rate_card_patched().rate_count(), 3);
  EXPECT_EQ(patched[0].rate_card_patched().removals_size(), 2);
}

TEST_F(ReferenceMarketTest, RejectionOrder) {
  Run(RequestJson("r1", 500, 5000));  // R15
  // 1. permission before every field.
  EXPECT_EQ(Rejected(R"({"principal": "admin", "submitRequest": {"fteMilli": 0}})"),
            Rejection(v1::PERMISSION_DENIED, "principal"));
  EXPECT_EQ(Rejected(R"({"principal": "sponsor:S1", "submitRequest": {"sponsorId": "S2"}})"),
            Rejection(v1::PERMISSION_DENIED, "sponsor_id"));
  EXPECT_EQ(Rejected(R"({"principal": "vendor:V1", "cancelRequest": {"requestId": "R15"}})"),
            Rejection(v1::PERMISSION_DENIED, "principal"));
  EXPECT_EQ(Rejected(R"({"principal": "ops", "defineRole": {"code": ""}})"),
            Rejection(v1::PERMISSION_DENIED, "principal"));
  // 2. someone else's order before its fields.
  EXPECT_EQ(Rejected(AmendJson("R15", "", -1, 0, "S2")),
            Rejection(v1::PERMISSION_DENIED, "request_id"));
  // 3. fields in field-number order, before not-found.
  EXPECT_EQ(Rejected(AmendJson("R999", "m", -1, -1)), Rejection(v1::INVALID_ARGUMENT, "fte_milli"));
  EXPECT_EQ(Rejected(R"({"principal": "sponsor:S1", "submitRequest": {"clientRef": "x",
      "role": "NOPE", "locations": ["LATAM"], "fteMilli": 0, "maxRate": 5000,
      "startDate": "2026-03-01", "endDate": "2026-12-31"}})"),
            Rejection(v1::INVALID_ARGUMENT, "role"));
  EXPECT_EQ(Rejected(RequestJson("x", 500, 5000,
                                 ", \"requiredTags\": [\"a\", \"\"], "
                                 "\"vendorAllowlist\": [\"V1\", \"S1\"]")),
            Rejection(v1::INVALID_ARGUMENT, "vendor_allowlist[1]"));
  // 4. not found: never existed, or not a canonical request id.
  EXPECT_EQ(Rejected(AmendJson("R999", "m", 100, 0)), Rejection(v1::NOT_FOUND, "request_id"));
  EXPECT_EQ(Rejected(AmendJson("R015", "m", 100, 0)), Rejection(v1::NOT_FOUND, "request_id"));
  EXPECT_EQ(Rejected(AmendJson("R1", "m", 100, 0)), Rejection(v1::NOT_FOUND, "request_id"));
  // 5. closed before duplicate.
  Run(R"({"principal": "sponsor:S1", "cancelRequest": {"requestId": "R15"}})");
  EXPECT_EQ(Rejected(AmendJson("R15", "r1", 100, 0)),
            Rejection(v1::FAILED_PRECONDITION, "request_id"));
  // 6. already exists, after the fields.
  EXPECT_EQ(Rejected(R"({"principal": "admin", "upsertContract": {"contractId": "C9",
      "sponsorId": "S1", "vendorId": "V2", "rates": [{"role": "CTA", "seniority": 0,
      "country": "MX", "maxRate": 1}]}})"),
            Rejection(v1::INVALID_ARGUMENT, "rates[0].seniority"));
  EXPECT_EQ(Rejected(R"({"principal": "admin", "upsertContract": {"contractId": "C9",
      "sponsorId": "S1", "vendorId": "V2"}})"),
            Rejection(v1::ALREADY_EXISTS, "contract_id"));
  EXPECT_EQ(Rejected(R"({"principal": "admin", "upsertContract": {"contractId": "C2",
      "sponsorId": "S2", "vendorId": "V2"}})"),
            Rejection(v1::INVALID_ARGUMENT, "sponsor_id"));
  EXPECT_EQ(Rejected(R"({"principal": "admin", "patchRateCard": {"contractId": "C9",
      "removals": [{"role": "CTA", "seniority": 1, "country": "LATAM"}]}})"),
            Rejection(v1::INVALID_ARGUMENT, "removals[0].country"));
  EXPECT_EQ(Rejected(R"({"principal": "admin", "patchRateCard": {"contractId": "C9"}})"),
            Rejection(v1::NOT_FOUND, "contract_id"));
  EXPECT_EQ(Rejected(R"({"principal": "admin"})"), Rejection(v1::INVALID_ARGUMENT, "body"));
}

TEST_F(ReferenceMarketTest, FieldRules) {
  EXPECT_EQ(Rejected(RequestJson("x", 500, 5000, ", \"minSliceMilli\": 501")),
            Rejection(v1::INVALID_ARGUMENT, "min_slice_milli"));
  EXPECT_EQ(Rejected(RequestJson("x", 500, 5000, ", \"allOrNone\": true")),
            Rejection(v1::INVALID_ARGUMENT, "all_or_none"));
  EXPECT_EQ(Rejected(RequestJson("x", 500, 5000,
                                 ", \"engagementModels\": [\"FSP\", "
                                 "\"ENGAGEMENT_MODEL_UNSPECIFIED\"]")),
            Rejection(v1::INVALID_ARGUMENT, "engagement_models[1]"));
  EXPECT_EQ(Rejected(OfferJson("V1", "x", 2, 500, 100,
                               ", \"country\": \"BR\", "
                               "\"hub\": \"MX-CTA-HUB\"")),
            Rejection(v1::INVALID_ARGUMENT, "hub"));
  EXPECT_EQ(Rejected(OfferJson("V1", "x", 2, 500, 100, ", \"country\": \"LATAM\"")),
            Rejection(v1::INVALID_ARGUMENT, "country"));
  EXPECT_EQ(Rejected(OfferJson("V1", "x", 2, 500, 100,
                               ", \"country\": \"MX\", "
                               "\"availableUntil\": \"2025-12-31\"")),
            Rejection(v1::INVALID_ARGUMENT, "available_until"));
  EXPECT_EQ(Rejected(R"({"principal": "sponsor:S1", "submitRequest": {"clientRef": "x",
      "role": "CTA", "locations": ["LATAM"], "fteMilli": 1, "maxRate": 1,
      "startDate": "2100-02-29", "endDate": "2100-03-01"}})"),
            Rejection(v1::INVALID_ARGUMENT, "start_date"));
  EXPECT_EQ(Rejected(R"({"principal": "admin", "defineLocation": {"kind": "HUB", "code": "MX"}})"),
            Rejection(v1::INVALID_ARGUMENT, "kind"));
  EXPECT_EQ(Rejected(R"({"principal": "admin", "defineLocation": {"kind": "REGION",
      "code": "NA", "parent": "EU"}})"),
            Rejection(v1::INVALID_ARGUMENT, "parent"));
  EXPECT_EQ(Rejected(R"({"principal": "admin", "defineLocation": {"kind": "HUB",
      "code": "X-HUB", "parent": "LATAM"}})"),
            Rejection(v1::INVALID_ARGUMENT, "parent"));
  EXPECT_EQ(Rejected(R"({"principal": "admin", "upsertParticipant": {"id": "V1",
      "kind": "SPONSOR"}})"),
            Rejection(v1::INVALID_ARGUMENT, "kind"));
  std::string tags;
  for (int i = 0; i < 33; ++i) tags += std::string(i == 0 ? "" : ", ") + "\"t\"";
  EXPECT_EQ(Rejected(RequestJson("x", 500, 5000, ", \"requiredTags\": [" + tags + "]")),
            Rejection(v1::INVALID_ARGUMENT, "required_tags"));
  EXPECT_EQ(Rejected(RequestJson(std::string(129, 'r'), 500, 5000)),
            Rejection(v1::INVALID_ARGUMENT, "client_ref"));
  // A leap day is a real day.
  const std::vector<v1::Event> events = Run(OfferJson(
      "V1", "x", 2, 500, 100, ", \"country\": \"MX\", \"availableUntil\": \"2028-02-29\""));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].has_offer_accepted()) << ToJson(events);
}

TEST_F(ReferenceMarketTest, ReparentedCountryMovesForLaterMatching) {
  Run(OfferJson("V2", "a", 2, 500, 100));  // MX, in LATAM
  Run(R"({"principal": "admin", "defineLocation": {"kind": "COUNTRY", "code": "MX",
      "parent": "EU"}})");
  std::vector<v1::Event> events = Run(RequestJson("r", 500, 9000));  // LATAM only
  ASSERT_EQ(events.size(), 1u) << ToJson(events);
  events = Run(R"({"principal": "sponsor:S1", "submitRequest": {"clientRef": "r2",
      "role": "CTA", "locations": ["EU"], "fteMilli": 500, "maxRate": 9000,
      "startDate": "2026-03-01", "endDate": "2026-12-31"}})");
  ASSERT_EQ(events.size(), 4u) << ToJson(events);
}

TEST_F(ReferenceMarketTest, DuplicateEmitsNothingButConsumesTheSequence) {
  ASSERT_EQ(Run(RequestJson("r1", 500, 5000)).size(), 1u);   // seq 15
  EXPECT_TRUE(Run(RequestJson("r1", 500, 5000)).empty());    // seq 16
  EXPECT_TRUE(Run(RequestJson("r1", 900, 4000)).empty());    // other content, seq 17
  EXPECT_TRUE(Run(AmendJson("R15", "r1", 100, 0)).empty());  // amends share the namespace
  // Another participant may use the same ref.
  EXPECT_EQ(Run(RequestJson("r1", 500, 5000, "", "S2")).size(), 1u);
  const std::vector<v1::Event> events = Run(RequestJson("r2", 500, 5000));  // seq 20
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].sequence(), 20u);
  EXPECT_EQ(events[0].request_accepted().request_id(), "R20");
  // The duplicate amend changed nothing: R15 still wants 500.
  const std::vector<v1::Event> fill = Run(OfferJson("V2", "o", 2, 1000, 100));
  ASSERT_GE(fill.size(), 2u);
  EXPECT_EQ(fill[1].assignment_created().request_id(), "R15");
  EXPECT_EQ(fill[1].assignment_created().fte_milli(), 500);
}

TEST_F(ReferenceMarketTest, RejectedClientRefIsNotRemembered) {
  EXPECT_EQ(Rejected(RequestJson("x", 0, 5000)), Rejection(v1::INVALID_ARGUMENT, "fte_milli"));
  const std::vector<v1::Event> events = Run(RequestJson("x", 500, 5000));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].has_request_accepted());
}

TEST_F(ReferenceMarketTest, IocOfferRemainderIsClosed) {
  Run(RequestJson("r", 300, 5000));
  const std::vector<v1::Event> events =
      Run(OfferJson("V2", "o", 2, 500, 100, ", \"country\": \"MX\", \"timeInForce\": \"IOC\""));
  ASSERT_EQ(events.size(), 4u) << ToJson(events);
  EXPECT_EQ(events[2].request_closed().reason(), v1::FILLED);
  EXPECT_EQ(events[3].offer_closed().reason(), v1::IOC_REMAINDER);
}

TEST(RandomStreamTest, DeterministicAndNeverCrashesTheModel) {
  const std::vector<v1::Command> a = RandomStream(7, 3000);
  const std::vector<v1::Command> b = RandomStream(7, 3000);
  ASSERT_EQ(a.size(), 3000u);
  ASSERT_EQ(b.size(), 3000u);
  size_t rejected = 0;
  size_t fills = 0;
  ReferenceMarket market;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_TRUE(MessageDifferencer::Equals(a[i], b[i])) << i;
    if (i > 0) {
      ASSERT_GT(a[i].timestamp_unix_nanos(), a[i - 1].timestamp_unix_nanos());
    }
    for (const v1::Event& event : market.Execute(i + 1, a[i])) {
      rejected += event.has_command_rejected() ? 1 : 0;
      fills += event.has_assignment_created() ? 1 : 0;
    }
  }
  // The mix must both match a lot and reject a fair share.
  EXPECT_GT(fills, 300u);
  EXPECT_GT(rejected, 150u);
}

}  // namespace
}  // namespace market::reference
