// MarketdProcess: a real marketd binary on an ephemeral loopback port with a
// temporary data dir, for integration tests. Start() waits for "marketd
// ready"; the keys marketd prints on first start are captured.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/grpcpp.h"

namespace market::server::testing {

class MarketdProcess {
 public:
  // `data_dir` is kept across restarts; extra flags are appended.
  explicit MarketdProcess(std::string data_dir, std::vector<std::string> extra_flags = {});
  ~MarketdProcess();

  // Starts marketd and waits (up to 60 s) until it is ready; false on failure
  // (the output so far is in output()).
  bool Start();
  // SIGTERM, then waits; returns the exit status (0 for a clean drain).
  int Stop();
  // SIGKILL, then waits.
  void Kill();

  const std::string& address() const { return address_; }
  const std::string& kafka_bootstrap() const { return kafka_bootstrap_; }
  // Keys printed on first start, by principal ("admin", "ops").
  const std::map<std::string, std::string>& printed_keys() const { return printed_keys_; }
  const std::string& data_dir() const { return data_dir_; }
  std::string keys_file() const { return data_dir_ + "/api-keys.txt"; }
  const std::string& output() const { return output_; }
  std::shared_ptr<grpc::Channel> Channel() const;

 private:
  std::string data_dir_;
  std::vector<std::string> extra_flags_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string address_;
  std::string kafka_bootstrap_;
  std::map<std::string, std::string> printed_keys_;
  std::string output_;
};

// Path of a built binary ("marketd", "marketctl"): MARKETD_BIN / MARKETCTL_BIN
// from the environment, else the one CMake built.
std::string BinaryPath(const std::string& name);

// grpc.health.v1.Health/Check for the whole server, without credentials: the
// status number (1 SERVING, 2 NOT_SERVING), or -1 when the call failed.
int HealthStatus(grpc::Channel& channel);

// Appends a new key for `principal` to the keys file and returns it.
std::string AddKey(const std::string& keys_file, const std::string& principal);

}  // namespace market::server::testing
