#include "broker/kafka/topic_contract.h"

#include <google/protobuf/util/json_util.h>

#include <string>

#include "absl/strings/numbers.h"

namespace market::kafka {

using marketplace::v1::Event;

std::string PartitionKey(const Event& event) {
  switch (event.body_case()) {
    case Event::kRequestAccepted:
      return event.request_accepted().request_id();
    case Event::kRequestAmended:
      return event.request_amended().request_id();
    case Event::kRequestClosed:
      return event.request_closed().request_id();
    case Event::kAssignmentCreated:
      return event.assignment_created().request_id();
    case Event::kOfferAccepted:
      return event.offer_accepted().offer_id();
    case Event::kOfferAmended:
      return event.offer_amended().offer_id();
    case Event::kOfferClosed:
      return event.offer_closed().offer_id();
    case Event::kContractUpserted:
      return "contract:" + event.contract_upserted().contract_id();
    case Event::kRateCardPatched:
      return "contract:" + event.rate_card_patched().contract_id();
    case Event::kParticipantUpserted:
      return "participant:" + event.participant_upserted().id();
    case Event::kRoleDefined:
      return "role:" + event.role_defined().code();
    case Event::kLocationDefined:
      return "location:" + event.location_defined().code();
    case Event::kCommandRejected:
    case Event::BODY_NOT_SET:
      break;
  }
  return "sequence:" + std::to_string(event.sequence());
}

std::string_view EventType(const Event& event) {
  if (event.body_case() == Event::BODY_NOT_SET) return "none";
  const google::protobuf::FieldDescriptor* field =
      Event::descriptor()->FindFieldByNumber(static_cast<int>(event.body_case()));
  return field == nullptr ? std::string_view("unknown") : std::string_view(field->name());
}

absl::StatusOr<Event> ParseEventValue(std::string_view value, std::string_view content_type) {
  Event event;
  if (content_type.starts_with(kContentTypeJson)) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;  // a newer producer may add fields
    const auto parsed = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(value.data(), value.size()), &event, options);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError("record value is not an Event in JSON: " +
                                        std::string(parsed.message()));
    }
    return event;
  }
  if (!event.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::InvalidArgumentError("record value is not a protobuf Event (" +
                                      std::to_string(value.size()) + " bytes)");
  }
  return event;
}

absl::StatusOr<uint64_t> ParseDecimalHeader(std::string_view header, std::string_view value) {
  uint64_t number = 0;
  if (value.empty() || value.find_first_not_of("0123456789") != std::string_view::npos ||
      !absl::SimpleAtoi(absl::string_view(value.data(), value.size()), &number)) {
    return absl::InvalidArgumentError("header " + std::string(header) +
                                      " is not a decimal number: '" + std::string(value) + "'");
  }
  return number;
}

}  // namespace market::kafka
