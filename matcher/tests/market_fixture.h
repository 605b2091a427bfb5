// Test support: a small market ready for rule tests.
//
// MarketFixture owns an Engine, numbers commands 1, 2, 3, ... and sets up
// this reference data (all by `admin`):
//   regions LATAM, EU; countries MX, BR (in LATAM), GB (in EU);
//   hub MX-CTA-HUB (in MX); roles CTA, CRA;
//   sponsors S1, S2; vendors V1, V2, V3;
//   contracts C1 = S1-V1, C2 = S1-V2, C3 = S2-V1, C4 = S1-V3
//   (all active, no FTE ceiling, empty rate cards; S2 has no contract with
//   V2 or V3).
// Request() and Offer() build orders with defaults that trade with each other
// (role CTA, request in LATAM at max 5000, offer in MX at 4000, 1000 milli-FTE
// each, dates that fit); tests change only the fields their rule is about.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "matcher/command.h"
#include "matcher/engine.h"
#include "matcher/tests/recording_sink.h"

namespace market::matcher::testing {

using Lines = std::vector<std::string>;

inline constexpr std::string_view kAdmin = "admin";
inline constexpr std::string_view kOps = "ops";
inline constexpr std::string_view kS1 = "sponsor:S1";
inline constexpr std::string_view kS2 = "sponsor:S2";
inline constexpr std::string_view kV1 = "vendor:V1";
inline constexpr std::string_view kV2 = "vendor:V2";
inline constexpr std::string_view kV3 = "vendor:V3";

inline constexpr int32_t kGtc = static_cast<int32_t>(TimeInForce::kGtc);
inline constexpr int32_t kIoc = static_cast<int32_t>(TimeInForce::kIoc);
inline constexpr int32_t kFsp = static_cast<int32_t>(EngagementModel::kFsp);
inline constexpr int32_t kFso = static_cast<int32_t>(EngagementModel::kFso);
inline constexpr int32_t kTm = static_cast<int32_t>(EngagementModel::kTm);
inline constexpr int32_t kRegion = static_cast<int32_t>(LocationKind::kRegion);
inline constexpr int32_t kCountry = static_cast<int32_t>(LocationKind::kCountry);
inline constexpr int32_t kHub = static_cast<int32_t>(LocationKind::kHub);
inline constexpr int32_t kSponsor = static_cast<int32_t>(ParticipantKind::kSponsor);
inline constexpr int32_t kVendor = static_cast<int32_t>(ParticipantKind::kVendor);

// ---- Expected event lines (the RecordingSink format).

// "RequestAccepted R18" or "OfferAccepted O18", from the order id.
inline std::string Accepted(const std::string& id) {
  return (id[0] == 'R' ? "RequestAccepted " : "OfferAccepted ") + id;
}
// "Assignment R20 O18 600@4000 C1 rem 400/0"; `rest` is "<fte>@<rate> <contract> rem <r>/<o>".
inline std::string Assigned(const std::string& request, const std::string& offer,
                            std::string_view rest) {
  return "Assignment " + request + " " + offer + " " + std::string(rest);
}
// "RequestClosed R18 FILLED" or "OfferClosed O18 EXHAUSTED", from the order id.
inline std::string Closed(const std::string& id, std::string_view reason) {
  return (id[0] == 'R' ? "RequestClosed " : "OfferClosed ") + id + " " + std::string(reason);
}
// "RequestAmended R18 300@5000 p18" or "OfferAmended O18 300@4000 p21".
inline std::string Amended(const std::string& id, int64_t remaining, int64_t price,
                           uint64_t priority) {
  return (id[0] == 'R' ? "RequestAmended " : "OfferAmended ") + id + " " +
         std::to_string(remaining) + "@" + std::to_string(price) + " p" + std::to_string(priority);
}
// "Rejected INVALID_ARGUMENT fte_milli".
inline std::string Rejected(std::string_view code, std::string_view field) {
  return "Rejected " + std::string(code) + " " + std::string(field);
}
// The sequence number inside an order id: 18 for "R18".
inline uint64_t Seq(const std::string& id) { return std::stoull(id.substr(1)); }

// ---- Reference-data builders.

inline RateCardEntry Entry(std::string role, int32_t seniority, std::string country,
                           int64_t max_rate) {
  return RateCardEntry{std::move(role), seniority, std::move(country), max_rate};
}

// An active contract without ceiling or card.
inline UpsertContract Contract(std::string id, std::string sponsor, std::string vendor) {
  UpsertContract c;
  c.contract_id = std::move(id);
  c.sponsor_id = std::move(sponsor);
  c.vendor_id = std::move(vendor);
  c.active = true;
  return c;
}

inline DefineLocation Location(int32_t kind, std::string code, std::string parent = {}) {
  return DefineLocation{kind, std::move(code), std::move(parent)};
}

class MarketFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const CommandBody setup[] = {
        Location(kRegion, "LATAM"),
        Location(kRegion, "EU"),
        Location(kCountry, "MX", "LATAM"),
        Location(kCountry, "BR", "LATAM"),
        Location(kCountry, "GB", "EU"),
        Location(kHub, "MX-CTA-HUB", "MX"),
        DefineRole{"CTA", "Clinical trial assistant", "Clinical operations"},
        DefineRole{"CRA", "Clinical research associate", "Clinical operations"},
        UpsertParticipant{"S1", kSponsor, "Sponsor one"},
        UpsertParticipant{"S2", kSponsor, "Sponsor two"},
        UpsertParticipant{"V1", kVendor, "Vendor one"},
        UpsertParticipant{"V2", kVendor, "Vendor two"},
        UpsertParticipant{"V3", kVendor, "Vendor three"},
        Contract("C1", "S1", "V1"),
        Contract("C2", "S1", "V2"),
        Contract("C3", "S2", "V1"),
        Contract("C4", "S1", "V3"),
    };
    for (const CommandBody& body : setup) {
      const Lines lines = Run(kAdmin, body);
      ASSERT_EQ(lines.size(), 1u);
      ASSERT_NE(lines[0].rfind("Rejected", 0), 0u) << lines[0];
    }
  }

  // Runs one command as the next sequence; returns the lines of its events.
  Lines Run(std::string_view principal, CommandBody body) {
    Command command;
    command.timestamp_unix_nanos = next_sequence_ * 1000;
    command.principal = std::string(principal);
    command.body = std::move(body);
    sink_.Clear();
    outcome_ = engine_.Execute(next_sequence_, command, sink_);
    log_.push_back(std::move(command));
    ++next_sequence_;
    return sink_.lines;
  }

  // A request of S1 that trades with Offer(): CTA in LATAM, 1000 milli-FTE at
  // most 5000, 2026-03-01..2026-12-31, GTC; a fresh client_ref.
  SubmitRequest Request() {
    SubmitRequest r;
    r.client_ref = NextRef();
    r.role = "CTA";
    r.locations = {"LATAM"};
    r.fte_milli = 1000;
    r.max_rate = 5000;
    r.start_date = "2026-03-01";
    r.end_date = "2026-12-31";
    return r;
  }

  // An offer that trades with Request(): CTA seniority 2 in MX, 1000
  // milli-FTE at 4000, available from 2026-01-01, open ended; a fresh
  // client_ref.
  PublishOffer Offer() {
    PublishOffer o;
    o.client_ref = NextRef();
    o.role = "CTA";
    o.seniority = 2;
    o.country = "MX";
    o.fte_milli = 1000;
    o.rate = 4000;
    o.available_from = "2026-01-01";
    return o;
  }

  // Amends with a fresh client_ref; 0 leaves a field unchanged.
  AmendRequest RequestAmend(const std::string& id, int64_t fte_milli, int64_t max_rate) {
    return AmendRequest{id, NextRef(), fte_milli, max_rate};
  }
  AmendOffer OfferAmend(const std::string& id, int64_t fte_milli, int64_t rate) {
    return AmendOffer{id, NextRef(), fte_milli, rate};
  }

  // Submits / publishes, expects the order accepted and returns its id. The
  // command's events are in sink().
  std::string Submit(const SubmitRequest& r, std::string_view principal = kS1) {
    const std::string id = NextId('R');
    const Lines lines = Run(principal, r);
    EXPECT_TRUE(!lines.empty() && lines[0] == Accepted(id)) << ::testing::PrintToString(lines);
    return id;
  }
  std::string Publish(const PublishOffer& o, std::string_view principal = kV1) {
    const std::string id = NextId('O');
    const Lines lines = Run(principal, o);
    EXPECT_TRUE(!lines.empty() && lines[0] == Accepted(id)) << ::testing::PrintToString(lines);
    return id;
  }

  // The id the next command gets if it is an accepted submit ('R') or
  // publish ('O').
  std::string NextId(char prefix) const { return prefix + std::to_string(next_sequence_); }
  uint64_t next_sequence() const { return next_sequence_; }

  // A client_ref not used before in this test.
  std::string NextRef() { return "ref-" + std::to_string(++refs_); }

  // Whether the last command changed the engine's state: compares the digest
  // with a twin engine that replays every earlier command and then, in place
  // of the last one, a command refused at the first check (which can change
  // nothing but the sequence).
  bool LastCommandChangedState() const {
    Engine twin;
    RecordingSink ignored;
    uint64_t sequence = 1;
    for (size_t i = 0; i + 1 < log_.size(); ++i) twin.Execute(sequence++, log_[i], ignored);
    Command refused;
    refused.principal = "nobody";
    refused.body = DefineRole{"NOBODY", "", ""};
    twin.Execute(sequence, refused, ignored);
    return twin.StateDigest() != engine_.StateDigest();
  }

  // The digest of a fresh engine fed every command run so far.
  uint64_t ReplayDigest() const { return DigestOf(log_); }

  // Every command run so far, in sequence order (sequence = index + 1).
  const std::vector<Command>& log() const { return log_; }

  // The digest of a fresh engine fed `commands` as sequences 1, 2, 3, ...
  static uint64_t DigestOf(const std::vector<Command>& commands) {
    Engine engine;
    RecordingSink ignored;
    uint64_t sequence = 1;
    for (const Command& c : commands) engine.Execute(sequence++, c, ignored);
    return engine.StateDigest();
  }

  Engine& engine() { return engine_; }
  const RecordingSink& sink() const { return sink_; }
  const Outcome& outcome() const { return outcome_; }

 private:
  Engine engine_;
  RecordingSink sink_;
  Outcome outcome_;
  std::vector<Command> log_;
  uint64_t next_sequence_ = 1;
  int refs_ = 0;
};

}  // namespace market::matcher::testing
