#include "marketctl/client/command_input.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/util/json_util.h>

#include <cstdio>

#include "absl/status/status.h"
#include "codec/json_lines.h"

namespace market::tools {
namespace {

namespace pb = marketplace::v1;
using google::protobuf::FieldDescriptor;

absl::StatusOr<pb::EngagementModel> ParseModel(const std::string& name) {
  pb::EngagementModel model = pb::ENGAGEMENT_MODEL_UNSPECIFIED;
  if (!pb::EngagementModel_Parse(name, &model) || model == pb::ENGAGEMENT_MODEL_UNSPECIFIED) {
    return absl::InvalidArgumentError("--model: '" + name + "' is not FSP, FSO or TM");
  }
  return model;
}

void FillClientRef(std::string* client_ref, const std::string& default_client_ref) {
  if (client_ref->empty()) *client_ref = default_client_ref;
}

template <typename Repeated>
void SetAll(Repeated* field, const std::vector<std::string>& values) {
  field->Clear();
  for (const std::string& value : values) field->Add(std::string(value));
}

}  // namespace

absl::Status ParseBodyJson(std::string_view json, google::protobuf::Message* message) {
  message->Clear();
  if (codec::IsBlankLine(json)) return absl::OkStatus();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), message, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError("body is not a JSON " + message->GetDescriptor()->name() +
                                      ": " + std::string(status.message()));
  }
  return absl::OkStatus();
}

void OverlayFlags(const google::protobuf::Message& flags, google::protobuf::Message* body) {
  const google::protobuf::Reflection* from = flags.GetReflection();
  const google::protobuf::Reflection* to = body->GetReflection();
  std::vector<const FieldDescriptor*> set;
  from->ListFields(flags, &set);  // proto3: the scalars not at their default, non-empty lists
  for (const FieldDescriptor* field : set) {
    if (field->is_repeated()) to->ClearField(body, field);
  }
  body->MergeFrom(flags);
}

std::string GeneratedClientRef(uint64_t unix_nanos, uint32_t random) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "cli-%llx-%04x", static_cast<unsigned long long>(unix_nanos),
                random & 0xffffu);
  return buffer;
}

absl::StatusOr<pb::Command> BuildSubmit(std::string_view json, const SubmitFlags& flags,
                                        const std::string& default_client_ref) {
  pb::Command command;
  pb::SubmitRequest* body = command.mutable_submit_request();
  if (absl::Status s = ParseBodyJson(json, body); !s.ok()) return s;
  pb::SubmitRequest over;
  over.set_client_ref(flags.client_ref);
  over.set_role(flags.role);
  over.set_min_seniority(flags.min_seniority);
  SetAll(over.mutable_locations(), flags.locations);
  over.set_fte_milli(flags.fte_milli);
  over.set_min_slice_milli(flags.min_slice_milli);
  over.set_max_vendors(flags.max_vendors);
  over.set_max_rate(flags.max_rate);
  over.set_start_date(flags.start_date);
  over.set_end_date(flags.end_date);
  for (const std::string& name : flags.models) {
    absl::StatusOr<pb::EngagementModel> model = ParseModel(name);
    if (!model.ok()) return model.status();
    over.add_engagement_models(*model);
  }
  SetAll(over.mutable_required_tags(), flags.tags);
  SetAll(over.mutable_vendor_allowlist(), flags.vendors);
  if (flags.ioc || flags.all_or_none) over.set_time_in_force(pb::IOC);
  over.set_all_or_none(flags.all_or_none);
  OverlayFlags(over, body);
  FillClientRef(body->mutable_client_ref(), default_client_ref);
  return command;
}

absl::StatusOr<pb::Command> BuildPublish(std::string_view json, const PublishFlags& flags,
                                         const std::string& default_client_ref) {
  pb::Command command;
  pb::PublishOffer* body = command.mutable_publish_offer();
  if (absl::Status s = ParseBodyJson(json, body); !s.ok()) return s;
  pb::PublishOffer over;
  over.set_client_ref(flags.client_ref);
  over.set_role(flags.role);
  over.set_seniority(flags.seniority);
  over.set_country(flags.country);
  over.set_hub(flags.hub);
  over.set_fte_milli(flags.fte_milli);
  over.set_min_slice_milli(flags.min_slice_milli);
  over.set_rate(flags.rate);
  over.set_available_from(flags.available_from);
  over.set_available_until(flags.available_until);
  if (!flags.model.empty()) {
    absl::StatusOr<pb::EngagementModel> model = ParseModel(flags.model);
    if (!model.ok()) return model.status();
    over.set_engagement_model(*model);
  }
  SetAll(over.mutable_tags(), flags.tags);
  if (flags.ioc) over.set_time_in_force(pb::IOC);
  OverlayFlags(over, body);
  FillClientRef(body->mutable_client_ref(), default_client_ref);
  return command;
}

absl::StatusOr<pb::Command> BuildAmend(std::string_view json, const AmendFlags& flags,
                                       const std::string& default_client_ref) {
  if (flags.request_id.empty() == flags.offer_id.empty()) {
    return absl::InvalidArgumentError("amend: give exactly one of --request and --offer");
  }
  pb::Command command;
  if (!flags.request_id.empty()) {
    pb::AmendRequest* body = command.mutable_amend_request();
    if (absl::Status s = ParseBodyJson(json, body); !s.ok()) return s;
    pb::AmendRequest over;
    over.set_request_id(flags.request_id);
    over.set_client_ref(flags.client_ref);
    over.set_fte_milli(flags.fte_milli);
    over.set_max_rate(flags.rate);
    OverlayFlags(over, body);
    FillClientRef(body->mutable_client_ref(), default_client_ref);
  } else {
    pb::AmendOffer* body = command.mutable_amend_offer();
    if (absl::Status s = ParseBodyJson(json, body); !s.ok()) return s;
    pb::AmendOffer over;
    over.set_offer_id(flags.offer_id);
    over.set_client_ref(flags.client_ref);
    over.set_fte_milli(flags.fte_milli);
    over.set_rate(flags.rate);
    OverlayFlags(over, body);
    FillClientRef(body->mutable_client_ref(), default_client_ref);
  }
  return command;
}

absl::StatusOr<pb::Command> BuildCancel(std::string_view request_id) {
  if (request_id.empty()) return absl::InvalidArgumentError("cancel: --request-id is required");
  pb::Command command;
  command.mutable_cancel_request()->set_request_id(std::string(request_id));
  return command;
}

absl::StatusOr<pb::Command> BuildWithdraw(std::string_view offer_id) {
  if (offer_id.empty()) return absl::InvalidArgumentError("withdraw: --offer-id is required");
  pb::Command command;
  command.mutable_withdraw_offer()->set_offer_id(std::string(offer_id));
  return command;
}

std::string StatusCodeName(int code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

std::vector<std::string> EventTypeNames() {
  std::vector<std::string> names;
  const google::protobuf::OneofDescriptor* body = pb::Event::descriptor()->FindOneofByName("body");
  for (int i = 0; body != nullptr && i < body->field_count(); ++i) {
    names.push_back(body->field(i)->name());
  }
  return names;
}

absl::Status CheckEventTypes(const std::vector<std::string>& names) {
  const std::vector<std::string> known = EventTypeNames();
  for (const std::string& name : names) {
    bool found = false;
    for (const std::string& k : known) found = found || k == name;
    if (!found) {
      std::string list;
      for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
      return absl::InvalidArgumentError("--type: unknown event type '" + name +
                                        "'; known: " + list);
    }
  }
  return absl::OkStatus();
}

}  // namespace market::tools
