// Command line input of marketctl's client subcommands, turned into API
// messages: the body of a command given as JSON (protobuf's JSON mapping of the
// body message, e.g. SubmitRequest) with convenience flags laid over it, the
// names of event types and status codes. Pure: no I/O, no network, so every
// rule here is unit-tested (client_commands_test.cc).
//
//   marketctl submit '{"role":"CTA","locations":["LATAM"],"fteMilli":"500"}' --max-rate 4500
//                    \______________ JSON body ______________________/  \__ flag __/
//
// A flag wins over the JSON: a scalar flag that is set replaces the field, a
// repeated flag that is given replaces the whole list.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "marketplace/v1/command.pb.h"
#include "marketplace/v1/event.pb.h"

namespace market::tools {

// Parses `json` (lowerCamelCase or proto field names, enums by name) into
// `message`, which is cleared first. An empty or blank `json` leaves it empty.
// INVALID_ARGUMENT naming the message type and protobuf's reason otherwise.
[[nodiscard]] absl::Status ParseBodyJson(std::string_view json, google::protobuf::Message* message);

// Lays `flags` over `body`: every scalar field set in `flags` (not its default)
// replaces the one in `body`; every non-empty repeated field of `flags`
// replaces the whole list in `body`. Both must be of the same type.
void OverlayFlags(const google::protobuf::Message& flags, google::protobuf::Message* body);

// The convenience flags of `marketctl submit`; empty / zero / false = not given.
struct SubmitFlags {
  std::string client_ref;
  std::string role;
  int32_t min_seniority = 0;
  std::vector<std::string> locations;
  int64_t fte_milli = 0;        // milli-FTE
  int64_t min_slice_milli = 0;  // milli-FTE
  int32_t max_vendors = 0;
  int64_t max_rate = 0;  // cents per hour
  std::string start_date;
  std::string end_date;
  std::vector<std::string> models;  // FSP, FSO, TM
  std::vector<std::string> tags;
  std::vector<std::string> vendors;  // allowlist
  bool ioc = false;
  bool all_or_none = false;
};

// The convenience flags of `marketctl publish`.
struct PublishFlags {
  std::string client_ref;
  std::string role;
  int32_t seniority = 0;
  std::string country;
  std::string hub;
  int64_t fte_milli = 0;        // milli-FTE
  int64_t min_slice_milli = 0;  // milli-FTE
  int64_t rate = 0;             // cents per hour
  std::string available_from;
  std::string available_until;
  std::string model;  // FSP, FSO, TM
  std::vector<std::string> tags;
  bool ioc = false;
};

// The flags of `marketctl amend`: exactly one of request_id and offer_id.
struct AmendFlags {
  std::string request_id;  // "R<sequence>"
  std::string offer_id;    // "O<sequence>"
  std::string client_ref;
  int64_t fte_milli = 0;  // new remaining milli-FTE
  int64_t rate = 0;       // cents per hour: max_rate of a request, rate of an offer
};

// The client_ref a command line command gets when it names none:
// "cli-<unix nanos in hex>-<4 hex digits>". Commands from a script that may be
// retried should pass their own --client-ref (it is the idempotency key).
std::string GeneratedClientRef(uint64_t unix_nanos, uint32_t random);

// The body of `submit` / `publish` / `amend` from the JSON argument (may be
// empty) and the flags. `default_client_ref` fills an empty client_ref.
// INVALID_ARGUMENT for bad JSON or an unknown engagement model name.
[[nodiscard]] absl::StatusOr<marketplace::v1::Command> BuildSubmit(
    std::string_view json, const SubmitFlags& flags, const std::string& default_client_ref);
[[nodiscard]] absl::StatusOr<marketplace::v1::Command> BuildPublish(
    std::string_view json, const PublishFlags& flags, const std::string& default_client_ref);
// An amend of a request or of an offer, by which id flag is given (the JSON
// is an AmendRequest or an AmendOffer accordingly).
[[nodiscard]] absl::StatusOr<marketplace::v1::Command> BuildAmend(
    std::string_view json, const AmendFlags& flags, const std::string& default_client_ref);
[[nodiscard]] absl::StatusOr<marketplace::v1::Command> BuildCancel(std::string_view request_id);
[[nodiscard]] absl::StatusOr<marketplace::v1::Command> BuildWithdraw(std::string_view offer_id);

// The name of gRPC status code `code` as in API.md ("INVALID_ARGUMENT").
std::string StatusCodeName(int code);

// The event type names that StreamEvents filters on: the oneof field names of
// Event's body ("assignment_created", ...).
std::vector<std::string> EventTypeNames();

// OK when every name is one of EventTypeNames(); INVALID_ARGUMENT naming the
// first unknown one and listing the known ones otherwise.
[[nodiscard]] absl::Status CheckEventTypes(const std::vector<std::string>& names);

}  // namespace market::tools
