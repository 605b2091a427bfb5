// The stored current state behind JournaledMarket, over both journals: a
// reopened market loads it (no re-execution) into the live market's state and
// goes on with the same events; a state behind or ahead of the journal, or a
// record that does not parse, is refused with the sequence or key named;
// failed appends leave it untouched; RebuildState repairs it with the same
// bytes live groups write; VerifyJournal compares it with a replay.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "codec/json_lines.h"
#include "storage/internal/record_format.h"
#include "storage/internal/state_format.h"
#include "storage/journaled_market.h"
#include "storage/tests/journal_test_util.h"

namespace market::storage {
namespace {

namespace pb = marketplace::v1;
using testing_util::BorrowedJournal;
using testing_util::Contains;
using testing_util::ReadAllState;
using State = std::map<std::string, std::string>;

std::vector<MarketInput> Inputs(const std::vector<std::string>& lines) {
  std::vector<MarketInput> inputs;
  for (const std::string& line : lines) {
    auto command = codec::ParseCommandJson(line);
    if (command.ok()) {
      inputs.emplace_back(*command);
    } else {
      inputs.emplace_back(MalformedInput{line});
    }
  }
  return inputs;
}

// A session that touches every kind of state record. Every line takes one
// sequence (line k is sequence k + 1), so order ids are known in advance.
std::vector<std::string> Session() {
  return {
      // 1-5: locations and a role.
      R"({"principal":"admin","defineLocation":{"kind":"REGION","code":"LATAM"}})",
      R"({"principal":"admin","defineLocation":{"kind":"COUNTRY","code":"MX","parent":"LATAM"}})",
      R"({"principal":"admin","defineLocation":{"kind":"COUNTRY","code":"BR","parent":"LATAM"}})",
      R"({"principal":"admin","defineLocation":{"kind":"HUB","code":"MX-HUB","parent":"MX"}})",
      R"({"principal":"admin","defineRole":{"code":"CTA","name":"Clinical trial assistant","family":"ClinOps"}})",
      // 6-9: participants.
      R"({"principal":"admin","upsertParticipant":{"id":"S1","kind":"SPONSOR","name":"Sponsor one"}})",
      R"({"principal":"admin","upsertParticipant":{"id":"S2","kind":"SPONSOR"}})",
      R"({"principal":"admin","upsertParticipant":{"id":"V1","kind":"VENDOR"}})",
      R"({"principal":"admin","upsertParticipant":{"id":"V2","kind":"VENDOR"}})",
      // 10-12: contracts, one with a card and one with a ceiling.
      R"({"principal":"admin","upsertContract":{"contractId":"C1","sponsorId":"S1","vendorId":"V1","active":true,"rates":[{"role":"CTA","seniority":2,"country":"MX","maxRate":"5000"}]}})",
      R"({"principal":"admin","upsertContract":{"contractId":"C2","sponsorId":"S1","vendorId":"V2","active":true}})",
      R"({"principal":"admin","upsertContract":{"contractId":"C3","sponsorId":"S2","vendorId":"V1","active":true,"maxFteMilli":"5000"}})",
      // 13-14: offers O13, O14.
      R"({"principal":"vendor:V1","publishOffer":{"clientRef":"o1","role":"CTA","seniority":2,"country":"MX","hub":"MX-HUB","fteMilli":"500","rate":"4000","availableFrom":"2026-01-01","tags":["gcp"]}})",
      R"({"principal":"vendor:V2","publishOffer":{"clientRef":"o2","role":"CTA","seniority":3,"country":"BR","fteMilli":"1000","rate":"4200","availableFrom":"2026-01-01","availableUntil":"2027-01-01"}})",
      // 15: R15 fills O13 (exhausted) and 300 of O14: closed filled.
      R"({"principal":"sponsor:S1","submitRequest":{"clientRef":"r1","role":"CTA","locations":["LATAM"],"fteMilli":"800","maxRate":"4500","startDate":"2026-03-01","endDate":"2026-12-31"}})",
      // 16: R16 rests (S2 has no contract with V2; priced under O14).
      R"({"principal":"sponsor:S2","submitRequest":{"clientRef":"r2","role":"CTA","locations":["MX","BR"],"fteMilli":"2000","maxRate":"3000","startDate":"2026-03-01","endDate":"2026-12-31","requiredTags":["gcp"],"vendorAllowlist":["V1"],"engagementModels":["FSP","TM"]}})",
      // 17: amend R16 up (new priority), 18: amend O14 down (keeps priority).
      R"({"principal":"sponsor:S2","amendRequest":{"requestId":"R16","clientRef":"a1","maxRate":"3100"}})",
      R"({"principal":"vendor:V2","amendOffer":{"offerId":"O14","clientRef":"a2","fteMilli":"600"}})",
      // 19: IOC remainder closed at once; 20: R20 rests, 21: cancelled.
      R"({"principal":"sponsor:S1","submitRequest":{"clientRef":"r3","role":"CTA","locations":["MX"],"fteMilli":"100","maxRate":"100","startDate":"2026-03-01","endDate":"2026-12-31","timeInForce":"IOC"}})",
      R"({"principal":"sponsor:S1","submitRequest":{"clientRef":"r4","role":"CTA","locations":["MX"],"fteMilli":"100","maxRate":"100","startDate":"2026-03-01","endDate":"2026-12-31"}})",
      R"({"principal":"sponsor:S1","cancelRequest":{"requestId":"R20"}})",
      // 22: O22 rests, 23: withdrawn.
      R"({"principal":"vendor:V1","publishOffer":{"clientRef":"o3","role":"CTA","seniority":1,"country":"BR","fteMilli":"100","rate":"9000","availableFrom":"2026-01-01"}})",
      R"({"principal":"vendor:V1","withdrawOffer":{"offerId":"O22"}})",
      // 24: a duplicate client_ref (no event), 25: malformed, 26: rejected.
      R"({"principal":"vendor:V1","publishOffer":{"clientRef":"o1","role":"CTA","seniority":2,"country":"MX","fteMilli":"500","rate":"4000","availableFrom":"2026-01-01"}})",
      R"(this line is not json)",
      R"({"principal":"vendor:V1","publishOffer":{"clientRef":"o9","role":"NOPE","seniority":2,"country":"MX","fteMilli":"500","rate":"4000","availableFrom":"2026-01-01"}})",
      // 27: the card is patched; 28: a role renamed; 29: a participant renamed.
      R"({"principal":"admin","patchRateCard":{"contractId":"C1","upserts":[{"role":"CTA","seniority":3,"country":"BR","maxRate":"6000"}],"removals":[{"role":"CTA","seniority":2,"country":"MX"}]}})",
      R"({"principal":"admin","defineRole":{"code":"CTA","name":"CTA","family":"ClinOps"}})",
      R"({"principal":"admin","upsertParticipant":{"id":"V2","kind":"VENDOR","name":"Vendor two"}})",
      // 30: O30 fills R16 under C3 (S2-V1) in part.
      R"({"principal":"vendor:V1","publishOffer":{"clientRef":"o4","role":"CTA","seniority":4,"country":"MX","fteMilli":"700","rate":"3000","availableFrom":"2026-01-01","tags":["gcp","x"],"engagementModel":"TM"}})",
  };
}

// The session's lines in groups of 1, 2, 3, 4, ... (an entity is often
// touched twice in one group and again in a later one).
std::vector<std::vector<std::string>> Groups(const std::vector<std::string>& lines) {
  std::vector<std::vector<std::string>> groups;
  size_t size = 1;
  for (size_t i = 0; i < lines.size(); i += size, ++size) {
    groups.emplace_back(
        lines.begin() + static_cast<std::ptrdiff_t>(i),
        lines.begin() + static_cast<std::ptrdiff_t>(std::min(lines.size(), i + size)));
  }
  return groups;
}

const std::vector<std::string> kMore = {
    R"({"principal":"sponsor:S2","submitRequest":{"clientRef":"r5","role":"CTA","locations":["LATAM"],"fteMilli":"300","maxRate":"5000","startDate":"2026-03-01","endDate":"2026-12-31"}})",
    R"({"principal":"sponsor:S1","submitRequest":{"clientRef":"r6","role":"CTA","locations":["BR"],"fteMilli":"900","maxRate":"5000","startDate":"2026-03-01","endDate":"2026-12-31"}})",
    R"({"principal":"vendor:V2","publishOffer":{"clientRef":"o2","role":"CTA","seniority":3,"country":"BR","fteMilli":"1000","rate":"4200","availableFrom":"2026-01-01"}})",
    R"({"principal":"sponsor:S2","amendRequest":{"requestId":"R16","clientRef":"a3","fteMilli":"50"}})",
};

// A RocksJournal in a directory that outlives reopening.
struct RocksBackend {
  static constexpr const char* kName = "Rocks";
  testing_util::ScopedTempDir dir;
  std::unique_ptr<Journal> Open() {
    absl::StatusOr<std::unique_ptr<Journal>> opened =
        OpenRocksJournal(dir.Sub("journal"), RocksJournalOptions{});
    EXPECT_TRUE(opened.ok()) << opened.status();
    return opened.ok() ? std::move(*opened) : nullptr;
  }
};

// One MemoryJournal that every open borrows.
struct MemoryBackend {
  static constexpr const char* kName = "Memory";
  MemoryJournal journal;
  std::unique_ptr<Journal> Open() { return std::make_unique<BorrowedJournal>(journal); }
};

template <typename Backend>
class MarketState : public testing::Test {
 protected:
  // The journal alone (no market holds it); at most one open at a time.
  std::unique_ptr<Journal> OpenJournal() { return backend_.Open(); }

  absl::StatusOr<std::unique_ptr<JournaledMarket>> OpenMarket(MarketOptions options = {}) {
    return JournaledMarket::Open(backend_.Open(), options);
  }

  // Runs the session through a market and closes it; returns its digest.
  uint64_t RunSession() {
    auto market = OpenMarket();
    EXPECT_TRUE(market.ok()) << market.status();
    if (!market.ok()) return 0;
    for (const auto& group : Groups(Session())) Execute(**market, group);
    return (*market)->StateDigest();
  }

  static std::vector<std::string> Execute(JournaledMarket& market,
                                          const std::vector<std::string>& lines) {
    std::vector<pb::Event> events;
    const absl::Status status = market.ExecuteGroup(Inputs(lines), &events);
    EXPECT_TRUE(status.ok()) << status;
    std::vector<std::string> bytes;
    for (const pb::Event& e : events) e.SerializeToString(&bytes.emplace_back());
    return bytes;
  }

  // Writes `changes` straight to the journal, as a stray writer would.
  void WriteState(const std::vector<StateChange>& changes) {
    std::unique_ptr<Journal> journal = OpenJournal();
    ASSERT_NE(journal, nullptr);
    const absl::Status written = journal->Append({}, changes);
    ASSERT_TRUE(written.ok()) << written;
  }

  State DumpState() {
    std::unique_ptr<Journal> journal = OpenJournal();
    return ReadAllState(*journal).value();
  }

  Backend backend_;
};

struct BackendName {
  template <typename Backend>
  static std::string GetName(int) {
    return Backend::kName;
  }
};

using Backends = testing::Types<RocksBackend, MemoryBackend>;
TYPED_TEST_SUITE(MarketState, Backends, BackendName);

std::string OrderKey(uint64_t id) {
  std::string key;
  internal::OrderKey(id, &key);
  return key;
}

std::string LastSequenceBody(uint64_t sequence) {
  std::string body;
  internal::EncodeLastSequence(sequence, &body);
  return body;
}

TYPED_TEST(MarketState, ReopeningLoadsTheStateWithTheLiveDigest) {
  const uint64_t digest = this->RunSession();
  auto market = this->OpenMarket();
  ASSERT_TRUE(market.ok()) << market.status();
  EXPECT_EQ((*market)->last_sequence(), Session().size());
  EXPECT_EQ((*market)->StateDigest(), digest);
  EXPECT_TRUE((*market)->state_in_sync());
}

TYPED_TEST(MarketState, ALoadedMarketGoesOnWithTheSameEventsAsOneThatNeverStopped) {
  auto twin = JournaledMarket::Open(std::make_unique<MemoryJournal>());
  ASSERT_TRUE(twin.ok());
  for (const auto& group : Groups(Session())) this->Execute(**twin, group);
  this->RunSession();
  auto market = this->OpenMarket();
  ASSERT_TRUE(market.ok()) << market.status();
  for (const std::string& line : kMore) {
    EXPECT_EQ(this->Execute(**market, {line}), this->Execute(**twin, {line})) << line;
  }
  EXPECT_EQ((*market)->StateDigest(), (*twin)->StateDigest());
  market->reset();
  auto again = this->OpenMarket();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((*again)->StateDigest(), (*twin)->StateDigest());
}

TYPED_TEST(MarketState, TheStoredStateHasARecordOfEachKind) {
  this->RunSession();
  const State state = this->DumpState();
  for (const char kind : std::string("acklopsru")) {
    const auto it = state.lower_bound(std::string(1, kind));
    EXPECT_TRUE(it != state.end() && it->first[0] == kind) << "no record of kind " << kind;
  }
  EXPECT_EQ(state.count(OrderKey(30)), 1u);
  EXPECT_EQ(state.count(OrderKey(24)), 0u) << "a duplicate accepts no order";
}

TYPED_TEST(MarketState, AStateBehindTheJournalIsRefusedNamingBothSequences) {
  // Entries appended without state, as format 1 wrote them.
  auto source = JournaledMarket::Open(std::make_unique<MemoryJournal>());
  ASSERT_TRUE(source.ok());
  for (const auto& group : Groups(Session())) this->Execute(**source, group);
  {
    std::unique_ptr<Journal> journal = this->OpenJournal();
    ASSERT_TRUE(
        (*source)
            ->journal()
            .Read(1, 100, [&](const JournalEntry& e) { return journal->Append(std::span(&e, 1)); })
            .ok());
  }
  const auto market = this->OpenMarket({.recovery = Recovery::kLoadState, .data_dir = "/srv/d"});
  EXPECT_EQ(market.status().code(), absl::StatusCode::kFailedPrecondition) << market.status();
  EXPECT_TRUE(Contains(market.status(), "state in /srv/d is at sequence 0")) << market.status();
  EXPECT_TRUE(Contains(market.status(), "journal ends at sequence 30")) << market.status();
  EXPECT_TRUE(Contains(market.status(), "marketctl rebuild --data-dir /srv/d")) << market.status();
}

TYPED_TEST(MarketState, AStateAheadOfTheJournalIsRefusedNamingBothSequences) {
  this->RunSession();
  this->WriteState({testing_util::Put("s", LastSequenceBody(35))});
  const auto market = this->OpenMarket();
  EXPECT_EQ(market.status().code(), absl::StatusCode::kFailedPrecondition) << market.status();
  EXPECT_TRUE(Contains(market.status(), "at sequence 35")) << market.status();
  EXPECT_TRUE(Contains(market.status(), "sequence 30")) << market.status();
  EXPECT_TRUE(Contains(market.status(), "ahead")) << market.status();
}

TYPED_TEST(MarketState, AnInterruptedRebuildIsRefusedAsBehind) {
  this->RunSession();
  this->WriteState({testing_util::Clear(), testing_util::Put("rCTA", "whatever")});
  const auto market = this->OpenMarket();
  EXPECT_EQ(market.status().code(), absl::StatusCode::kFailedPrecondition) << market.status();
  EXPECT_TRUE(Contains(market.status(), "at sequence 0")) << market.status();
  EXPECT_TRUE(Contains(market.status(), "behind")) << market.status();
}

TYPED_TEST(MarketState, AnUnparsableRecordIsDataLossNamingItsKey) {
  this->RunSession();
  std::string body = this->DumpState().at(OrderKey(16));
  body.resize(body.size() / 2);  // a valid crc (the journal's) over a truncated body
  this->WriteState({testing_util::Put(OrderKey(16), body)});
  const auto market = this->OpenMarket();
  EXPECT_EQ(market.status().code(), absl::StatusCode::kDataLoss) << market.status();
  EXPECT_TRUE(Contains(market.status(), "state record order 16 does not parse")) << market.status();
  EXPECT_TRUE(Contains(market.status(), "marketctl rebuild")) << market.status();
}

TYPED_TEST(MarketState, ARecordOfAnotherVersionIsDataLoss) {
  this->RunSession();
  std::string body = this->DumpState().at("rCTA");
  body[0] = 9;
  this->WriteState({testing_util::Put("rCTA", body)});
  const auto market = this->OpenMarket();
  EXPECT_EQ(market.status().code(), absl::StatusCode::kDataLoss) << market.status();
  EXPECT_TRUE(Contains(market.status(), "role \"CTA\"")) << market.status();
  EXPECT_TRUE(Contains(market.status(), "record version 9, expected 1")) << market.status();
}

TYPED_TEST(MarketState, AContractWithoutItsUsageRecordIsDataLoss) {
  this->RunSession();
  this->WriteState({testing_util::Delete("uC2")});
  const auto market = this->OpenMarket();
  EXPECT_EQ(market.status().code(), absl::StatusCode::kDataLoss) << market.status();
  EXPECT_TRUE(Contains(market.status(), "contract \"C2\" has no usage record")) << market.status();
}

TYPED_TEST(MarketState, RebuildRepairsABehindState) {
  this->RunSession();
  this->WriteState({testing_util::Clear()});
  ASSERT_FALSE(this->OpenMarket().ok());
  std::unique_ptr<Journal> journal = this->OpenJournal();
  const absl::StatusOr<RebuildReport> rebuilt = RebuildState(*journal);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(rebuilt->commands, 30u);
  EXPECT_EQ(rebuilt->last_sequence, 30u);
  const absl::StatusOr<ReplayReport> replay = VerifyJournal(*journal);
  ASSERT_TRUE(replay.ok()) << replay.status();
  journal.reset();
  auto market = this->OpenMarket();
  ASSERT_TRUE(market.ok()) << market.status();
  EXPECT_EQ((*market)->StateDigest(), replay->digest);
  EXPECT_EQ((*market)->StateDigest(), rebuilt->digest);
}

TYPED_TEST(MarketState, RebuildWritesTheSameBytesAsTheLiveGroups) {
  this->RunSession();
  const State live = this->DumpState();
  std::unique_ptr<Journal> journal = this->OpenJournal();
  const absl::StatusOr<RebuildReport> rebuilt = RebuildState(*journal);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  const State rebuilt_state = ReadAllState(*journal).value();
  EXPECT_EQ(rebuilt_state, live);
  EXPECT_EQ(rebuilt->records, live.size());
}

TYPED_TEST(MarketState, AReExecutedMarketDoesNotGrowABehindState) {
  this->RunSession();
  this->WriteState({testing_util::Put("s", LastSequenceBody(29))});
  {
    auto market = this->OpenMarket({.recovery = Recovery::kReExecute, .data_dir = ""});
    ASSERT_TRUE(market.ok()) << market.status();
    EXPECT_FALSE((*market)->state_in_sync());
    this->Execute(**market, kMore);
  }
  const auto market = this->OpenMarket();
  EXPECT_EQ(market.status().code(), absl::StatusCode::kFailedPrecondition) << market.status();
  EXPECT_TRUE(Contains(market.status(), "at sequence 29")) << market.status();
  EXPECT_TRUE(Contains(market.status(), "sequence 34")) << market.status();
}

TYPED_TEST(MarketState, AReExecutedMarketKeepsAStateInSync) {
  this->RunSession();
  {
    auto market = this->OpenMarket({.recovery = Recovery::kReExecute, .data_dir = ""});
    ASSERT_TRUE(market.ok()) << market.status();
    EXPECT_TRUE((*market)->state_in_sync());
    this->Execute(**market, kMore);
  }
  auto market = this->OpenMarket();
  ASSERT_TRUE(market.ok()) << market.status();
  EXPECT_EQ((*market)->last_sequence(), 34u);
}

TYPED_TEST(MarketState, ReplayComparesTheStoredStateWithTheReplay) {
  this->RunSession();
  {
    std::unique_ptr<Journal> journal = this->OpenJournal();
    const absl::StatusOr<ReplayReport> report = VerifyJournal(*journal);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_TRUE(report->state_matches()) << report->state_status;
    EXPECT_EQ(report->state_digest, report->digest);
    EXPECT_EQ(report->state_last_sequence, 30u);
  }
  // A well-formed record with another value: the digests differ.
  std::string body;
  internal::EncodeUsage(123456, &body);
  this->WriteState({testing_util::Put("uC2", body)});
  std::unique_ptr<Journal> journal = this->OpenJournal();
  const absl::StatusOr<ReplayReport> report = VerifyJournal(*journal);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->first_divergent_sequence, 0u);
  EXPECT_TRUE(report->state_status.ok()) << report->state_status;
  EXPECT_NE(report->state_digest, report->digest);
  EXPECT_FALSE(report->state_matches());
}

TYPED_TEST(MarketState, ReplayReportsAStateItCannotLoad) {
  this->RunSession();
  this->WriteState({testing_util::Delete("s")});
  std::unique_ptr<Journal> journal = this->OpenJournal();
  const absl::StatusOr<ReplayReport> report = VerifyJournal(*journal);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->state_status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(report->state_matches());
}

// ---- Memory only: fault injection.

TEST(MarketStateFaults, AFailedAppendLeavesTheStateUntouched) {
  MemoryJournal journal;
  uint64_t digest = 0;
  State before;
  {
    auto market = JournaledMarket::Open(std::make_unique<BorrowedJournal>(journal));
    ASSERT_TRUE(market.ok());
    const auto groups = Groups(Session());
    for (size_t g = 0; g + 1 < groups.size(); ++g) {
      std::vector<pb::Event> events;
      ASSERT_TRUE((*market)->ExecuteGroup(Inputs(groups[g]), &events).ok());
    }
    digest = (*market)->StateDigest();
    before = ReadAllState(journal).value();
    std::vector<pb::Event> events;
    journal.FailNextSync(absl::UnavailableError("disk gone"));
    EXPECT_FALSE((*market)->ExecuteGroup(Inputs(groups.back()), &events).ok());
    journal.FailNextWrite(absl::UnavailableError("disk gone"));
    EXPECT_FALSE((*market)->ExecuteGroup(Inputs(groups.back()), &events).ok()) << "poisoned";
  }
  EXPECT_EQ(ReadAllState(journal).value(), before);
  auto market = JournaledMarket::Open(std::make_unique<BorrowedJournal>(journal));
  ASSERT_TRUE(market.ok()) << market.status();
  EXPECT_EQ((*market)->StateDigest(), digest);
}

TEST(MarketStateFaults, OutcomesComeOnePerInput) {
  auto market = JournaledMarket::Open(std::make_unique<MemoryJournal>());
  ASSERT_TRUE(market.ok());
  const std::vector<std::string> lines = Session();
  std::vector<pb::Event> events;
  std::vector<matcher::Outcome> outcomes;
  ASSERT_TRUE((*market)->ExecuteGroup(Inputs(lines), &events, &outcomes).ok());
  ASSERT_EQ(outcomes.size(), lines.size());
  EXPECT_EQ(outcomes[23].kind, matcher::Outcome::Kind::kDuplicate);
  EXPECT_EQ(outcomes[23].original_sequence, 13u);
  EXPECT_EQ(outcomes[24].kind, matcher::Outcome::Kind::kRejected);
  EXPECT_EQ(outcomes[0].kind, matcher::Outcome::Kind::kApplied);
}

// ---- RocksDB only: bytes flipped on disk, and a format 1 data dir.

class RocksMarketState : public testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(temp_.ok()); }

  void RunSession() {
    auto journal = OpenRocksJournal(dir_, RocksJournalOptions{});
    ASSERT_TRUE(journal.ok()) << journal.status();
    auto market = JournaledMarket::Open(std::move(*journal));
    ASSERT_TRUE(market.ok()) << market.status();
    for (const auto& group : Groups(Session())) {
      std::vector<pb::Event> events;
      ASSERT_TRUE((*market)->ExecuteGroup(Inputs(group), &events).ok());
    }
    digest_ = (*market)->StateDigest();
  }

  absl::StatusOr<std::unique_ptr<JournaledMarket>> Reopen() {
    auto journal = OpenRocksJournal(dir_, RocksJournalOptions{});
    if (!journal.ok()) return journal.status();
    return JournaledMarket::Open(std::move(*journal),
                                 {.recovery = Recovery::kLoadState, .data_dir = dir_});
  }

  testing_util::ScopedTempDir temp_;
  const std::string dir_ = temp_.Sub("data");
  uint64_t digest_ = 0;
};

TEST_F(RocksMarketState, AFlippedByteIsDataLossNamingTheKey) {
  RunSession();
  {
    testing_util::RawRocks raw(dir_);
    ASSERT_TRUE(raw.status().ok());
    std::string value = raw.Get(testing_util::RawRocks::kState, OrderKey(14));
    ASSERT_TRUE(raw.status().ok());
    value[value.size() - 3] ^= 0x10;
    ASSERT_TRUE(raw.Put(testing_util::RawRocks::kState, OrderKey(14), value).ok());
  }
  const auto market = Reopen();
  EXPECT_EQ(market.status().code(), absl::StatusCode::kDataLoss) << market.status();
  EXPECT_TRUE(Contains(market.status(), "state record order 14 fails its checksum"))
      << market.status();
  EXPECT_TRUE(Contains(market.status(), "marketctl rebuild --data-dir " + dir_)) << market.status();
}

// A data dir of format 1: version 1 in meta and no state at all.
TEST_F(RocksMarketState, AFormat1DataDirIsRefusedThenRebuiltAndUpgraded) {
  RunSession();
  {
    testing_util::RawRocks raw(dir_);
    ASSERT_TRUE(raw.status().ok());
    ASSERT_TRUE(raw.Put(testing_util::RawRocks::kMeta, "format_version", "1").ok());
  }
  {
    auto journal = OpenRocksJournal(dir_, RocksJournalOptions{});
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE((*journal)->Append({}, std::vector<StateChange>{testing_util::Clear()}).ok());
  }
  {
    testing_util::RawRocks raw(dir_);
    ASSERT_TRUE(raw.Put(testing_util::RawRocks::kMeta, "format_version", "1").ok());
  }
  const auto refused = Reopen();
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
  EXPECT_TRUE(Contains(refused.status(), "at sequence 0")) << refused.status();
  EXPECT_TRUE(Contains(refused.status(), "journal ends at sequence 30")) << refused.status();
  {
    auto journal = OpenRocksJournal(dir_, RocksJournalOptions{});
    ASSERT_TRUE(journal.ok());
    ASSERT_TRUE(RebuildState(**journal).ok());
  }
  {
    testing_util::RawRocks raw(dir_);
    EXPECT_EQ(raw.Get(testing_util::RawRocks::kMeta, "format_version"), "2");
  }
  auto market = Reopen();
  ASSERT_TRUE(market.ok()) << market.status();
  EXPECT_EQ((*market)->StateDigest(), digest_);
}

}  // namespace
}  // namespace market::storage
