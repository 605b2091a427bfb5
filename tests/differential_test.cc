// Differential test: the engine (market::codec::Simulator) against the naive
// reference model (tests/reference) on adversarial random streams. Every event
// must agree field for field, except CommandRejected.message (free text). On the
// first disagreement the report names the seed, the sequence, the command and
// both sides' events as JSON.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codec/simulator.h"
#include "tests/reference/random_stream.h"
#include "tests/reference/reference_market.h"

namespace market {
namespace {

namespace v1 = marketplace::v1;
using google::protobuf::util::MessageDifferencer;

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::string ToJson(const std::vector<v1::Event>& events) {
  std::string json;
  for (const v1::Event& event : events) json += "  " + ToJson(event) + "\n";
  return json.empty() ? "  (no events)\n" : json;
}

// Index of the first event on which the two sides differ, or -1.
int FirstDifference(const std::vector<v1::Event>& expected, const std::vector<v1::Event>& actual,
                    std::string* details) {
  MessageDifferencer differencer;
  differencer.IgnoreField(v1::CommandRejected::descriptor()->FindFieldByName("message"));
  differencer.ReportDifferencesToString(details);
  const size_t common = std::min(expected.size(), actual.size());
  for (size_t i = 0; i < common; ++i) {
    if (!differencer.Compare(expected[i], actual[i])) return static_cast<int>(i);
  }
  if (expected.size() != actual.size()) return static_cast<int>(common);
  return -1;
}

std::string Report(uint64_t seed, uint64_t sequence, const v1::Command& command,
                   const std::vector<v1::Event>& expected, const std::vector<v1::Event>& actual,
                   int index, const std::string& details) {
  std::string report = "seed " + std::to_string(seed) + ", seq " + std::to_string(sequence) +
                       ", first difference at event index " + std::to_string(index) + "\n";
  report += "command:\n  " + ToJson(command) + "\n";
  report += "reference event:\n  " +
            (static_cast<size_t>(index) < expected.size() ? ToJson(expected[index]) : "(none)") +
            "\n";
  report += "engine event:\n  " +
            (static_cast<size_t>(index) < actual.size() ? ToJson(actual[index]) : "(none)") + "\n";
  report += "differences:\n" + details;
  report += "all reference events:\n" + ToJson(expected);
  report += "all engine events:\n" + ToJson(actual);
  return report;
}

// Runs `stream` (labelled `seed`) through both; "" when they agree. With
// `malformed_every` > 0, every such command is replaced by an input line that
// is not a Command (it still takes its sequence number).
std::string FirstMismatch(uint64_t seed, const std::vector<v1::Command>& stream,
                          size_t malformed_every = 0) {
  reference::ReferenceMarket model;
  codec::Simulator engine;
  for (size_t i = 0; i < stream.size(); ++i) {
    const uint64_t sequence = i + 1;
    std::vector<v1::Event> expected;
    std::vector<v1::Event> actual;
    if (malformed_every > 0 && sequence % malformed_every == 0) {
      expected = model.RejectMalformed(sequence, 0, "not a Command");
      (void)engine.RejectMalformed(sequence, "", "not a Command", &actual);
    } else {
      expected = model.Execute(sequence, stream[i]);
      (void)engine.Execute(sequence, stream[i], &actual);
    }
    std::string details;
    const int index = FirstDifference(expected, actual, &details);
    if (index >= 0) return Report(seed, sequence, stream[i], expected, actual, index, details);
  }
  return "";
}

std::string FirstMismatch(uint64_t seed, size_t commands, size_t malformed_every = 0) {
  return FirstMismatch(seed, reference::RandomStream(seed, commands), malformed_every);
}

class DifferentialTest : public ::testing::TestWithParam<uint64_t> {};

TEST_P(DifferentialTest, EngineAgreesWithReferenceModel) {
  const std::string mismatch = FirstMismatch(GetParam(), 2000);
  EXPECT_TRUE(mismatch.empty()) << mismatch;
}

INSTANTIATE_TEST_SUITE_P(Seeds, DifferentialTest, ::testing::Range<uint64_t>(1, 21));

TEST(DifferentialLongTest, LongStreamsAgree) {
  for (uint64_t seed : {1001u, 1002u, 1003u}) {
    const std::string mismatch = FirstMismatch(seed, 15000);
    EXPECT_TRUE(mismatch.empty()) << mismatch;
  }
}

TEST(DifferentialLongTest, MalformedInputTakesItsSequence) {
  const std::string mismatch = FirstMismatch(77, 2000, 37);
  EXPECT_TRUE(mismatch.empty()) << mismatch;
}

v1::Command Admin(uint64_t timestamp) {
  v1::Command command;
  command.set_timestamp_unix_nanos(timestamp);
  command.set_principal("admin");
  return command;
}

void AddEntry(google::protobuf::RepeatedPtrField<v1::RateCardEntry>* card, uint64_t i) {
  static constexpr const char* kRoles[] = {"CRA", "cra", "\xc3\x89Q", "DM", "CTA"};
  static constexpr const char* kCountries[] = {"US", "GB", "DE", "CA"};
  v1::RateCardEntry* e = card->Add();
  e->set_role(kRoles[(i * 7) % 5]);
  e->set_seniority(static_cast<int32_t>(5 - (i * 3) % 5));
  e->set_country(kCountries[(i * 11) % 4]);
  e->set_max_rate(static_cast<int64_t>(4000 + (i * 13) % 600));
}

// Bulk cards at the count limits, and roles whose bytes sort differently as
// signed and unsigned chars, after the random stream's reference data.
TEST(DifferentialEdgeTest, BulkCardsAndByteOrder) {
  std::vector<v1::Command> stream = reference::RandomStream(5, 60);
  uint64_t t = stream.back().timestamp_unix_nanos();
  for (const char* role : {"cra", "\xc3\x89Q"}) {
    v1::Command c = Admin(++t);
    c.mutable_define_role()->set_code(role);
    stream.push_back(c);
  }
  for (size_t entries : {size_t{9}, size_t{100'001}, size_t{100'000}}) {
    v1::Command c = Admin(++t);
    v1::UpsertContract* u = c.mutable_upsert_contract();
    u->set_contract_id("C-S1-V1");
    u->set_sponsor_id("S1");
    u->set_vendor_id("V1");
    u->set_active(true);
    for (uint64_t i = 0; i < entries; ++i) AddEntry(u->mutable_rates(), i);
    stream.push_back(c);
  }
  for (size_t upserts : {size_t{100'001}, size_t{0}, size_t{3}}) {
    for (size_t removals : {size_t{0}, size_t{100'001}, size_t{100'000}}) {
      v1::Command c = Admin(++t);
      v1::PatchRateCard* p = c.mutable_patch_rate_card();
      p->set_contract_id("C-S1-V1");
      for (uint64_t i = 0; i < upserts; ++i) AddEntry(p->mutable_upserts(), i + 1);
      for (uint64_t i = 0; i < removals; ++i) {
        google::protobuf::RepeatedPtrField<v1::RateCardEntry> one;
        AddEntry(&one, i * 2);
        v1::RateCardKey* k = p->add_removals();
        k->set_role(one[0].role());
        k->set_seniority(one[0].seniority());
        k->set_country(one[0].country());
      }
      stream.push_back(c);
    }
  }
  const std::string mismatch = FirstMismatch(5, stream);
  EXPECT_TRUE(mismatch.empty()) << mismatch.substr(0, 20'000);

  // The tail must really hit the limits (checked on the reference model).
  reference::ReferenceMarket model;
  std::vector<std::string> outcomes;
  for (size_t i = 0; i < stream.size(); ++i) {
    const std::vector<v1::Event> events = model.Execute(i + 1, stream[i]);
    if (i + 11 >= stream.size()) {
      outcomes.push_back(
          events.at(0).has_command_rejected()
              ? events[0].command_rejected().field()
              : events[0].GetDescriptor()->FindFieldByNumber(events[0].body_case())->name());
    }
    if (i + 12 == stream.size()) {  // the 9-entry card, sorted byte-wise
      const v1::ContractUpserted& card = events.at(0).contract_upserted();
      ASSERT_EQ(card.rates_size(), 9);
      EXPECT_EQ(card.rates(0).role(), "CRA");
      EXPECT_EQ(card.rates(8).role(), "\xc3\x89Q");
    }
  }
  EXPECT_EQ(outcomes,
            (std::vector<std::string>{"rates", "contract_upserted", "upserts", "upserts", "upserts",
                                      "rate_card_patched", "removals", "rate_card_patched",
                                      "rate_card_patched", "removals", "rate_card_patched"}));
}

TEST(DifferentialLongTest, ReplayGivesEqualDigests) {
  const std::vector<v1::Command> stream = reference::RandomStream(42, 3000);
  codec::Simulator live;
  codec::Simulator replay;
  std::vector<v1::Event> live_events;
  std::vector<v1::Event> replay_events;
  for (size_t i = 0; i < stream.size(); ++i) {
    (void)live.Execute(i + 1, stream[i], &live_events);
    (void)replay.Execute(i + 1, stream[i], &replay_events);
  }
  EXPECT_EQ(live.StateDigest(), replay.StateDigest());
  ASSERT_EQ(live_events.size(), replay_events.size());
  for (size_t i = 0; i < live_events.size(); ++i) {
    ASSERT_EQ(live_events[i].SerializeAsString(), replay_events[i].SerializeAsString()) << i;
  }
}

}  // namespace
}  // namespace market
