// marketd over TLS, and over mTLS where the client certificate's CN names the
// principal.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "broker/server/tests/marketd_process.h"
#include "tools/client/market_client.h"

namespace market::server::testing {
namespace {

namespace pb = marketplace::v1;

// A CA, a server certificate for 127.0.0.1/localhost and a client
// certificate with CN "ops", made with the openssl command line.
class Certificates {
 public:
  explicit Certificates(const std::string& dir) : dir_(dir) {
    const std::string script =
        "set -e; cd " + dir +
        "; openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
        "-subj /CN=test-ca 2>/dev/null"
        "; openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr "
        "-subj /CN=localhost 2>/dev/null"
        "; printf 'subjectAltName=DNS:localhost,IP:127.0.0.1' > san.ext"
        "; openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
        "-out server.pem -days 2 -extfile san.ext 2>/dev/null"
        "; openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj /CN=ops "
        "2>/dev/null"
        "; openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
        "-out client.pem -days 2 2>/dev/null";
    ok_ = std::system(script.c_str()) == 0;
  }
  bool ok() const { return ok_; }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

 private:
  std::string dir_;
  bool ok_ = false;
};

// A fresh directory with an empty data/ inside.
std::string TempDir() {
  std::string pattern = ::testing::TempDir() + "/marketd-tls-XXXXXX";
  const std::string dir = mkdtemp(pattern.data());
  std::filesystem::create_directories(dir + "/data");
  return dir;
}

grpc::Status GetStats(grpc::Channel& channel, const std::string& key) {
  std::shared_ptr<grpc::Channel> shared(&channel, [](grpc::Channel*) {});
  grpc::ClientContext context;
  client::Prepare(&context, key, std::chrono::seconds(10));
  pb::MarketStats stats;
  return pb::OpsService::NewStub(shared)->GetStats(&context, pb::GetStatsRequest(), &stats);
}

TEST(MarketdTlsTest, TlsClientWithBearerKeyIsServed) {
  const std::string dir = TempDir();
  Certificates certificates(dir);
  ASSERT_TRUE(certificates.ok());
  const std::string ops_key = AddKey(dir + "/data/api-keys.txt", "ops");
  MarketdProcess marketd(dir + "/data", {"--tls-cert", certificates.path("server.pem"), "--tls-key",
                                         certificates.path("server.key")});
  ASSERT_TRUE(marketd.Start()) << marketd.output();
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      client::Connect({.server = marketd.address(), .tls_ca = certificates.path("ca.pem")});
  ASSERT_TRUE(channel.ok());
  const grpc::Status status = GetStats(**channel, ops_key);
  EXPECT_TRUE(status.ok()) << status.error_message();
  // A plaintext client cannot talk to it.
  EXPECT_FALSE(GetStats(*marketd.Channel(), ops_key).ok());
  EXPECT_EQ(marketd.Stop(), 0);
}

TEST(MarketdTlsTest, MtlsClientCertificateCnNamesThePrincipal) {
  const std::string dir = TempDir();
  Certificates certificates(dir);
  ASSERT_TRUE(certificates.ok());
  AddKey(dir + "/data/api-keys.txt", "admin");
  MarketdProcess marketd(dir + "/data", {"--tls-cert", certificates.path("server.pem"), "--tls-key",
                                         certificates.path("server.key"), "--tls-client-ca",
                                         certificates.path("ca.pem")});
  ASSERT_TRUE(marketd.Start()) << marketd.output();
  absl::StatusOr<std::shared_ptr<grpc::Channel>> with_certificate =
      client::Connect({.server = marketd.address(),
                       .tls_ca = certificates.path("ca.pem"),
                       .tls_cert = certificates.path("client.pem"),
                       .tls_key = certificates.path("client.key")});
  ASSERT_TRUE(with_certificate.ok());
  const grpc::Status status = GetStats(**with_certificate, /*key=*/"");
  EXPECT_TRUE(status.ok()) << status.error_message();
  // Without a client certificate the handshake fails.
  absl::StatusOr<std::shared_ptr<grpc::Channel>> without =
      client::Connect({.server = marketd.address(), .tls_ca = certificates.path("ca.pem")});
  EXPECT_FALSE(GetStats(**without, "").ok());
  EXPECT_EQ(marketd.Stop(), 0);
}

}  // namespace
}  // namespace market::server::testing
