// Turns the matcher's events (views, valid during the callback) into proto
// Events (API.md): ids "R<seq>", "O<seq>", "A<seq>-<index>", dates as ISO
// text, enums by number.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "marketplace/v1/event.pb.h"
#include "matcher/event.h"

namespace market::codec {

// An EventSink that appends each event, as a proto Event, to a vector.
class ProtoEventSink final : public matcher::EventSink {
 public:
  // `out` must outlive the sink; the header fields are stamped on each event.
  ProtoEventSink(std::vector<marketplace::v1::Event>* out, uint64_t sequence,
                 uint64_t timestamp_unix_nanos, std::string_view principal)
      : out_(out), sequence_(sequence), timestamp_(timestamp_unix_nanos), principal_(principal) {}

  void OnEvent(uint32_t index, const matcher::Event& event) override;

 private:
  std::vector<marketplace::v1::Event>* out_;
  uint64_t sequence_;
  uint64_t timestamp_;
  std::string_view principal_;
};

// Fills `out`'s body from `event`; `sequence` and `index` form assignment ids.
void ToProto(const matcher::Event& event, uint64_t sequence, uint32_t index,
             marketplace::v1::Event* out);

std::string RequestId(uint64_t sequence);
std::string OfferId(uint64_t sequence);

}  // namespace market::codec
