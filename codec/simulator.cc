#include "codec/simulator.h"

#include "codec/command_codec.h"
#include "codec/event_codec.h"

namespace market::codec {

matcher::Outcome Simulator::Execute(uint64_t sequence, const marketplace::v1::Command& command,
                                    std::vector<marketplace::v1::Event>* events) {
  const matcher::Command converted = FromProto(command);
  ProtoEventSink sink(events, sequence, command.timestamp_unix_nanos(), command.principal());
  return engine_->Execute(sequence, converted, sink);
}

matcher::Outcome Simulator::RejectMalformed(uint64_t sequence, std::string_view field,
                                            std::string_view message,
                                            std::vector<marketplace::v1::Event>* events) {
  ProtoEventSink sink(events, sequence, 0, "");
  return engine_->RejectMalformed(sequence, field, message, sink);
}

absl::Status Simulator::Restore(const matcher::EngineSnapshot& snapshot) {
  absl::StatusOr<std::unique_ptr<matcher::Engine>> restored = matcher::Engine::Restore(snapshot);
  if (!restored.ok()) return restored.status();
  engine_ = std::move(*restored);
  return absl::OkStatus();
}

}  // namespace market::codec
