// The event topic's record format: how one journaled Event becomes one Kafka
// record, and how a consumer reads it back. docs/KAFKA.md is the prose
// contract; this file is its single implementation, used by the publisher
// (writing) and the topic reader (reading).
//
//   key      the id of the entity the event is about (see PartitionKey), so
//            each order's events share a partition and stay in order
//   value    the Event: its protobuf bytes exactly as journaled, or its
//            canonical JSON (lowerCamelCase, 64-bit integers quoted)
//   headers  sequence      decimal text, the command's sequence
//            index         decimal text, the event's index within it
//            event_count   decimal text, how many events the command produced
//            event_type    the Event oneof field name, e.g. assignment_created
//            content-type  kContentTypeProtobuf or kContentTypeJson
//   timestamp  the event's timestamp_unix_nanos in milliseconds (CreateTime)
//
// A record is identified by (sequence, index): the publisher delivers
// at-least-once, so a consumer drops a record whose pair it has seen.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "marketplace/v1/event.pb.h"

namespace market::kafka {

inline constexpr std::string_view kDefaultTopic = "marketplace.events";

inline constexpr std::string_view kHeaderSequence = "sequence";
inline constexpr std::string_view kHeaderIndex = "index";
inline constexpr std::string_view kHeaderEventCount = "event_count";
inline constexpr std::string_view kHeaderEventType = "event_type";
inline constexpr std::string_view kHeaderContentType = "content-type";

inline constexpr std::string_view kContentTypeProtobuf =
    "application/x-protobuf; messageType=marketplace.v1.Event";
inline constexpr std::string_view kContentTypeJson = "application/json";

// The record key. Order events are keyed by the order's id, so an order's
// accept, amends, fills and close land in one partition:
//   request_accepted, request_amended, request_closed  -> request_id ("R12")
//   offer_accepted, offer_amended, offer_closed        -> offer_id ("O13")
//   assignment_created                                 -> request_id (the buyer's
//                                                         order; the offer's own
//                                                         events may sit elsewhere)
//   contract_upserted, rate_card_patched -> "contract:<contract_id>"
//   participant_upserted                 -> "participant:<id>"
//   role_defined                         -> "role:<code>"
//   location_defined                     -> "location:<code>"
//   command_rejected, no body            -> "sequence:<sequence>" (about nothing)
std::string PartitionKey(const marketplace::v1::Event& event);

// The name of the event's oneof field ("assignment_created"), or "none".
std::string_view EventType(const marketplace::v1::Event& event);

// A record's value parsed back into an Event according to its content type
// (protobuf when `content_type` is empty or not JSON). INVALID_ARGUMENT when
// the bytes do not parse.
absl::StatusOr<marketplace::v1::Event> ParseEventValue(std::string_view value,
                                                       std::string_view content_type);

// Parses a decimal header value; INVALID_ARGUMENT naming `header` otherwise.
absl::StatusOr<uint64_t> ParseDecimalHeader(std::string_view header, std::string_view value);

}  // namespace market::kafka
