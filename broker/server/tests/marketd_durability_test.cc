// marketd under load: a live StreamEvents sees every event exactly once in
// order, and a SIGKILL loses no acknowledged command.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <atomic>

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "broker/server/tests/marketd_fixture.h"
#include "codec/json_lines.h"
#include "tools/client/market_client.h"

namespace market::server::testing {
namespace {

namespace pb = marketplace::v1;

std::string OfferJson(const std::string& client_ref) {
  return R"({"publishOffer": {"clientRef": ")" + client_ref +
         R"(", "role": "CTA", "seniority": 2, "country": "MX", "fteMilli": "100", "rate": "4000", "availableFrom": "2026-01-01"}})";
}

// Runs `marketctl replay --data-dir <dir>`; returns its exit status and output.
std::pair<int, std::string> Replay(const std::string& data_dir) {
  const std::string command = BinaryPath("marketctl") + " replay --data-dir " + data_dir + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pclose(pipe);
  return {WEXITSTATUS(status), output};
}

class MarketdDurabilityTest : public MarketdTest {};

TEST_F(MarketdDurabilityTest, StreamFromZeroWhileCommandsFlowSeesEveryEventOnceInOrder) {
  SeedReferenceData();
  std::atomic<bool> sending{true};
  std::thread sender([&] {
    for (int i = 0; i < 300; ++i) SendOk("vendor:V1", OfferJson("s" + std::to_string(i)));
    sending = false;
  });
  // Start reading while commands flow: catch-up and live overlap.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  grpc::ClientContext context;
  client::Prepare(&context, key("ops"), std::chrono::seconds(60));
  auto reader =
      pb::OpsService::NewStub(channel())->StreamEvents(&context, pb::StreamEventsRequest());
  uint64_t expected_sequence = 1;
  uint32_t expected_index = 0;
  pb::Event event;
  const uint64_t last = 13 + 300;
  while (reader->Read(&event)) {
    if (event.sequence() == expected_sequence + 1 && event.index() == 0) {
      ++expected_sequence;
      expected_index = 0;
    }
    ASSERT_EQ(event.sequence(), expected_sequence);
    ASSERT_EQ(event.index(), expected_index);
    ++expected_index;
    if (event.sequence() == last) break;
  }
  EXPECT_EQ(expected_sequence, last);
  context.TryCancel();
  sender.join();
}

TEST_F(MarketdDurabilityTest, SigkillUnderLoadLosesNoAcknowledgedCommand) {
  SeedReferenceData();
  std::mutex mutex;
  std::vector<std::pair<std::string, uint64_t>> acknowledged;  // client_ref -> sequence
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      const std::string vendor = c % 2 == 0 ? "vendor:V1" : "vendor:V2";
      for (int i = 0; !stop; ++i) {
        const std::string ref = "k" + std::to_string(c) + "-" + std::to_string(i);
        pb::CommandResult result;
        if (Send(vendor, OfferJson(ref), &result).ok()) {
          const std::lock_guard lock(mutex);
          acknowledged.emplace_back(vendor + "/" + ref, result.sequence());
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  marketd()->Kill();
  stop = true;
  for (std::thread& client : clients) client.join();
  ASSERT_GT(acknowledged.size(), 20u);

  // The journal verifies, then the restarted server knows every acknowledged command.
  const auto [status, output] = Replay(data_dir());
  EXPECT_EQ(status, 0) << output;
  StartMarketd();
  for (const auto& [ref, sequence] : acknowledged) {
    const std::string vendor = ref.substr(0, ref.find('/'));
    pb::CommandResult retry;
    ASSERT_TRUE(Send(vendor, OfferJson(ref.substr(ref.find('/') + 1)), &retry).ok());
    EXPECT_TRUE(retry.duplicate()) << ref;
    EXPECT_EQ(retry.original_sequence(), sequence) << ref;
  }
}

TEST_F(MarketdDurabilityTest, BackupOfARunningMarketReplaysClean) {
  SeedReferenceData();
  for (int i = 0; i < 20; ++i) SendOk("vendor:V1", OfferJson("b" + std::to_string(i)));
  grpc::ClientContext context;
  client::Prepare(&context, key("admin"));
  pb::CreateBackupRequest request;
  request.set_directory(data_dir() + "-backup");
  pb::Backup backup;
  const grpc::Status status =
      pb::AdminService::NewStub(channel())->CreateBackup(&context, request, &backup);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(backup.last_sequence(), 33u);
  const auto [exit_status, output] = Replay(request.directory());
  EXPECT_EQ(exit_status, 0) << output;
  std::filesystem::remove_all(request.directory());
}

}  // namespace
}  // namespace market::server::testing
