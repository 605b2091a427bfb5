// Command and Event JSON lines (API.md): protobuf's canonical JSON mapping,
// lowerCamelCase names, enums by name, 64-bit integers quoted.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "marketplace/v1/command.pb.h"
#include "marketplace/v1/event.pb.h"

namespace market::codec {

// True for a line of only white space: it is skipped and takes no sequence.
bool IsBlankLine(std::string_view line);

// Parses one line as a Command; unknown fields and bad values are errors.
absl::StatusOr<marketplace::v1::Command> ParseCommandJson(std::string_view line);

std::string ToJson(const google::protobuf::Message& message);

// The command field a JSON parse error names, as a snake_case path inside the
// body ("fte_milli", "time_in_force"), or "" when the parser named none.
std::string FieldOfParseError(std::string_view message);

// `marketctl simulate`: Command lines from `in`, Event lines to `out`, in
// sequence order starting at `first_sequence`. Returns the last sequence used.
uint64_t SimulateJsonLines(std::istream& in, std::ostream& out, uint64_t first_sequence = 1);

}  // namespace market::codec
