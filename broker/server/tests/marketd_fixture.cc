#include "broker/server/tests/marketd_fixture.h"

#include <stdlib.h>

#include "codec/json_lines.h"
#include "tools/client/market_client.h"

namespace market::server::testing {

namespace pb = marketplace::v1;

std::vector<std::string> ReferenceDataJson() {
  return {
      R"({"defineLocation": {"kind": "REGION", "code": "LATAM"}})",
      R"({"defineLocation": {"kind": "REGION", "code": "EU"}})",
      R"({"defineLocation": {"kind": "COUNTRY", "code": "MX", "parent": "LATAM"}})",
      R"({"defineLocation": {"kind": "COUNTRY", "code": "BR", "parent": "LATAM"}})",
      R"({"defineLocation": {"kind": "COUNTRY", "code": "GB", "parent": "EU"}})",
      R"({"defineLocation": {"kind": "HUB", "code": "MX-CTA-HUB", "parent": "MX"}})",
      R"({"defineRole": {"code": "CTA", "name": "CTA"}})",
      R"({"upsertParticipant": {"id": "S1", "kind": "SPONSOR"}})",
      R"({"upsertParticipant": {"id": "S2", "kind": "SPONSOR"}})",
      R"({"upsertParticipant": {"id": "V1", "kind": "VENDOR"}})",
      R"({"upsertParticipant": {"id": "V2", "kind": "VENDOR"}})",
      R"({"upsertContract": {"contractId": "C1", "sponsorId": "S1", "vendorId": "V1", "active": true, "rates": [{"role": "CTA", "seniority": 2, "country": "MX", "maxRate": "5000"}]}})",
      R"({"upsertContract": {"contractId": "C2", "sponsorId": "S1", "vendorId": "V2", "active": true}})",
  };
}

void MarketdTest::SetUp() {
  std::string pattern = ::testing::TempDir() + "/marketd-XXXXXX";
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  data_dir_ = pattern;
  for (const std::string principal :
       {"admin", "ops", "sponsor:S1", "sponsor:S2", "vendor:V1", "vendor:V2"}) {
    keys_[principal] = AddKey(data_dir_ + "/api-keys.txt", principal);
  }
  StartMarketd(InitialFlags());
}

void MarketdTest::TearDown() {
  if (marketd_ != nullptr) marketd_->Kill();
  std::error_code ignored;
  std::filesystem::remove_all(data_dir_, ignored);
}

void MarketdTest::StartMarketd(std::vector<std::string> extra_flags) {
  marketd_ = std::make_unique<MarketdProcess>(data_dir_, std::move(extra_flags));
  ASSERT_TRUE(marketd_->Start()) << marketd_->output();
}

grpc::Status MarketdTest::Send(const std::string& principal, const std::string& command_json,
                               pb::CommandResult* result) {
  absl::StatusOr<pb::Command> command = codec::ParseCommandJson(command_json);
  EXPECT_TRUE(command.ok()) << command.status() << " in " << command_json;
  pb::CommandResult ignored;
  return client::SendCommand(*channel(), keys_.at(principal), *command,
                             result != nullptr ? result : &ignored);
}

pb::CommandResult MarketdTest::SendOk(const std::string& principal,
                                      const std::string& command_json) {
  pb::CommandResult result;
  const grpc::Status status = Send(principal, command_json, &result);
  EXPECT_TRUE(status.ok()) << status.error_code() << " " << status.error_message() << " for "
                           << command_json;
  return result;
}

void MarketdTest::SeedReferenceData() {
  for (const std::string& line : ReferenceDataJson()) SendOk("admin", line);
}

}  // namespace market::server::testing
