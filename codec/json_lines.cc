#include "codec/json_lines.h"

#include <google/protobuf/util/json_util.h>

#include <vector>

#include "codec/simulator.h"

namespace market::codec {

bool IsBlankLine(std::string_view line) {
  return line.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

absl::StatusOr<marketplace::v1::Command> ParseCommandJson(std::string_view line) {
  marketplace::v1::Command command;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(line.data(), line.size()), &command, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError("not a Command: " + std::string(status.message()));
  }
  return command;
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::string FieldOfParseError(std::string_view message) {
  // protobuf reports "(submit_request.fte_milli): invalid value ..." for a bad
  // value and "(submit_request) fteMili: Cannot find field." for an unknown one.
  const size_t open = message.find('(');
  const size_t close = message.find(')', open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos) return "";
  std::string_view path = message.substr(open + 1, close - open - 1);
  std::string_view rest = message.substr(close + 1);
  std::string field;
  if (rest.substr(0, 1) == ":") {
    field = std::string(path);
  } else if (rest.substr(0, 1) == " " &&
             rest.find(": Cannot find field") != std::string_view::npos) {
    field = std::string(path) + "." + std::string(rest.substr(1, rest.find(':') - 1));
  } else {
    return "";
  }
  // Drop the body's own name: fields are named inside the command body.
  const size_t dot = field.find('.');
  static constexpr std::string_view kBodies[] = {
      "submit_request",     "amend_request",   "cancel_request", "publish_offer",
      "amend_offer",        "withdraw_offer",  "define_role",    "define_location",
      "upsert_participant", "upsert_contract", "patch_rate_card"};
  for (std::string_view body : kBodies) {
    if (field == body) return "";
    if (dot != std::string::npos && std::string_view(field).substr(0, dot) == body) {
      return field.substr(dot + 1);
    }
  }
  return field;
}

uint64_t SimulateJsonLines(std::istream& in, std::ostream& out, uint64_t first_sequence) {
  Simulator simulator;
  uint64_t sequence = first_sequence - 1;
  std::string line;
  std::vector<marketplace::v1::Event> events;
  while (std::getline(in, line)) {
    if (IsBlankLine(line)) continue;
    ++sequence;
    events.clear();
    auto command = ParseCommandJson(line);
    if (command.ok()) {
      simulator.Execute(sequence, *command, &events);
    } else {
      const std::string message(command.status().message());
      simulator.RejectMalformed(sequence, FieldOfParseError(message), message, &events);
    }
    for (const auto& e : events) out << ToJson(e) << '\n';
  }
  out.flush();
  return sequence;
}

}  // namespace market::codec
