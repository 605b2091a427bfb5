// FeedbackSink: records events and tells a RandomCommandGenerator which
// orders opened and closed, so that its next amends and cancels name them.
#pragma once

#include <variant>

#include "matcher/event.h"
#include "matcher/tests/random_commands.h"
#include "matcher/tests/recording_sink.h"

namespace market::matcher::testing {

class FeedbackSink final : public EventSink {
 public:
  explicit FeedbackSink(RandomCommandGenerator& generator) : generator_(generator) {}
  void OnEvent(uint32_t index, const Event& event) override {
    lines.OnEvent(index, event);
    if (const auto* r = std::get_if<RequestAccepted>(&event)) {
      generator_.OnOrderOpen(r->request_sequence, r->order->fte_milli, r->order->max_rate);
    } else if (const auto* o = std::get_if<OfferAccepted>(&event)) {
      generator_.OnOrderOpen(o->offer_sequence, o->order->fte_milli, o->order->rate);
    } else if (const auto* c = std::get_if<OrderClosed>(&event)) {
      generator_.OnOrderClosed(c->order_sequence);
    }
  }
  RecordingSink lines;

 private:
  RandomCommandGenerator& generator_;
};

}  // namespace market::matcher::testing
