// Commands as the matcher sees them: plain owning structs, one per kind of
// command in API.md, mirroring the proto fields one to one.
//
// Values are carried exactly as received, unvalidated (enums as raw numbers,
// dates as text): validating them is the engine's job, so that every bad value
// becomes a CommandRejected naming its field. The codec (codec/) maps proto
// messages to these structs at the edge.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace market::matcher {

// Enum numbers as on the wire (proto/marketplace/v1/types.proto).
enum class TimeInForce : int32_t { kUnspecified = 0, kGtc = 1, kIoc = 2 };
enum class EngagementModel : int32_t { kUnspecified = 0, kFsp = 1, kFso = 2, kTm = 3 };
enum class LocationKind : int32_t { kUnspecified = 0, kRegion = 1, kCountry = 2, kHub = 3 };
enum class ParticipantKind : int32_t { kUnspecified = 0, kSponsor = 1, kVendor = 2 };
enum class CloseReason : int32_t {
  kUnspecified = 0,
  kFilled = 1,
  kExhausted = 2,
  kCancelled = 3,
  kWithdrawn = 4,
  kIocRemainder = 5,
  kAonUnfilled = 6,
};
// Which side of the book an order is on.
enum class Side : uint8_t { kRequest = 0, kOffer = 1 };

enum class RejectCode : int32_t {
  kInvalidArgument = 3,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kFailedPrecondition = 9,
};

struct SubmitRequest {
  std::string sponsor_id;
  std::string client_ref;
  std::string role;
  int32_t min_seniority = 0;
  std::vector<std::string> locations;
  int64_t fte_milli = 0;
  int64_t min_slice_milli = 0;
  int32_t max_vendors = 0;
  int64_t max_rate = 0;
  std::string start_date;
  std::string end_date;
  std::vector<int32_t> engagement_models;
  std::vector<std::string> required_tags;
  std::vector<std::string> vendor_allowlist;
  int32_t time_in_force = 0;
  bool all_or_none = false;
};

struct AmendRequest {
  std::string request_id;
  std::string client_ref;
  int64_t fte_milli = 0;  // new remaining; 0 = unchanged
  int64_t max_rate = 0;   // 0 = unchanged
};

struct CancelRequest {
  std::string request_id;
};

struct PublishOffer {
  std::string vendor_id;
  std::string client_ref;
  std::string role;
  int32_t seniority = 0;
  std::string country;
  std::string hub;
  int64_t fte_milli = 0;
  int64_t min_slice_milli = 0;
  int64_t rate = 0;
  std::string available_from;
  std::string available_until;
  int32_t engagement_model = 0;
  std::vector<std::string> tags;
  int32_t time_in_force = 0;
};

struct AmendOffer {
  std::string offer_id;
  std::string client_ref;
  int64_t fte_milli = 0;  // new remaining; 0 = unchanged
  int64_t rate = 0;       // 0 = unchanged
};

struct WithdrawOffer {
  std::string offer_id;
};

struct DefineRole {
  std::string code;
  std::string name;
  std::string family;
};

struct DefineLocation {
  int32_t kind = 0;
  std::string code;
  std::string parent;
};

struct UpsertParticipant {
  std::string id;
  int32_t kind = 0;
  std::string name;
};

struct RateCardEntry {
  std::string role;
  int32_t seniority = 0;
  std::string country;
  int64_t max_rate = 0;
};

struct RateCardKey {
  std::string role;
  int32_t seniority = 0;
  std::string country;
};

struct UpsertContract {
  std::string contract_id;
  std::string sponsor_id;
  std::string vendor_id;
  bool active = false;
  int64_t max_fte_milli = 0;
  std::vector<RateCardEntry> rates;
};

struct PatchRateCard {
  std::string contract_id;
  std::vector<RateCardEntry> upserts;
  std::vector<RateCardKey> removals;
};

// No body: a command whose kind was left unspecified.
struct EmptyBody {};

using CommandBody = std::variant<EmptyBody, SubmitRequest, AmendRequest, CancelRequest,
                                 PublishOffer, AmendOffer, WithdrawOffer, DefineRole,
                                 DefineLocation, UpsertParticipant, UpsertContract, PatchRateCard>;

struct Command {
  uint64_t timestamp_unix_nanos = 0;
  std::string principal;  // "sponsor:<id>", "vendor:<id>", "admin" or "ops"
  CommandBody body;
};

}  // namespace market::matcher
