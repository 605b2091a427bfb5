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
      simulator.RejectMalformed(sequence, std::string(command.status().message()), &events);
    }
    for (const auto& e : events) out << ToJson(e) << '\n';
  }
  out.flush();
  return sequence;
}

}  // namespace market::codec
