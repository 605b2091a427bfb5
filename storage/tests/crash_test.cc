// Crash test: a child process appends groups through JournaledMarket with
// SyncPolicy::kAlways and reports each group's last sequence on a pipe once
// ExecuteGroup returned (the moment a server would acknowledge). The parent
// kills it with SIGKILL at a random moment, reopens the data dir, and checks:
//   - every group the child reported durable is present;
//   - no partial group is visible (the tail is a group boundary);
//   - the reopened market, which loads the stored current state, has the
//     digest of a replay of the recovered journal; the replay finds every
//     journaled event identical and the stored state at the journal's tail
//     with the replay's digest.
// CRASH_TEST_ITERATIONS overrides the count (CI: 50; scripts/crash-soak.sh
// runs thousands).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "codec/json_lines.h"
#include "storage/journaled_market.h"

namespace market::storage {
namespace {

namespace pb = marketplace::v1;

constexpr size_t kGroupSize = 16;

std::vector<MarketInput> Parse(const std::vector<std::string>& lines) {
  std::vector<MarketInput> out;
  for (const auto& l : lines) out.emplace_back(*codec::ParseCommandJson(l));
  return out;
}

// The reference data: exactly one group of kGroupSize commands.
std::vector<std::string> ReferenceData() {
  std::vector<std::string> lines = {
      R"({"principal":"admin","defineLocation":{"kind":"REGION","code":"EU"}})",
      R"({"principal":"admin","defineLocation":{"kind":"COUNTRY","code":"GB","parent":"EU"}})",
      R"({"principal":"admin","defineLocation":{"kind":"COUNTRY","code":"PL","parent":"EU"}})",
      R"({"principal":"admin","defineRole":{"code":"CRA","name":"CRA"}})",
      R"({"principal":"admin","upsertParticipant":{"id":"S1","kind":"SPONSOR"}})",
      R"({"principal":"admin","upsertParticipant":{"id":"S2","kind":"SPONSOR"}})",
      R"({"principal":"admin","upsertParticipant":{"id":"V1","kind":"VENDOR"}})",
      R"({"principal":"admin","upsertParticipant":{"id":"V2","kind":"VENDOR"}})",
      R"({"principal":"admin","upsertContract":{"contractId":"C1","sponsorId":"S1","vendorId":"V1","active":true}})",
      R"({"principal":"admin","upsertContract":{"contractId":"C2","sponsorId":"S1","vendorId":"V2","active":true}})",
      R"({"principal":"admin","upsertContract":{"contractId":"C3","sponsorId":"S2","vendorId":"V1","active":true,"maxFteMilli":"50000"}})",
  };
  while (lines.size() < kGroupSize) {
    lines.push_back(R"({"principal":"admin","defineRole":{"code":"CTA","name":"CTA"}})");
  }
  return lines;
}

// A deterministic order flow: offers and requests that often match.
std::string Order(uint64_t n) {
  const uint64_t h = n * 0x9E3779B97F4A7C15ULL;
  const std::string fte = std::to_string(100 * (1 + h % 10));
  const std::string rate = std::to_string(4000 + 100 * (h >> 8) % 8);
  const char* country = (h >> 16) % 2 ? "GB" : "PL";
  if ((h >> 20) % 2) {
    const char* vendor = (h >> 24) % 2 ? "V1" : "V2";
    return std::string(R"({"principal":"vendor:)") + vendor +
           R"(","publishOffer":{"clientRef":"o)" + std::to_string(n) +
           R"(","role":"CRA","seniority":3,"country":")" + country + R"(","fteMilli":")" + fte +
           R"(","rate":")" + rate + R"(","availableFrom":"2026-01-01"}})";
  }
  const char* sponsor = (h >> 24) % 2 ? "S1" : "S2";
  return std::string(R"({"principal":"sponsor:)") + sponsor +
         R"(","submitRequest":{"clientRef":"r)" + std::to_string(n) +
         R"(","role":"CRA","locations":["EU"],"fteMilli":")" + fte + R"(","maxRate":")" + rate +
         R"(","startDate":"2026-03-01","endDate":"2026-12-31"}})";
}

// The child: append groups forever, reporting each durable group's end.
[[noreturn]] void Writer(const std::string& dir, int report_fd) {
  auto journal = OpenRocksJournal(dir, RocksJournalOptions{});
  if (!journal.ok()) _exit(3);
  auto market = JournaledMarket::Open(std::move(*journal));
  if (!market.ok()) _exit(4);
  std::vector<pb::Event> events;
  if ((*market)->last_sequence() == 0) {
    if (!(*market)->ExecuteGroup(Parse(ReferenceData()), &events).ok()) _exit(5);
  }
  for (uint64_t n = (*market)->last_sequence();; n += kGroupSize) {
    std::vector<std::string> lines;
    for (uint64_t i = 0; i < kGroupSize; ++i) lines.push_back(Order(n + i));
    events.clear();
    if (!(*market)->ExecuteGroup(Parse(lines), &events).ok()) _exit(6);
    const uint64_t durable = (*market)->last_sequence();
    if (write(report_fd, &durable, sizeof durable) != sizeof durable) _exit(7);
  }
}

int Iterations() {
  const char* env = std::getenv("CRASH_TEST_ITERATIONS");
  return env != nullptr ? std::atoi(env) : 50;
}

TEST(CrashRecovery, SigkillNeverLosesAnAcknowledgedGroupNorShowsAPartialOne) {
  std::string pattern = (std::filesystem::temp_directory_path() / "crash-XXXXXX").string();
  const std::string root = mkdtemp(pattern.data());
  const std::string dir = root + "/data";
  std::mt19937_64 rng(20261122);
  uint64_t max_reported = 0;
  for (int iteration = 0; iteration < Iterations(); ++iteration) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      close(fds[0]);
      Writer(dir, fds[1]);
    }
    close(fds[1]);
    // Odd iterations may kill the writer anywhere, even while it opens and
    // re-executes the journal; even ones wait for its first durable group so
    // that the kill lands mid-stream however slow the build (sanitizers).
    uint64_t reported = 0;
    if (iteration % 2 == 0 && read(fds[0], &reported, sizeof reported) == sizeof reported) {
      max_reported = std::max(max_reported, reported);
    }
    usleep(static_cast<useconds_t>(rng() % 30000));
    kill(child, SIGKILL);
    int wstatus = 0;
    waitpid(child, &wstatus, 0);
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "writer exited by itself with " << WEXITSTATUS(wstatus);
    while (read(fds[0], &reported, sizeof reported) == sizeof reported) {
      max_reported = std::max(max_reported, reported);
    }
    close(fds[0]);

    auto journal = OpenRocksJournal(dir, RocksJournalOptions{});
    ASSERT_TRUE(journal.ok()) << "iteration " << iteration << ": " << journal.status();
    const uint64_t last = (*journal)->last_sequence();
    EXPECT_GE(last, max_reported) << "iteration " << iteration << ": an acknowledged group is lost";
    EXPECT_EQ(last % kGroupSize, 0u) << "iteration " << iteration << ": a partial group is visible";
    auto report = VerifyJournal(**journal);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(report->first_divergent_sequence, 0u) << report->divergence;
    EXPECT_TRUE(report->state_status.ok())
        << "iteration " << iteration << ": " << report->state_status;
    EXPECT_EQ(report->state_last_sequence, last) << "iteration " << iteration;
    EXPECT_EQ(report->state_digest, report->digest)
        << "iteration " << iteration << ": the stored state is not the replay's";
    auto market = JournaledMarket::Open(std::move(*journal));  // loads the stored state
    ASSERT_TRUE(market.ok()) << "iteration " << iteration << ": " << market.status();
    EXPECT_EQ((*market)->last_sequence(), last);
    EXPECT_EQ((*market)->StateDigest(), report->digest)
        << "iteration " << iteration << ": recovered digest differs from the replay's";
    max_reported = std::max(max_reported, last);
  }
  std::cout << "crash test: " << Iterations() << " SIGKILLs, recovered up to sequence "
            << max_reported << "\n";
  EXPECT_GT(max_reported, kGroupSize * static_cast<uint64_t>(Iterations()) / 4)
      << "the writer made too little progress for the kills to land mid-stream";
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace market::storage
