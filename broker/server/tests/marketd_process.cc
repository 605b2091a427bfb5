#include "broker/server/tests/marketd_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "broker/auth/key_file.h"
#include "broker/auth/principal.h"
#include "grpcpp/generic/generic_stub.h"

namespace market::server::testing {

std::string BinaryPath(const std::string& name) {
  const bool marketd = name == "marketd";
  const char* value = std::getenv(marketd ? "MARKETD_BIN" : "MARKETCTL_BIN");
  if (value != nullptr) return value;
  return marketd ? MARKETD_BINARY : MARKETCTL_BINARY;
}

std::string AddKey(const std::string& keys_file, const std::string& principal) {
  absl::StatusOr<auth::Principal> parsed = auth::ParsePrincipal(principal);
  if (!parsed.ok()) throw std::runtime_error(parsed.status().ToString());
  absl::StatusOr<std::string> key = auth::AppendKey(keys_file, *parsed);
  if (!key.ok()) throw std::runtime_error(key.status().ToString());
  return *key;
}

int HealthStatus(grpc::Channel& channel) {
  // HealthCheckRequest{service: ""} is empty on the wire; the response is
  // HealthCheckResponse{status = 1: varint}.
  std::shared_ptr<grpc::Channel> shared(&channel, [](grpc::Channel*) {});
  grpc::GenericStub stub(shared);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::Slice empty(std::string{});
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  grpc::Status status;
  grpc::StubOptions options;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", options, &request, &response,
                 [&](grpc::Status s) {
                   const std::lock_guard lock(mutex);
                   status = std::move(s);
                   done = true;
                   done_cv.notify_one();
                 });
  std::unique_lock lock(mutex);
  done_cv.wait(lock, [&] { return done; });
  if (!status.ok()) return -1;
  std::vector<grpc::Slice> slices;
  if (!response.Dump(&slices).ok()) return -1;
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  if (bytes.size() == 2 && bytes[0] == 0x08) return bytes[1];
  return bytes.empty() ? 0 : -1;
}

MarketdProcess::MarketdProcess(std::string data_dir, std::vector<std::string> extra_flags)
    : data_dir_(std::move(data_dir)), extra_flags_(std::move(extra_flags)) {}

MarketdProcess::~MarketdProcess() {
  if (pid_ > 0) Kill();
}

bool MarketdProcess::Start() {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return false;
  std::vector<std::string> args = {BinaryPath("marketd"), "--listen", "127.0.0.1:0", "--data-dir",
                                   data_dir_};
  args.insert(args.end(), extra_flags_.begin(), extra_flags_.end());
  pid_ = fork();
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a crashed test
    dup2(pipe_fds[1], STDOUT_FILENO);
    dup2(pipe_fds[1], STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  stdout_fd_ = pipe_fds[0];
  output_.clear();
  address_.clear();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd poll_fd{stdout_fd_, POLLIN, 0};
    if (poll(&poll_fd, 1, 200) <= 0) continue;
    char buffer[4096];
    const ssize_t n = read(stdout_fd_, buffer, sizeof buffer);
    if (n <= 0) return false;  // exited
    output_.append(buffer, static_cast<size_t>(n));
    // Parse the complete lines seen so far.
    size_t end;
    size_t start = 0;
    bool ready = false;
    while ((end = output_.find('\n', start)) != std::string::npos) {
      const std::string text = output_.substr(start, end - start);
      start = end + 1;
      const std::string listening = "marketd listening on ";
      const std::string kafka = "kafka bootstrap servers: ";
      const std::string created = "created API key for ";
      if (text.rfind(listening, 0) == 0) address_ = text.substr(listening.size());
      if (text.rfind(kafka, 0) == 0) {
        const std::string rest = text.substr(kafka.size());
        kafka_bootstrap_ = rest.substr(0, rest.find(' '));
      }
      if (text.rfind(created, 0) == 0) {
        const std::string rest = text.substr(created.size());
        const size_t colon = rest.find(": ");
        const std::string principal = rest.substr(0, colon);
        const std::string key = rest.substr(colon + 2, rest.find(' ', colon + 2) - colon - 2);
        printed_keys_[principal] = key;
      }
      if (text.rfind("marketd ready", 0) == 0) ready = true;
    }
    if (ready) {
      // Keep draining output in the background so marketd never blocks on a full pipe.
      const int fd = stdout_fd_;
      std::thread([fd] {
        char sink[4096];
        while (read(fd, sink, sizeof sink) > 0) {
        }
        close(fd);
      }).detach();
      stdout_fd_ = -1;
      return true;
    }
  }
  return false;
}

int MarketdProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void MarketdProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::shared_ptr<grpc::Channel> MarketdProcess::Channel() const {
  return grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
}

}  // namespace market::server::testing
