#include "broker/kafka/topic_contract.h"

#include <gtest/gtest.h>

#include "codec/json_lines.h"

namespace market::kafka {
namespace {

using marketplace::v1::Event;

Event At(uint64_t sequence, uint32_t index) {
  Event event;
  event.set_sequence(sequence);
  event.set_index(index);
  event.set_timestamp_unix_nanos(1'700'000'000'000'000'000ULL);
  return event;
}

TEST(TopicContract, AnOrdersEventsShareItsIdAsKey) {
  Event accepted = At(12, 0);
  accepted.mutable_request_accepted()->set_request_id("R12");
  Event fill = At(13, 1);
  fill.mutable_assignment_created()->set_request_id("R12");
  fill.mutable_assignment_created()->set_offer_id("O13");
  Event closed = At(13, 2);
  closed.mutable_request_closed()->set_request_id("R12");
  Event amended = At(14, 0);
  amended.mutable_request_amended()->set_request_id("R12");
  for (const Event& event : {accepted, fill, closed, amended}) {
    EXPECT_EQ(PartitionKey(event), "R12") << event.ShortDebugString();
  }
  Event offer = At(13, 0);
  offer.mutable_offer_accepted()->set_offer_id("O13");
  Event exhausted = At(13, 3);
  exhausted.mutable_offer_closed()->set_offer_id("O13");
  Event offer_amended = At(15, 0);
  offer_amended.mutable_offer_amended()->set_offer_id("O13");
  for (const Event& event : {offer, exhausted, offer_amended}) {
    EXPECT_EQ(PartitionKey(event), "O13") << event.ShortDebugString();
  }
}

TEST(TopicContract, ReferenceDataIsKeyedByKindAndId) {
  Event contract = At(1, 0);
  contract.mutable_contract_upserted()->set_contract_id("C1");
  Event patch = At(2, 0);
  patch.mutable_rate_card_patched()->set_contract_id("C1");
  Event participant = At(3, 0);
  participant.mutable_participant_upserted()->set_id("acme");
  Event role = At(4, 0);
  role.mutable_role_defined()->set_code("DEV");
  Event location = At(5, 0);
  location.mutable_location_defined()->set_code("DE");
  EXPECT_EQ(PartitionKey(contract), "contract:C1");
  EXPECT_EQ(PartitionKey(patch), "contract:C1");
  EXPECT_EQ(PartitionKey(participant), "participant:acme");
  EXPECT_EQ(PartitionKey(role), "role:DEV");
  EXPECT_EQ(PartitionKey(location), "location:DE");
}

TEST(TopicContract, RejectionsAreKeyedBySequence) {
  Event rejected = At(77, 0);
  rejected.mutable_command_rejected()->set_field("fte_milli");
  EXPECT_EQ(PartitionKey(rejected), "sequence:77");
  EXPECT_EQ(PartitionKey(At(78, 0)), "sequence:78");
}

TEST(TopicContract, EventTypeIsTheOneofFieldName) {
  Event fill = At(1, 0);
  fill.mutable_assignment_created();
  EXPECT_EQ(EventType(fill), "assignment_created");
  Event patch = At(1, 0);
  patch.mutable_rate_card_patched();
  EXPECT_EQ(EventType(patch), "rate_card_patched");
  EXPECT_EQ(EventType(At(1, 0)), "none");
}

TEST(TopicContract, ParsesProtobufAndJsonValues) {
  Event event = At(5, 2);
  event.mutable_offer_closed()->set_offer_id("O5");
  absl::StatusOr<Event> from_proto =
      ParseEventValue(event.SerializeAsString(), kContentTypeProtobuf);
  ASSERT_TRUE(from_proto.ok()) << from_proto.status();
  EXPECT_EQ(from_proto->ShortDebugString(), event.ShortDebugString());
  absl::StatusOr<Event> from_json = ParseEventValue(codec::ToJson(event), kContentTypeJson);
  ASSERT_TRUE(from_json.ok()) << from_json.status();
  EXPECT_EQ(from_json->ShortDebugString(), event.ShortDebugString());
  // No content type: protobuf.
  EXPECT_TRUE(ParseEventValue(event.SerializeAsString(), "").ok());
}

TEST(TopicContract, GarbageValuesAreInvalidArgument) {
  EXPECT_EQ(ParseEventValue("{not json", kContentTypeJson).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseEventValue("\xff\xff\xff", kContentTypeProtobuf).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(TopicContract, DecimalHeaders) {
  EXPECT_EQ(ParseDecimalHeader("sequence", "42").value(), 42u);
  EXPECT_EQ(ParseDecimalHeader("sequence", "18446744073709551615").value(),
            18446744073709551615ULL);
  for (const char* bad : {"", "-1", "4x", " 4", "18446744073709551616"}) {
    EXPECT_EQ(ParseDecimalHeader("sequence", bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

}  // namespace
}  // namespace market::kafka
