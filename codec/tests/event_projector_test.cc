// EventProjector: the engine state rebuilt from events alone must be the
// engine's own state (equal snapshot, equal StateDigest once restored) and
// must answer later commands with the engine's events. Streams: the spec's
// worked examples, the golden inputs, the reference RandomStream run through
// codec::Simulator, and the matcher's RandomCommandGenerator. Plus the
// projector's refusals: events out of order or naming what no event made.
#include "codec/event_projector.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "codec/command_codec.h"
#include "codec/event_codec.h"
#include "codec/json_lines.h"
#include "codec/simulator.h"
#include "matcher/engine.h"
#include "matcher/tests/random_commands.h"
#include "tests/reference/random_stream.h"

namespace market::codec {
namespace {

namespace pb = marketplace::v1;
namespace m = market::matcher;

// ---------------------------------------------------------------------------
// Helpers.

// The whole snapshot as text, one record a line, so that a mismatch names the
// record that differs.
std::string SnapshotText(const m::EngineSnapshot& s) {
  std::string out = absl::StrCat("last_sequence ", s.last_sequence, "\n");
  auto join = [](const auto& list) {
    std::string text = "[";
    for (const auto& item : list) absl::StrAppend(&text, item, ",");
    return text + "]";
  };
  for (const m::DefineRole& r : s.roles) {
    absl::StrAppend(&out, "role ", r.code, " ", r.name, " ", r.family, "\n");
  }
  for (const m::DefineLocation& l : s.locations) {
    absl::StrAppend(&out, "location ", l.kind, " ", l.code, " ", l.parent, "\n");
  }
  for (const m::UpsertParticipant& p : s.participants) {
    absl::StrAppend(&out, "participant ", p.id, " ", p.kind, " ", p.name, "\n");
  }
  for (const m::EngineSnapshot::Contract& c : s.contracts) {
    absl::StrAppend(&out, "contract ", c.contract.contract_id, " ", c.contract.sponsor_id, " ",
                    c.contract.vendor_id, " active=", c.contract.active,
                    " max=", c.contract.max_fte_milli, " used=", c.used_fte_milli, " card=");
    for (const m::RateCardEntry& e : c.contract.rates) {
      absl::StrAppend(&out, e.role, "/", e.seniority, "/", e.country, ":", e.max_rate, " ");
    }
    out += "\n";
  }
  for (const m::EngineSnapshot::OpenRequest& r : s.requests) {
    const m::SubmitRequest& q = r.order;
    absl::StrAppend(
        &out, "request R", r.id, " priority=", r.priority_sequence,
        " remaining=", r.remaining_milli, " vendors_used=", join(r.vendors_used),
        " sponsor=", q.sponsor_id, " ref=", q.client_ref, " role=", q.role,
        " min_seniority=", q.min_seniority, " locations=", join(q.locations), " fte=", q.fte_milli,
        " slice=", q.min_slice_milli, " max_vendors=", q.max_vendors, " max_rate=", q.max_rate,
        " dates=", q.start_date, "..", q.end_date, " models=", join(q.engagement_models),
        " tags=", join(q.required_tags), " allow=", join(q.vendor_allowlist),
        " tif=", q.time_in_force, " aon=", q.all_or_none, "\n");
  }
  for (const m::EngineSnapshot::OpenOffer& o : s.offers) {
    const m::PublishOffer& p = o.order;
    absl::StrAppend(&out, "offer O", o.id, " priority=", o.priority_sequence,
                    " remaining=", o.remaining_milli, " vendor=", p.vendor_id,
                    " ref=", p.client_ref, " role=", p.role, " seniority=", p.seniority,
                    " at=", p.country, "/", p.hub, " fte=", p.fte_milli,
                    " slice=", p.min_slice_milli, " rate=", p.rate, " available=", p.available_from,
                    "..", p.available_until, " model=", p.engagement_model, " tags=", join(p.tags),
                    " tif=", p.time_in_force, "\n");
  }
  for (const m::EngineSnapshot::ClosedOrder& c : s.closed) {
    absl::StrAppend(&out, "closed ", c.id, " side=", static_cast<int>(c.side), " ", c.owner, "\n");
  }
  for (const m::EngineSnapshot::ClientRef& c : s.client_refs) {
    absl::StrAppend(&out, "client_ref ", c.participant, " ", c.client_ref, " ", c.sequence, "\n");
  }
  return out;
}

// Runs a proto command on `engine` exactly as codec::Simulator does.
m::Outcome RunProto(m::Engine& engine, uint64_t sequence, const pb::Command& command,
                    std::vector<pb::Event>* events) {
  const m::Command converted = FromProto(command);
  ProtoEventSink sink(events, sequence, command.timestamp_unix_nanos(), command.principal());
  return engine.Execute(sequence, converted, sink);
}

// Runs a matcher command on `engine`, answering proto events.
m::Outcome RunMatcher(m::Engine& engine, uint64_t sequence, const m::Command& command,
                      std::vector<pb::Event>* events) {
  ProtoEventSink sink(events, sequence, command.timestamp_unix_nanos, command.principal);
  return engine.Execute(sequence, command, sink);
}

// Folds `events` into `projector`, then declares `last_sequence`.
void ProjectInto(EventProjector& projector, const std::vector<pb::Event>& events,
                 uint64_t last_sequence) {
  for (const pb::Event& e : events) {
    const absl::Status s = projector.Apply(e);
    ASSERT_TRUE(s.ok()) << s << "\nevent " << ToJson(e);
  }
  const absl::Status s = projector.SetLastSequence(last_sequence);
  ASSERT_TRUE(s.ok()) << s;
}

// The projection of `events` must be `engine`'s state: the same snapshot and,
// restored, the same digest.
void ExpectProjectionIsEngineState(const std::vector<pb::Event>& events, const m::Engine& engine) {
  EventProjector projector;
  ASSERT_NO_FATAL_FAILURE(ProjectInto(projector, events, engine.last_sequence()));
  const m::EngineSnapshot projected = projector.Snapshot();
  EXPECT_EQ(SnapshotText(projected), SnapshotText(engine.Snapshot()));
  auto restored = m::Engine::Restore(projected);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ((*restored)->StateDigest(), engine.StateDigest());
}

// ---------------------------------------------------------------------------
// Spec examples and golden inputs, through `marketctl simulate`'s path
// (malformed lines included).

class FileStreams : public ::testing::TestWithParam<std::string> {};

TEST_P(FileStreams, ProjectionHasTheSimulatorsState) {
  std::ifstream in(GetParam());
  ASSERT_TRUE(in) << "missing " << GetParam();
  Simulator sim;
  std::vector<pb::Event> events;
  uint64_t sequence = 0;
  for (std::string line; std::getline(in, line);) {
    if (IsBlankLine(line)) continue;
    auto command = ParseCommandJson(line);
    if (command.ok()) {
      sim.Execute(++sequence, *command, &events);
    } else {
      const std::string message(command.status().message());
      sim.RejectMalformed(++sequence, FieldOfParseError(message), message, &events);
    }
  }
  ASSERT_GT(sequence, 0u);
  ExpectProjectionIsEngineState(events, sim.engine());
}

INSTANTIATE_TEST_SUITE_P(
    EventProjector, FileStreams,
    ::testing::Values(std::string(MARKET_SPEC_EXAMPLES_DIR) + "/price_then_time.commands.jsonl",
                      std::string(MARKET_SPEC_EXAMPLES_DIR) + "/min_slice.commands.jsonl",
                      std::string(MARKET_SPEC_EXAMPLES_DIR) + "/aon_and_ceiling.commands.jsonl",
                      std::string(MARKET_SPEC_EXAMPLES_DIR) +
                          "/amend_and_rejections.commands.jsonl",
                      std::string(MARKET_GOLDEN_DIR) + "/bad_input.commands.jsonl"),
    [](const ::testing::TestParamInfo<std::string>& param) {
      std::string name = param.param.substr(param.param.find_last_of('/') + 1);
      name = name.substr(0, name.find('.'));
      std::erase(name, '_');
      return name;
    });

// ---------------------------------------------------------------------------
// The reference RandomStream through codec::Simulator: every rule of
// MATCHING.md, rejections, amends, cancels, IOC / AON, patches, location moves
// and duplicates.

constexpr size_t kStreamCommands = 4000;
constexpr size_t kContinuationCommands = 1500;

struct Simulated {
  Simulator sim;
  std::vector<pb::Event> events;
  std::set<uint64_t> duplicates;  // sequences the engine found duplicate
};

void Simulate(const std::vector<pb::Command>& commands, size_t count, Simulated* out) {
  for (size_t i = 0; i < count; ++i) {
    const uint64_t sequence = out->sim.last_sequence() + 1;
    if (out->sim.Execute(sequence, commands[i], &out->events).kind ==
        m::Outcome::Kind::kDuplicate) {
      out->duplicates.insert(sequence);
    }
  }
}

class RandomStreams : public ::testing::TestWithParam<uint64_t> {};

TEST_P(RandomStreams, ProjectionHasTheSimulatorsStateAtEveryCheckpoint) {
  const std::vector<pb::Command> commands = reference::RandomStream(GetParam(), kStreamCommands);
  Simulated run;
  for (size_t done = 0; done < commands.size();) {
    const size_t next = std::min(commands.size(), done + 1000);
    std::vector<pb::Command> chunk(commands.begin() + static_cast<ptrdiff_t>(done),
                                   commands.begin() + static_cast<ptrdiff_t>(next));
    Simulate(chunk, chunk.size(), &run);
    done = next;
    SCOPED_TRACE(absl::StrCat("seed ", GetParam(), " after ", done, " commands"));
    ASSERT_NO_FATAL_FAILURE(ExpectProjectionIsEngineState(run.events, run.sim.engine()));
  }
}

TEST_P(RandomStreams, EverySequenceWithoutEventsIsADuplicate) {
  const std::vector<pb::Command> commands = reference::RandomStream(GetParam(), kStreamCommands);
  Simulated run;
  Simulate(commands, commands.size(), &run);
  std::set<uint64_t> silent;
  for (uint64_t s = 1; s <= run.sim.last_sequence(); ++s) silent.insert(s);
  for (const pb::Event& e : run.events) silent.erase(e.sequence());
  EXPECT_EQ(silent, run.duplicates);
  EXPECT_FALSE(run.duplicates.empty()) << "the stream should exercise duplicates";
}

TEST_P(RandomStreams, RestoredProjectionAnswersLaterCommandsAlike) {
  const std::vector<pb::Command> commands =
      reference::RandomStream(GetParam(), kStreamCommands + kContinuationCommands);
  Simulated run;
  Simulate(commands, kStreamCommands, &run);
  EventProjector projector;
  ASSERT_NO_FATAL_FAILURE(ProjectInto(projector, run.events, run.sim.last_sequence()));
  auto restored = m::Engine::Restore(projector.Snapshot());
  ASSERT_TRUE(restored.ok()) << restored.status();
  for (size_t i = kStreamCommands; i < commands.size(); ++i) {
    const uint64_t sequence = run.sim.last_sequence() + 1;
    std::vector<pb::Event> want;
    std::vector<pb::Event> got;
    run.sim.Execute(sequence, commands[i], &want);
    RunProto(**restored, sequence, commands[i], &got);
    ASSERT_EQ(want.size(), got.size()) << "sequence " << sequence;
    for (size_t j = 0; j < want.size(); ++j) {
      ASSERT_EQ(ToJson(want[j]), ToJson(got[j])) << "sequence " << sequence;
    }
  }
  EXPECT_EQ((*restored)->StateDigest(), run.sim.StateDigest());
}

INSTANTIATE_TEST_SUITE_P(EventProjector, RandomStreams, ::testing::Values(1, 2, 3, 7, 42));

// ---------------------------------------------------------------------------
// The matcher's RandomCommandGenerator (its own mix: wrong principals,
// contracts re-upserted below their usage, hubs moved between countries).

class GeneratedStream {
 public:
  explicit GeneratedStream(uint64_t seed) : gen_(seed), setup_(gen_.Setup()) {}

  // Runs the next command on `engine` (and on `twin` when given), feeding the
  // generator back from `engine`'s events; returns those events.
  std::vector<pb::Event> Step(m::Engine& engine, m::Engine* twin = nullptr,
                              std::vector<pb::Event>* twin_events = nullptr) {
    const m::Command command = next_setup_ < setup_.size() ? setup_[next_setup_++] : gen_.Next();
    const uint64_t sequence = engine.last_sequence() + 1;
    std::vector<pb::Event> events;
    RunMatcher(engine, sequence, command, &events);
    if (twin != nullptr) RunMatcher(*twin, sequence, command, twin_events);
    Feedback(events);
    return events;
  }

 private:
  struct Open {
    int64_t remaining;
    int64_t price;
  };
  void Feedback(const std::vector<pb::Event>& events) {
    std::set<uint64_t> touched;
    auto id = [](const std::string& text) { return std::stoull(text.substr(1)); };
    for (const pb::Event& e : events) {
      if (e.has_request_accepted()) {
        const pb::Request& r = e.request_accepted().request();
        open_[e.sequence()] = {r.fte_milli(), r.max_rate()};
        touched.insert(e.sequence());
      } else if (e.has_offer_accepted()) {
        const pb::Offer& o = e.offer_accepted().offer();
        open_[e.sequence()] = {o.fte_milli(), o.rate()};
        touched.insert(e.sequence());
      } else if (e.has_assignment_created()) {
        const pb::AssignmentCreated& a = e.assignment_created();
        open_[id(a.request_id())].remaining = a.request_remaining_milli();
        open_[id(a.offer_id())].remaining = a.offer_remaining_milli();
        touched.insert(id(a.request_id()));
        touched.insert(id(a.offer_id()));
      } else if (e.has_request_amended()) {
        const pb::RequestAmended& a = e.request_amended();
        open_[id(a.request_id())] = {a.remaining_milli(), a.max_rate()};
        touched.insert(id(a.request_id()));
      } else if (e.has_offer_amended()) {
        const pb::OfferAmended& a = e.offer_amended();
        open_[id(a.offer_id())] = {a.remaining_milli(), a.rate()};
        touched.insert(id(a.offer_id()));
      } else if (e.has_request_closed()) {
        open_.erase(id(e.request_closed().request_id()));
        touched.insert(id(e.request_closed().request_id()));
      } else if (e.has_offer_closed()) {
        open_.erase(id(e.offer_closed().offer_id()));
        touched.insert(id(e.offer_closed().offer_id()));
      }
    }
    for (uint64_t order : touched) {
      auto it = open_.find(order);
      if (it == open_.end()) {
        gen_.OnOrderClosed(order);
      } else {
        gen_.OnOrderOpen(order, it->second.remaining, it->second.price);
      }
    }
  }

  m::testing::RandomCommandGenerator gen_;
  std::vector<m::Command> setup_;
  size_t next_setup_ = 0;
  std::map<uint64_t, Open> open_;
};

class GeneratedStreams : public ::testing::TestWithParam<uint64_t> {};

TEST_P(GeneratedStreams, ProjectionHasTheEnginesState) {
  GeneratedStream stream(GetParam());
  m::Engine engine;
  std::vector<pb::Event> events;
  for (size_t i = 0; i < kStreamCommands; ++i) {
    for (pb::Event& e : stream.Step(engine)) events.push_back(std::move(e));
  }
  SCOPED_TRACE(absl::StrCat("seed ", GetParam()));
  ExpectProjectionIsEngineState(events, engine);
}

TEST_P(GeneratedStreams, RestoredProjectionAnswersLaterCommandsAlike) {
  GeneratedStream stream(GetParam());
  m::Engine engine;
  std::vector<pb::Event> events;
  for (size_t i = 0; i < kStreamCommands; ++i) {
    for (pb::Event& e : stream.Step(engine)) events.push_back(std::move(e));
  }
  EventProjector projector;
  ASSERT_NO_FATAL_FAILURE(ProjectInto(projector, events, engine.last_sequence()));
  auto restored = m::Engine::Restore(projector.Snapshot());
  ASSERT_TRUE(restored.ok()) << restored.status();
  for (size_t i = 0; i < kContinuationCommands; ++i) {
    std::vector<pb::Event> got;
    const std::vector<pb::Event> want = stream.Step(engine, restored->get(), &got);
    ASSERT_EQ(want.size(), got.size()) << "sequence " << engine.last_sequence();
    for (size_t j = 0; j < want.size(); ++j) {
      ASSERT_EQ(ToJson(want[j]), ToJson(got[j])) << "sequence " << engine.last_sequence();
    }
  }
  EXPECT_EQ((*restored)->StateDigest(), engine.StateDigest());
}

INSTANTIATE_TEST_SUITE_P(EventProjector, GeneratedStreams, ::testing::Values(11, 12, 13));

// ---------------------------------------------------------------------------
// A small market for the refusals. After it: R7 rests with 600 of 1000
// milli-FTE (V1 filled 400 through C1), O8 is closed (exhausted), O9 rests
// with 500 at a rate above R7's limit. Last sequence 9.

constexpr const char* kSmallMarket[] = {
    R"({"principal": "admin", "defineLocation": {"kind": "REGION", "code": "LATAM"}})",
    R"({"principal": "admin", "defineLocation": {"kind": "COUNTRY", "code": "MX", "parent": "LATAM"}})",
    R"({"principal": "admin", "defineRole": {"code": "CTA", "name": "CTA"}})",
    R"({"principal": "admin", "upsertParticipant": {"id": "S1", "kind": "SPONSOR"}})",
    R"({"principal": "admin", "upsertParticipant": {"id": "V1", "kind": "VENDOR"}})",
    R"({"principal": "admin", "upsertContract": {"contractId": "C1", "sponsorId": "S1", "vendorId": "V1", "active": true, "rates": [{"role": "CTA", "seniority": 2, "country": "MX", "maxRate": "5000"}]}})",
    R"({"principal": "sponsor:S1", "submitRequest": {"clientRef": "r1", "role": "CTA", "locations": ["LATAM"], "fteMilli": "1000", "maxRate": "5000", "startDate": "2026-03-01", "endDate": "2026-12-31"}})",
    R"({"principal": "vendor:V1", "publishOffer": {"clientRef": "o1", "role": "CTA", "seniority": 2, "country": "MX", "fteMilli": "400", "rate": "4000", "availableFrom": "2026-01-01"}})",
    R"({"principal": "vendor:V1", "publishOffer": {"clientRef": "o2", "role": "CTA", "seniority": 2, "country": "MX", "fteMilli": "500", "rate": "6000", "availableFrom": "2026-01-01"}})",
};

class SmallMarket : public ::testing::Test {
 protected:
  void SetUp() override {
    uint64_t sequence = 0;
    for (const char* line : kSmallMarket) {
      auto command = ParseCommandJson(line);
      ASSERT_TRUE(command.ok()) << command.status();
      sim_.Execute(++sequence, *command, &events_);
    }
    for (const pb::Event& e : events_) ASSERT_TRUE(projector_.Apply(e).ok()) << ToJson(e);
    ASSERT_EQ(projector_.last_sequence(), 9u);
    ASSERT_EQ(sim_.engine().open_requests(), 1u);
    ASSERT_EQ(sim_.engine().open_offers(), 1u);
  }

  // Runs one more command on the simulator; returns its events.
  std::vector<pb::Event> Execute(const char* line) {
    auto command = ParseCommandJson(line);
    EXPECT_TRUE(command.ok()) << command.status();
    std::vector<pb::Event> events;
    sim_.Execute(sim_.last_sequence() + 1, *command, &events);
    return events;
  }

  // The first event of `sequence` in the set-up stream.
  const pb::Event& EventOf(uint64_t sequence) const {
    for (const pb::Event& e : events_) {
      if (e.sequence() == sequence) return e;
    }
    ADD_FAILURE() << "no event of sequence " << sequence;
    return events_.front();
  }

  // A consistent fill as sequence 10: R7 takes O9's 500 (as if its limit allowed).
  static pb::Event FillAt10() {
    pb::Event e;
    e.set_sequence(10);
    e.set_index(0);
    pb::AssignmentCreated* a = e.mutable_assignment_created();
    a->set_assignment_id("A10-0");
    a->set_request_id("R7");
    a->set_offer_id("O9");
    a->set_contract_id("C1");
    a->set_sponsor_id("S1");
    a->set_vendor_id("V1");
    a->set_fte_milli(500);
    a->set_request_remaining_milli(100);
    a->set_offer_remaining_milli(0);
    return e;
  }

  static pb::Event Rejected(uint64_t sequence, uint32_t index) {
    pb::Event e;
    e.set_sequence(sequence);
    e.set_index(index);
    e.mutable_command_rejected()->set_code(pb::INVALID_ARGUMENT);
    return e;
  }

  Simulator sim_;
  std::vector<pb::Event> events_;
  EventProjector projector_;
};

TEST_F(SmallMarket, ProjectionHasTheSimulatorsState) {
  ExpectProjectionIsEngineState(events_, sim_.engine());
}

TEST_F(SmallMarket, EventOfAnEarlierSequenceIsOutOfOrder) {
  const absl::Status s = projector_.Apply(Rejected(5, 0));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("out of order"), std::string::npos) << s;
}

TEST_F(SmallMarket, RepeatedEventIsOutOfOrder) {
  const absl::Status s = projector_.Apply(events_.back());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
}

TEST_F(SmallMarket, SkippedIndexIsOutOfOrder) {
  pb::Event first = FillAt10();
  ASSERT_TRUE(projector_.Apply(first).ok());
  pb::Event third = Rejected(10, 2);
  const absl::Status s = projector_.Apply(third);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("expected index 1"), std::string::npos) << s;
}

TEST_F(SmallMarket, FirstEventOfASequenceMustHaveIndexZero) {
  pb::Event fill = FillAt10();
  fill.set_index(1);
  fill.mutable_assignment_created()->set_assignment_id("A10-1");
  const absl::Status s = projector_.Apply(fill);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
}

TEST_F(SmallMarket, SequenceGapIsLeftToTheCaller) {
  EXPECT_TRUE(projector_.Apply(Rejected(15, 0)).ok());
  EXPECT_EQ(projector_.last_sequence(), 15u);
}

TEST_F(SmallMarket, EventOfASequenceDeclaredCompleteIsOutOfOrder) {
  ASSERT_TRUE(projector_.SetLastSequence(10).ok());
  const absl::Status s = projector_.Apply(FillAt10());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
}

TEST_F(SmallMarket, LastSequenceCannotMoveBack) {
  const absl::Status s = projector_.SetLastSequence(8);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_EQ(projector_.last_sequence(), 9u);
}

TEST_F(SmallMarket, TrailingDuplicateCountsOnlyThroughSetLastSequence) {
  // A retry of the first submit: a duplicate, so sequence 10 emits nothing.
  const std::vector<pb::Event> none = Execute(kSmallMarket[6]);
  ASSERT_TRUE(none.empty());
  auto before = m::Engine::Restore(projector_.Snapshot());
  ASSERT_TRUE(before.ok());
  EXPECT_NE((*before)->StateDigest(), sim_.StateDigest());  // last_sequence 9, not 10
  ASSERT_TRUE(projector_.SetLastSequence(10).ok());
  auto after = m::Engine::Restore(projector_.Snapshot());
  ASSERT_TRUE(after.ok());
  EXPECT_EQ((*after)->StateDigest(), sim_.StateDigest());
}

TEST_F(SmallMarket, ConsistentFillApplies) {
  EXPECT_TRUE(projector_.Apply(FillAt10()).ok());
  const m::EngineSnapshot s = projector_.Snapshot();
  ASSERT_EQ(s.requests.size(), 1u);
  EXPECT_EQ(s.requests[0].remaining_milli, 100);
  ASSERT_EQ(s.offers.size(), 1u);
  EXPECT_EQ(s.offers[0].remaining_milli, 0);
  ASSERT_EQ(s.contracts.size(), 1u);
  EXPECT_EQ(s.contracts[0].used_fte_milli, 900);
}

TEST_F(SmallMarket, FillOfUnknownRequestIsRefused) {
  pb::Event fill = FillAt10();
  fill.mutable_assignment_created()->set_request_id("R99");
  const absl::Status s = projector_.Apply(fill);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("unknown request R99"), std::string::npos) << s;
}

TEST_F(SmallMarket, FillOfClosedOfferIsRefused) {
  pb::Event fill = FillAt10();
  fill.mutable_assignment_created()->set_offer_id("O8");
  const absl::Status s = projector_.Apply(fill);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("offer O8 is already closed"), std::string::npos) << s;
}

TEST_F(SmallMarket, FillUnderUnknownContractIsRefused) {
  pb::Event fill = FillAt10();
  fill.mutable_assignment_created()->set_contract_id("C9");
  const absl::Status s = projector_.Apply(fill);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("unknown contract 'C9'"), std::string::npos) << s;
}

TEST_F(SmallMarket, FillDisagreeingWithRemainingIsRefused) {
  pb::Event fill = FillAt10();
  fill.mutable_assignment_created()->set_request_remaining_milli(200);
  const absl::Status s = projector_.Apply(fill);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
}

TEST_F(SmallMarket, FillWithIdOfAnotherPositionIsInvalid) {
  pb::Event fill = FillAt10();
  fill.mutable_assignment_created()->set_assignment_id("A8-1");
  const absl::Status s = projector_.Apply(fill);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
}

TEST_F(SmallMarket, RefusedEventLeavesTheProjectionUnchanged) {
  const std::string before = SnapshotText(projector_.Snapshot());
  pb::Event bad = FillAt10();
  bad.mutable_assignment_created()->set_offer_remaining_milli(7);
  ASSERT_FALSE(projector_.Apply(bad).ok());
  EXPECT_EQ(SnapshotText(projector_.Snapshot()), before);
  EXPECT_TRUE(projector_.Apply(FillAt10()).ok());  // sequence 10, index 0 is still next
}

TEST_F(SmallMarket, CloseOfUnknownOrderIsRefused) {
  pb::Event close;
  close.set_sequence(10);
  close.mutable_request_closed()->set_request_id("R9");  // 9 is an offer
  close.mutable_request_closed()->set_reason(pb::CANCELLED);
  const absl::Status s = projector_.Apply(close);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
}

TEST_F(SmallMarket, CloseOfClosedOrderIsRefused) {
  pb::Event close;
  close.set_sequence(10);
  close.mutable_offer_closed()->set_offer_id("O8");
  close.mutable_offer_closed()->set_reason(pb::WITHDRAWN);
  const absl::Status s = projector_.Apply(close);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
}

TEST_F(SmallMarket, MalformedOrderIdIsInvalid) {
  pb::Event close;
  close.set_sequence(10);
  close.mutable_request_closed()->set_request_id("R07");
  const absl::Status s = projector_.Apply(close);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
}

TEST_F(SmallMarket, AmendOfUnknownOrderIsRefused) {
  pb::Event amend;
  amend.set_sequence(10);
  amend.mutable_offer_amended()->set_offer_id("O42");
  amend.mutable_offer_amended()->set_client_ref("m1");
  const absl::Status s = projector_.Apply(amend);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
}

TEST_F(SmallMarket, AmendReusingAClientRefIsRefused) {
  pb::Event amend;
  amend.set_sequence(10);
  pb::RequestAmended* a = amend.mutable_request_amended();
  a->set_request_id("R7");
  a->set_client_ref("r1");  // the submit's own key
  a->set_remaining_milli(300);
  a->set_max_rate(5000);
  a->set_priority_sequence(7);
  const absl::Status s = projector_.Apply(amend);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("already used by sequence 7"), std::string::npos) << s;
}

TEST_F(SmallMarket, AcceptWithIdOfAnotherSequenceIsInvalid) {
  pb::Event accept = EventOf(7);
  accept.set_sequence(10);
  accept.mutable_request_accepted()->mutable_request()->set_client_ref("r2");
  const absl::Status s = projector_.Apply(accept);  // still says R7
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
}

TEST_F(SmallMarket, AcceptByUnknownParticipantIsRefused) {
  pb::Event accept = EventOf(7);
  accept.set_sequence(10);
  accept.mutable_request_accepted()->set_request_id("R10");
  accept.mutable_request_accepted()->mutable_request()->set_sponsor_id("S9");
  const absl::Status s = projector_.Apply(accept);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
}

TEST_F(SmallMarket, PatchOfUnknownContractIsRefused) {
  pb::Event patch;
  patch.set_sequence(10);
  patch.mutable_rate_card_patched()->set_contract_id("C9");
  const absl::Status s = projector_.Apply(patch);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
}

TEST_F(SmallMarket, PatchWithWrongRateCountIsRefused) {
  pb::Event patch;
  patch.set_sequence(10);
  pb::RateCardPatched* p = patch.mutable_rate_card_patched();
  p->set_contract_id("C1");
  pb::RateCardEntry* u = p->add_upserts();
  u->set_role("CTA");
  u->set_seniority(3);
  u->set_country("MX");
  u->set_max_rate(6000);
  p->set_rate_count(1);  // the card has 2 entries after it
  const absl::Status s = projector_.Apply(patch);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  p->set_rate_count(2);
  EXPECT_TRUE(projector_.Apply(patch).ok());
}

TEST_F(SmallMarket, ContractUsageDisagreeingWithFillsIsRefused) {
  pb::Event upsert = EventOf(6);
  upsert.set_sequence(10);
  upsert.mutable_contract_upserted()->set_used_fte_milli(0);  // the fill used 400
  const absl::Status s = projector_.Apply(upsert);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  upsert.mutable_contract_upserted()->set_used_fte_milli(400);
  EXPECT_TRUE(projector_.Apply(upsert).ok());
}

TEST_F(SmallMarket, EventWithoutBodyIsInvalid) {
  pb::Event empty;
  empty.set_sequence(10);
  const absl::Status s = projector_.Apply(empty);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
}

TEST_F(SmallMarket, EventAfterACommandRejectedIsInvalid) {
  ASSERT_TRUE(projector_.Apply(Rejected(10, 0)).ok());
  const absl::Status s = projector_.Apply(Rejected(10, 1));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
}

TEST_F(SmallMarket, ProjectionResumesFromASnapshot) {
  std::vector<pb::Event> later = Execute(
      R"({"principal": "sponsor:S1", "amendRequest": {"requestId": "R7", "clientRef": "m1", "maxRate": "6000"}})");
  const std::vector<pb::Event> cancel =
      Execute(R"({"principal": "sponsor:S1", "cancelRequest": {"requestId": "R7"}})");
  later.insert(later.end(), cancel.begin(), cancel.end());
  EventProjector resumed(projector_.Snapshot());
  for (const pb::Event& e : later) ASSERT_TRUE(resumed.Apply(e).ok()) << ToJson(e);
  EXPECT_EQ(SnapshotText(resumed.Snapshot()), SnapshotText(sim_.engine().Snapshot()));
}

TEST_F(SmallMarket, ProjectionFromASnapshotRefusesItsOwnSequences) {
  EventProjector resumed(sim_.engine().Snapshot());
  const absl::Status s = resumed.Apply(events_.back());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
}

}  // namespace
}  // namespace market::codec
