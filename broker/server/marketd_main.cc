// marketd: the market's server. Recovers the journal in --data-dir, serves the
// gRPC services of API.md on --listen, publishes every durable event to Kafka
// (an embedded mock cluster unless --kafka-brokers is given), and drains and
// exits 0 on SIGTERM or SIGINT.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "CLI/CLI.hpp"
#include "broker/auth/key_file.h"
#include "broker/auth/key_store.h"
#include "broker/server/authenticator.h"
#include "broker/server/event_hub.h"
#include "broker/server/kafka_link.h"
#include "broker/server/marketd_options.h"
#include "broker/server/sequencer.h"
#include "broker/server/services.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "spdlog/spdlog.h"
#include "storage/journal.h"
#include "storage/journaled_market.h"

namespace market::server {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(
    const MarketdOptions& options) {
  if (options.tls_cert.empty() && options.tls_key.empty()) {
    if (!options.tls_client_ca.empty()) {
      return absl::InvalidArgumentError("--tls-client-ca needs --tls-cert and --tls-key");
    }
    return grpc::InsecureServerCredentials();
  }
  if (options.tls_cert.empty() || options.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  grpc::SslServerCredentialsOptions ssl(
      options.tls_client_ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                    : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  for (const std::string& file : {options.tls_cert, options.tls_key, options.tls_client_ca}) {
    if (!file.empty() && !std::filesystem::exists(file)) {
      return absl::NotFoundError("TLS file " + file + " does not exist");
    }
  }
  ssl.pem_key_cert_pairs.push_back({ReadFile(options.tls_key), ReadFile(options.tls_cert)});
  if (!options.tls_client_ca.empty()) ssl.pem_root_certs = ReadFile(options.tls_client_ca);
  return grpc::SslServerCredentials(ssl);
}

void ConfigureLogging(const std::string& format) {
  if (format == "json") {
    spdlog::set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","thread":%t,"message":"%v"})",
        spdlog::pattern_time_type::utc);
  } else {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %l %v", spdlog::pattern_time_type::utc);
  }
}

// Prints a line for the operator (and for scripts that start marketd) on stdout.
void Announce(const std::string& line) { std::cout << line << std::endl; }

int Fail(const absl::Status& status) {
  spdlog::critical("{}", status.ToString());
  std::cerr << "marketd: " << status.ToString() << std::endl;
  return 1;
}

int Run(const MarketdOptions& options) {
  ConfigureLogging(options.log_format);
  // Signals go to the waiting main thread only: block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::error_code error;
  std::filesystem::create_directories(options.data_dir, error);
  if (error) {
    return Fail(absl::FailedPreconditionError("cannot create data dir " + options.data_dir + ": " +
                                              error.message()));
  }
  const std::string keys_path =
      options.keys.empty() ? (std::filesystem::path(options.data_dir) / "api-keys.txt").string()
                           : options.keys;
  absl::StatusOr<std::vector<std::pair<auth::Principal, std::string>>> created =
      auth::CreateDefaultKeysFile(keys_path);
  if (!created.ok()) return Fail(created.status());
  for (const auto& [principal, key] : *created) {
    Announce("created API key for " + principal.ToString() + ": " + key +
             "   (shown once; only its hash is kept in " + keys_path + ")");
  }
  absl::StatusOr<std::unique_ptr<auth::KeyStore>> keys = auth::KeyStore::Load(keys_path);
  if (!keys.ok()) return Fail(keys.status());
  Authenticator authenticator(**keys);

  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials = Credentials(options);
  if (!credentials.ok()) return Fail(credentials.status());

  // Serve health (NOT_SERVING) and answer UNAVAILABLE while recovering.
  ServiceContext service;
  SponsorServiceImpl sponsor(service);
  VendorServiceImpl vendor(service);
  AdminServiceImpl admin(service);
  MarketServiceImpl market_service(service);
  OpsServiceImpl ops(service);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, *credentials, &port);
  builder.SetMaxReceiveMessageSize(static_cast<int>(service.limits.max_message_bytes * 2));
  builder.RegisterService(&sponsor);
  builder.RegisterService(&vendor);
  builder.RegisterService(&admin);
  builder.RegisterService(&market_service);
  builder.RegisterService(&ops);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return Fail(absl::UnavailableError("cannot listen on " + options.listen));
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  health->SetServingStatus(false);
  const std::string host = options.listen.substr(0, options.listen.rfind(':'));
  Announce("marketd listening on " + host + ":" + std::to_string(port));
  spdlog::info("listening on {}:{}, recovering {}", host, port, options.data_dir);

  // Recover.
  const auto recovery_start = std::chrono::steady_clock::now();
  storage::RocksJournalOptions journal_options;
  journal_options.sync =
      options.fsync == "never" ? storage::SyncPolicy::kNever : storage::SyncPolicy::kAlways;
  absl::StatusOr<std::unique_ptr<storage::Journal>> journal =
      storage::OpenRocksJournal(options.data_dir, journal_options);
  if (!journal.ok()) return Fail(journal.status());
  absl::StatusOr<std::unique_ptr<storage::JournaledMarket>> market =
      storage::JournaledMarket::Open(*std::move(journal), {.data_dir = options.data_dir});
  if (!market.ok()) return Fail(market.status());
  const auto recovery_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::steady_clock::now() - recovery_start)
                               .count();
  spdlog::info("recovered to sequence {} in {} ms", (*market)->last_sequence(), recovery_ms);

  if (options.reserve_client_refs > 0) {
    (*market)->ReserveClientRefs(options.reserve_client_refs);
    spdlog::info("idempotency index sized for {} client_refs", options.reserve_client_refs);
  }

  EventHub hub((*market)->last_sequence());
  Sequencer sequencer(**market, {.queue_capacity = options.queue_capacity,
                                 .max_group = options.max_group,
                                 .reserve_heap_bytes = options.reserve_heap_mb << 20,
                                 .on_journal_failure = [health](const absl::Status& status) {
                                   spdlog::critical(
                                       "journal append failed, refusing every command until "
                                       "restarted: {}",
                                       status.ToString());
                                   health->SetServingStatus(false);
                                 }});
  sequencer.AddListener(&hub);

  absl::StatusOr<std::unique_ptr<KafkaLink>> kafka =
      KafkaLink::Start(options, (*market)->mutable_journal());
  if (!kafka.ok()) return Fail(kafka.status());
  sequencer.AddListener(kafka->get());
  Announce("kafka bootstrap servers: " + (*kafka)->bootstrap_servers() + "  topic " +
           options.kafka_topic + ((*kafka)->embedded() ? "  (embedded)" : ""));
  service.ops.fill = [&kafka, &sequencer](marketplace::v1::MarketStats* stats) {
    (*kafka)->FillStats(sequencer.last_sequence(), stats);
  };

  sequencer.Start();
  if (options.reserve_heap_mb > 0) {
    if (sequencer.heap_reserve().ok()) {
      spdlog::info("engine heap reserve: {} MB faulted in", options.reserve_heap_mb);
    } else {
      spdlog::warn("engine heap reserve not made: {}", sequencer.heap_reserve().ToString());
    }
  }
  service.sequencer = &sequencer;
  service.hub = &hub;
  service.journal = &(*market)->journal();
  service.authenticator = &authenticator;
  service.ready.store(true, std::memory_order_release);
  health->SetServingStatus(true);
  Announce("marketd ready at sequence " + std::to_string((*market)->last_sequence()));

  int received = 0;
  sigwait(&signals, &received);
  spdlog::info("signal {}: draining", received);
  health->SetServingStatus(false);
  hub.CloseAll();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  sequencer.Stop();
  (*kafka)->Stop();
  const absl::Status sequencer_health = sequencer.health();
  spdlog::info("stopped at sequence {}", (*market)->last_sequence());
  return sequencer_health.ok() ? 0 : Fail(sequencer_health);
}

}  // namespace
}  // namespace market::server

int main(int argc, char** argv) {
  market::server::MarketdOptions options;
  CLI::App app{"marketd: the staffing-capacity market's gRPC server"};
  app.add_option("--listen", options.listen, "Address to serve gRPC on (port 0: any free port)")
      ->capture_default_str();
  app.add_option("--data-dir", options.data_dir, "Directory of the RocksDB journal and state")
      ->capture_default_str();
  app.add_option(
      "--keys", options.keys,
      "API keys file (lines '<principal> sha256:<hex>'); default <data-dir>/api-keys.txt");
  app.add_option("--tls-cert", options.tls_cert, "Server certificate (PEM); enables TLS");
  app.add_option("--tls-key", options.tls_key, "Server private key (PEM)");
  app.add_option("--tls-client-ca", options.tls_client_ca,
                 "CA (PEM) for client certificates; enables mTLS (client CN = principal)");
  app.add_option("--fsync", options.fsync, "Journal sync per group: always or never (benchmarks)")
      ->check(CLI::IsMember({"always", "never"}))
      ->capture_default_str();
  app.add_option("--kafka-brokers", options.kafka_brokers,
                 "Kafka bootstrap servers host:port,...; none: an embedded mock cluster");
  app.add_option("--kafka-topic", options.kafka_topic, "Topic of the event stream")
      ->capture_default_str();
  app.add_option("--kafka-format", options.kafka_format, "Event encoding: protobuf or json")
      ->check(CLI::IsMember({"protobuf", "json"}))
      ->capture_default_str();
  app.add_option("--log-format", options.log_format, "Log lines: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_option("--queue-capacity", options.queue_capacity,
                 "Commands waiting for the sequencer before RESOURCE_EXHAUSTED")
      ->capture_default_str();
  app.add_option("--max-group", options.max_group, "Commands per journal write (group commit)")
      ->capture_default_str();
  app.add_option("--reserve-heap-mb", options.reserve_heap_mb,
                 "Heap to fault in on the engine thread at start, so that the book's growth "
                 "takes no page faults up to that size (docs/OPERATIONS.md, \"Heap reserve\")")
      ->capture_default_str();
  app.add_option("--reserve-client-refs", options.reserve_client_refs,
                 "Size the idempotency index for this many client_refs at start, so that it "
                 "never grows (one command moving every key) before that many "
                 "(docs/OPERATIONS.md, \"Idempotency index\")")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return market::server::Run(options);
}
