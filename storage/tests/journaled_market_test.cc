// JournaledMarket: group commit through the engine and the journal, reopening
// from the journal, failed appends, and replay verification.
#include "storage/journaled_market.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "codec/json_lines.h"

namespace market::storage {
namespace {

namespace pb = marketplace::v1;

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

const std::vector<std::string> kReferenceData = {
    R"({"principal":"admin","defineLocation":{"kind":"REGION","code":"LATAM"}})",
    R"({"principal":"admin","defineLocation":{"kind":"COUNTRY","code":"MX","parent":"LATAM"}})",
    R"({"principal":"admin","defineRole":{"code":"CTA","name":"CTA"}})",
    R"({"principal":"admin","upsertParticipant":{"id":"S1","kind":"SPONSOR"}})",
    R"({"principal":"admin","upsertParticipant":{"id":"V1","kind":"VENDOR"}})",
    R"({"principal":"admin","upsertContract":{"contractId":"C1","sponsorId":"S1","vendorId":"V1","active":true}})",
};
const std::vector<std::string> kOrders = {
    R"({"principal":"vendor:V1","publishOffer":{"clientRef":"o1","role":"CTA","seniority":2,"country":"MX","fteMilli":"500","rate":"4000","availableFrom":"2026-01-01"}})",
    R"(this line is not json)",
    R"({"principal":"sponsor:S1","submitRequest":{"clientRef":"r1","role":"CTA","locations":["LATAM"],"fteMilli":"800","maxRate":"4500","startDate":"2026-03-01","endDate":"2026-12-31"}})",
};

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "jm-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string path() const { return path_ + "/data"; }

 private:
  std::string path_;
};

std::unique_ptr<JournaledMarket> OpenRocks(const std::string& dir) {
  auto journal = OpenRocksJournal(dir, RocksJournalOptions{});
  EXPECT_TRUE(journal.ok()) << journal.status();
  auto market = JournaledMarket::Open(std::move(*journal));
  EXPECT_TRUE(market.ok()) << market.status();
  return std::move(*market);
}

TEST(JournaledMarket, AGroupIsJournaledWithItsEvents) {
  auto market = JournaledMarket::Open(std::make_unique<MemoryJournal>());
  ASSERT_TRUE(market.ok());
  std::vector<pb::Event> events;
  ASSERT_TRUE((*market)->ExecuteGroup(Inputs(kReferenceData), &events).ok());
  EXPECT_EQ((*market)->last_sequence(), 6u);
  EXPECT_EQ((*market)->journal().last_sequence(), 6u);
  EXPECT_EQ(events.size(), 6u);
}

TEST(JournaledMarket, MalformedLinesAreJournaledAndRejected) {
  auto market = JournaledMarket::Open(std::make_unique<MemoryJournal>());
  ASSERT_TRUE(market.ok());
  std::vector<pb::Event> events;
  ASSERT_TRUE((*market)->ExecuteGroup(Inputs(kReferenceData), &events).ok());
  events.clear();
  ASSERT_TRUE((*market)->ExecuteGroup(Inputs(kOrders), &events).ok());
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events[1].sequence(), 8u);
  EXPECT_TRUE(events[1].has_command_rejected());
}

// Sizing the idempotency index is capacity only: the digest and the
// answers to a repeated client_ref stay as they were.
TEST(JournaledMarket, ReservingClientRefsChangesNeitherStateNorAnswers) {
  auto market = JournaledMarket::Open(std::make_unique<MemoryJournal>());
  ASSERT_TRUE(market.ok());
  std::vector<pb::Event> events;
  ASSERT_TRUE((*market)->ExecuteGroup(Inputs(kReferenceData), &events).ok());
  ASSERT_TRUE((*market)->ExecuteGroup(Inputs(kOrders), &events).ok());
  const uint64_t digest = (*market)->StateDigest();

  (*market)->ReserveClientRefs(100000);
  EXPECT_EQ((*market)->StateDigest(), digest);

  std::vector<matcher::Outcome> outcomes;
  events.clear();
  ASSERT_TRUE((*market)->ExecuteGroup(Inputs({kOrders[0]}), &events, &outcomes).ok());
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].kind, matcher::Outcome::Kind::kDuplicate);
  EXPECT_EQ(outcomes[0].original_sequence, 7u);
}

TEST(JournaledMarket, ReopeningContinuesFromTheJournal) {
  TempDir dir;
  uint64_t digest = 0;
  {
    auto market = OpenRocks(dir.path());
    std::vector<pb::Event> events;
    ASSERT_TRUE(market->ExecuteGroup(Inputs(kReferenceData), &events).ok());
    ASSERT_TRUE(market->ExecuteGroup(Inputs(kOrders), &events).ok());
    digest = market->StateDigest();
  }
  auto market = OpenRocks(dir.path());
  EXPECT_EQ(market->last_sequence(), 9u);
  EXPECT_EQ(market->StateDigest(), digest);
  std::vector<pb::Event> events;
  ASSERT_TRUE(market->ExecuteGroup(Inputs({kOrders[0]}), &events).ok());
  EXPECT_TRUE(events.empty()) << "client_ref o1 is remembered across the reopen";
  std::string again = kOrders[0];
  again.replace(again.find("\"o1\""), 4, "\"o2\"");
  ASSERT_TRUE(market->ExecuteGroup(Inputs({again}), &events).ok());
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].sequence(), 11u);
  EXPECT_TRUE(events[0].has_offer_accepted());
}

TEST(JournaledMarket, ALiveJournalCanBeCheckpointedWhileItKeepsAppending) {
  TempDir dir;
  const std::string copy = dir.path() + "-backup";
  uint64_t digest_at_backup = 0;
  {
    auto journal = OpenRocksJournal(dir.path(), RocksJournalOptions{});
    ASSERT_TRUE(journal.ok());
    const Journal* raw = journal->get();
    auto market = JournaledMarket::Open(std::move(*journal));
    ASSERT_TRUE(market.ok());
    std::vector<pb::Event> events;
    ASSERT_TRUE((*market)->ExecuteGroup(Inputs(kReferenceData), &events).ok());
    ASSERT_TRUE(raw->Checkpoint(copy).ok());
    EXPECT_FALSE(raw->Checkpoint(copy).ok()) << "the target must not exist";
    digest_at_backup = (*market)->StateDigest();
    ASSERT_TRUE((*market)->ExecuteGroup(Inputs(kOrders), &events).ok());
  }
  auto restored = OpenRocks(copy);
  EXPECT_EQ(restored->last_sequence(), 6u);
  EXPECT_EQ(restored->StateDigest(), digest_at_backup);
}

TEST(JournaledMarket, AFailedAppendPoisonsTheMarketAndLeavesNothing) {
  auto journal = std::make_unique<MemoryJournal>();
  MemoryJournal* raw = journal.get();
  auto market = JournaledMarket::Open(std::move(journal));
  ASSERT_TRUE(market.ok());
  std::vector<pb::Event> events;
  ASSERT_TRUE((*market)->ExecuteGroup(Inputs(kReferenceData), &events).ok());
  events.clear();
  raw->FailNextSync(absl::UnavailableError("disk full"));
  EXPECT_EQ((*market)->ExecuteGroup(Inputs(kOrders), &events).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_TRUE(events.empty()) << "nothing unjournaled is answered";
  EXPECT_EQ(raw->last_sequence(), 6u);
  EXPECT_FALSE((*market)->ExecuteGroup(Inputs(kOrders), &events).ok()) << "poisoned";
}

TEST(JournaledMarket, ReplayFindsEveryEventIdentical) {
  auto journal = std::make_unique<MemoryJournal>();
  MemoryJournal* raw = journal.get();
  auto market = JournaledMarket::Open(std::move(journal));
  ASSERT_TRUE(market.ok());
  std::vector<pb::Event> events;
  ASSERT_TRUE((*market)->ExecuteGroup(Inputs(kReferenceData), &events).ok());
  ASSERT_TRUE((*market)->ExecuteGroup(Inputs(kOrders), &events).ok());
  auto report = VerifyJournal(*raw);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->commands, 9u);
  EXPECT_EQ(report->events, events.size());
  EXPECT_EQ(report->first_divergent_sequence, 0u);
  EXPECT_EQ(report->digest, (*market)->StateDigest());
}

TEST(JournaledMarket, ReplayNamesTheFirstDivergentSequence) {
  MemoryJournal journal;
  auto source = JournaledMarket::Open(std::make_unique<MemoryJournal>());
  ASSERT_TRUE(source.ok());
  std::vector<pb::Event> events;
  ASSERT_TRUE((*source)->ExecuteGroup(Inputs(kReferenceData), &events).ok());
  ASSERT_TRUE((*source)->ExecuteGroup(Inputs(kOrders), &events).ok());
  std::vector<JournalEntry> entries;
  ASSERT_TRUE((*source)
                  ->journal()
                  .Read(1, 9,
                        [&](const JournalEntry& e) {
                          entries.push_back(e);
                          return absl::OkStatus();
                        })
                  .ok());
  entries[8].events[1][3] ^= 0x01;  // tamper with the fill of sequence 9
  ASSERT_TRUE(journal.Append(entries).ok());
  auto report = VerifyJournal(journal);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->first_divergent_sequence, 9u);
}

}  // namespace
}  // namespace market::storage
