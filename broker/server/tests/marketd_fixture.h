// MarketdTest: a fresh marketd per test, with keys for admin, ops, two
// sponsors and two vendors, and helpers to send commands as any of them.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "broker/server/tests/marketd_process.h"
#include "marketplace/v1/service.grpc.pb.h"

namespace market::server::testing {

// The reference data every scenario starts from: regions LATAM and EU,
// countries MX, BR, GB, hub MX-CTA-HUB, role CTA, sponsors S1 and S2, vendors
// V1 and V2, contracts C1 (S1-V1, CTA/2/MX capped at 5000) and C2 (S1-V2).
std::vector<std::string> ReferenceDataJson();

class MarketdTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Flags of the marketd that SetUp starts.
  virtual std::vector<std::string> InitialFlags() { return {}; }
  // Starts marketd over the test's data dir (again after Stop/Kill).
  void StartMarketd(std::vector<std::string> extra_flags = {});

  // Sends one Command JSON line through its unary RPC with `principal`'s key.
  grpc::Status Send(const std::string& principal, const std::string& command_json,
                    marketplace::v1::CommandResult* result = nullptr);
  // Sends and expects OK.
  marketplace::v1::CommandResult SendOk(const std::string& principal,
                                        const std::string& command_json);
  void SeedReferenceData();

  std::string key(const std::string& principal) { return keys_.at(principal); }
  std::unique_ptr<MarketdProcess>& marketd() { return marketd_; }
  std::shared_ptr<grpc::Channel> channel() { return marketd_->Channel(); }
  std::string data_dir() const { return data_dir_; }

 private:
  std::string data_dir_;
  std::map<std::string, std::string> keys_;
  std::unique_ptr<MarketdProcess> marketd_;
};

}  // namespace market::server::testing
