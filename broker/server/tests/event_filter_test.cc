// StreamEvents filters and what a participant may see.
#include <gtest/gtest.h>

#include "broker/server/event_stream.h"

namespace market::server {
namespace {

namespace pb = marketplace::v1;

pb::Event Fill(const std::string& sponsor, const std::string& vendor) {
  pb::Event event;
  event.set_principal("sponsor:" + sponsor);
  event.mutable_assignment_created()->set_sponsor_id(sponsor);
  event.mutable_assignment_created()->set_vendor_id(vendor);
  return event;
}

TEST(EventFilterTest, NoFiltersKeepEverything) {
  absl::StatusOr<EventFilter> filter = MakeEventFilter({}, {}, 10);
  ASSERT_TRUE(filter.ok());
  EXPECT_FALSE(*filter);  // no filter at all
}

TEST(EventFilterTest, EventTypesAreOneofFieldNames) {
  absl::StatusOr<EventFilter> filter = MakeEventFilter({"assignment_created"}, {}, 10);
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE((*filter)(Fill("S1", "V1")));
  pb::Event rejected;
  rejected.mutable_command_rejected();
  EXPECT_FALSE((*filter)(rejected));
}

TEST(EventFilterTest, UnknownEventTypeIsInvalidArgumentNamingIt) {
  absl::StatusOr<EventFilter> filter = MakeEventFilter({"role_defined", "fills"}, {}, 10);
  EXPECT_EQ(filter.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(filter.status().message().find("event_types[1]"), std::string::npos);
}

TEST(EventFilterTest, TooManyValuesIsInvalidArgument) {
  EXPECT_EQ(MakeEventFilter({}, {"a", "b", "c"}, 2).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(EventFilterTest, ParticipantFilterKeepsEventsNamingTheParticipant) {
  absl::StatusOr<EventFilter> filter = MakeEventFilter({}, {"V1"}, 10);
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE((*filter)(Fill("S1", "V1")));
  EXPECT_FALSE((*filter)(Fill("S1", "V2")));
}

TEST(EventFilterTest, OwnAssignmentsKeepsOnlyTheParticipantsFills) {
  EventFilter sponsor = OwnAssignments(/*sponsor=*/true, "S1");
  EXPECT_TRUE(sponsor(Fill("S1", "V1")));
  EXPECT_FALSE(sponsor(Fill("S2", "V1")));
  EventFilter vendor = OwnAssignments(/*sponsor=*/false, "V1");
  EXPECT_TRUE(vendor(Fill("S2", "V1")));
  EXPECT_FALSE(vendor(Fill("S1", "V2")));
}

}  // namespace
}  // namespace market::server
