// grpc_load: a load generator for a running marketd (WORKLOAD.md "through
// gRPC"). It seeds the reference data when missing, gives every principal of
// the order flow a key (through the server's keys file), then runs phases,
// each beside an echo baseline -- a trivial RPC of the same shape on the same
// server -- in the same run:
//
//   echo         grpc.health.v1.Health/Check, closed loop, --clients in flight
//   unary        the order flow through the unary command RPCs, closed loop
//   echo-open    Health/Check open loop at each --rates value
//   open         the order flow, open loop at each --rates value
//   echo-stream  grpc.reflection.v1alpha ServerReflectionInfo on bidi streams, pipelined
//                (a lookup of an unknown symbol: a constant small answer)
//   stream       the order flow through MarketService.Execute (one stream per
//                principal: a stream acts for its key's principal), pipelined
//
// Closed loop measures saturation: each client sends its next call when the
// last one answers. Open loop sends on a fixed schedule whatever the answers
// do and measures each latency from the call's intended send time, so a
// stalled server is charged for the calls it held up (no coordinated
// omission). Streams keep --window commands in flight over all streams.
//
// Each phase runs --warmup-s, then --duration-s measured: throughput counts
// completions inside the measured window, latencies the calls sent in it.
// Commands are the reference workload's order flow (--seed, --commands) or any
// Command JSON lines file (--workload-file; its leading reference data is
// seeded, the rest is the flow), each sent with the key of its principal.
// Order ids the flow refers to are rewritten to the sequences the server
// actually gave (load_tools.h), and client_refs get a per-run suffix, so runs
// can repeat against one server.
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/empty.pb.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "broker/auth/key_file.h"
#include "marketctl/client/command_input.h"
#include "marketctl/client/demo_market.h"
#include "marketctl/client/load_tools.h"
#include "marketctl/workload.h"
#include "tools/client/market_client.h"

namespace {

namespace pb = marketplace::v1;
using market::tools::LatencyHistogram;
using market::tools::PositionedCommand;
using market::tools::SequenceMap;
using Clock = std::chrono::steady_clock;
using Message = google::protobuf::Message;
using Stub = grpc::TemplatedGenericStub<Message, Message>;

constexpr char kHealthCheck[] = "/grpc.health.v1.Health/Check";
constexpr char kReflection[] = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";
constexpr char kExecute[] = "/marketplace.v1.MarketService/Execute";
constexpr char kGetStats[] = "/marketplace.v1.OpsService/GetStats";
constexpr size_t kMaxOpenLoopInFlight = 100000;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// utime + stime of another process in seconds (Linux /proc); -1 when unknown.
double ProcessCpuSeconds(int pid) {
  if (pid <= 0) return -1;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// --- Flags ---------------------------------------------------------------------

struct Flags {
  market::client::ClientOptions connection;
  std::string keys_file;
  std::string workload_file;
  uint64_t seed = 1;
  uint64_t commands = 1000000;
  std::string phases = "echo,unary,echo-open,open,echo-stream,stream";
  int clients = 64;
  int channels = 4;
  double duration_s = 10;
  double warmup_s = 1;
  std::vector<double> rates = {5000};
  size_t window = 4096;
  int seed_concurrency = 8;
  std::string run_id;
  std::string json_out;
  int server_pid = 0;
  size_t stream_principals = 0;  // 0: a stream for every principal of the flow
};

// --- Channels: one TCP connection each ---------------------------------------------

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Like market::client::Connect, with a channel argument that differs by
// `index`, so that channels do not share a subchannel (connection).
std::shared_ptr<grpc::Channel> ConnectDistinct(const market::client::ClientOptions& options,
                                               int index) {
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(64 << 20);
  arguments.SetMaxSendMessageSize(64 << 20);
  arguments.SetInt("grpc_load.channel_index", index);
  if (options.tls_ca.empty()) {
    return grpc::CreateCustomChannel(options.server, grpc::InsecureChannelCredentials(), arguments);
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFile(options.tls_ca);
  if (!options.tls_cert.empty()) {
    ssl.pem_cert_chain = ReadFile(options.tls_cert);
    ssl.pem_private_key = ReadFile(options.tls_key);
  }
  if (!options.tls_server_name.empty()) {
    arguments.SetSslTargetNameOverride(options.tls_server_name);
  }
  return grpc::CreateCustomChannel(options.server, grpc::SslCredentials(ssl), arguments);
}

// --- What a phase sends ------------------------------------------------------------

// The order flow, handed out once each, in order, from any thread.
class Flow {
 public:
  Flow(std::vector<PositionedCommand> commands, const SequenceMap& map, std::string suffix)
      : commands_(std::move(commands)), map_(map), suffix_(std::move(suffix)) {}

  // The next command, rewritten for this run; nullptr when all are used.
  PositionedCommand* Next() {
    const size_t i = next_.fetch_add(1);
    if (i >= commands_.size()) {
      exhausted_.store(true);
      return nullptr;
    }
    PositionedCommand* c = &commands_[i];
    market::tools::PrepareForRun(map_, suffix_, &c->command);
    return c;
  }
  bool exhausted() const { return exhausted_.load(); }
  size_t used() const { return std::min(next_.load(), commands_.size()); }
  size_t size() const { return commands_.size(); }

 private:
  std::vector<PositionedCommand> commands_;
  const SequenceMap& map_;
  std::string suffix_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> exhausted_{false};
};

// The unary RPC of a command and its body.
const char* UnaryMethod(const pb::Command& command, const Message** body) {
  switch (command.body_case()) {
    case pb::Command::kSubmitRequest:
      *body = &command.submit_request();
      return "/marketplace.v1.SponsorService/SubmitRequest";
    case pb::Command::kAmendRequest:
      *body = &command.amend_request();
      return "/marketplace.v1.SponsorService/AmendRequest";
    case pb::Command::kCancelRequest:
      *body = &command.cancel_request();
      return "/marketplace.v1.SponsorService/CancelRequest";
    case pb::Command::kPublishOffer:
      *body = &command.publish_offer();
      return "/marketplace.v1.VendorService/PublishOffer";
    case pb::Command::kAmendOffer:
      *body = &command.amend_offer();
      return "/marketplace.v1.VendorService/AmendOffer";
    case pb::Command::kWithdrawOffer:
      *body = &command.withdraw_offer();
      return "/marketplace.v1.VendorService/WithdrawOffer";
    case pb::Command::kDefineRole:
      *body = &command.define_role();
      return "/marketplace.v1.AdminService/DefineRole";
    case pb::Command::kDefineLocation:
      *body = &command.define_location();
      return "/marketplace.v1.AdminService/DefineLocation";
    case pb::Command::kUpsertParticipant:
      *body = &command.upsert_participant();
      return "/marketplace.v1.AdminService/UpsertParticipant";
    case pb::Command::kUpsertContract:
      *body = &command.upsert_contract();
      return "/marketplace.v1.AdminService/UpsertContract";
    case pb::Command::kPatchRateCard:
      *body = &command.patch_rate_card();
      return "/marketplace.v1.AdminService/PatchRateCard";
    case pb::Command::BODY_NOT_SET:
      break;
  }
  *body = nullptr;
  return nullptr;
}

// --- Phase results -------------------------------------------------------------------

struct Phase {
  std::string name;
  std::string kind;          // "echo" or "commands"
  std::string mode;          // "closed", "open", "stream"
  double offered_per_s = 0;  // open loop only
  int concurrency = 0;       // clients in flight, or the stream window
  int streams = 0;

  int64_t measure_from_ns = 0;
  int64_t measure_to_ns = 0;
  std::atomic<uint64_t> sent{0};
  std::atomic<uint64_t> ok{0};
  std::atomic<uint64_t> rejected{0};  // journaled rejections (durable all the same)
  std::atomic<uint64_t> failed{0};    // transport / overload errors: not executed
  std::atomic<uint64_t> skipped{0};   // commands of principals without a stream
  std::atomic<uint64_t> completed_in_window{0};
  std::atomic<int64_t> last_completion_ns{0};
  LatencyHistogram latency;
  std::mutex error_mu;
  std::map<std::string, uint64_t> errors;  // "<CODE>: <message>" -> count (first few kinds)
  bool exhausted = false;
  bool backlogged = false;  // open loop hit kMaxOpenLoopInFlight
  double client_cpu_s = 0;
  double server_cpu_s = -1;
  double wall_s = 0;

  // A call sent at (or intended for) `start_ns` finished now.
  void Complete(int64_t start_ns, bool success, bool rejection) {
    const int64_t now = NowNs();
    if (success) {
      ok.fetch_add(1, std::memory_order_relaxed);
    } else if (rejection) {
      rejected.fetch_add(1, std::memory_order_relaxed);
    } else {
      failed.fetch_add(1, std::memory_order_relaxed);
    }
    if (!success && !rejection) return;
    int64_t last = last_completion_ns.load(std::memory_order_relaxed);
    while (now > last && !last_completion_ns.compare_exchange_weak(last, now)) {
    }
    if (now >= measure_from_ns && now <= measure_to_ns) {
      completed_in_window.fetch_add(1, std::memory_order_relaxed);
    }
    if (start_ns >= measure_from_ns && start_ns < measure_to_ns) {
      latency.Record(static_cast<uint64_t>(std::max<int64_t>(0, now - start_ns)));
    }
  }
  void Error(const grpc::Status& status) {
    const std::lock_guard lock(error_mu);
    const std::string key =
        market::tools::StatusCodeName(status.error_code()) + ": " + status.error_message();
    if (errors.size() < 8 || errors.count(key) != 0) ++errors[key];
  }
  // Over the measured window; a phase whose workload ran out ends at its last
  // completion. 0 when the workload ran out before the window began.
  double Throughput() const {
    const int64_t to =
        exhausted ? std::min(measure_to_ns, last_completion_ns.load()) : measure_to_ns;
    const double seconds = static_cast<double>(to - measure_from_ns) / 1e9;
    return seconds > 0 ? static_cast<double>(completed_in_window.load()) / seconds : 0;
  }
  bool MeasuredNothing() const { return completed_in_window.load() == 0; }
};

// --- Unary calls ---------------------------------------------------------------

// One unary call in flight (echo or command), owned by itself until it completes.
struct UnaryCall {
  grpc::ClientContext context;
  pb::CommandResult result;
  google::protobuf::Empty echo_result;
  int64_t start_ns = 0;
  uint64_t position = 0;
  int client = 0;
};

class UnaryDriver {
 public:
  UnaryDriver(Phase& phase, std::vector<std::unique_ptr<Stub>>& stubs, Flow* flow,
              const std::map<std::string, std::string>& keys, const std::string& echo_key,
              SequenceMap& map)
      : phase_(phase), stubs_(stubs), flow_(flow), keys_(keys), echo_key_(echo_key), map_(map) {}

  // Starts one call; false when the flow is used up.
  bool Issue(int client, int64_t start_ns, std::function<void()> done) {
    auto call = std::make_unique<UnaryCall>();
    call->start_ns = start_ns;
    call->client = client;
    Stub& stub = *stubs_[static_cast<size_t>(client) % stubs_.size()];
    if (flow_ == nullptr) {
      market::client::Prepare(&call->context, echo_key_);
      UnaryCall* raw = call.release();
      phase_.sent.fetch_add(1, std::memory_order_relaxed);
      stub.UnaryCall(&raw->context, kHealthCheck, grpc::StubOptions(), &echo_request_,
                     &raw->echo_result, [this, raw, done = std::move(done)](grpc::Status status) {
                       std::unique_ptr<UnaryCall> owned(raw);
                       if (!status.ok()) phase_.Error(status);
                       phase_.Complete(owned->start_ns, status.ok(), false);
                       owned.reset();
                       done();
                     });
      return true;
    }
    PositionedCommand* command = nullptr;
    const Message* body = nullptr;
    const char* method = nullptr;
    std::map<std::string, std::string>::const_iterator key;
    for (;;) {
      command = flow_->Next();
      if (command == nullptr) return false;
      method = UnaryMethod(command->command, &body);
      key = keys_.find(command->command.principal());
      if (method != nullptr && key != keys_.end()) break;
      phase_.failed.fetch_add(1);  // a command with no body: nothing to send
    }
    market::client::Prepare(&call->context, key->second);
    call->position = command->position;
    UnaryCall* raw = call.release();
    phase_.sent.fetch_add(1, std::memory_order_relaxed);
    stub.UnaryCall(&raw->context, method, grpc::StubOptions(), body, &raw->result,
                   [this, raw, done = std::move(done)](grpc::Status status) {
                     std::unique_ptr<UnaryCall> owned(raw);
                     bool rejection = false;
                     if (status.ok()) {
                       map_.Set(owned->position, owned->result.sequence());
                     } else {
                       // A journaled rejection carries its sequence in the trailers.
                       const auto& trailers = owned->context.GetServerTrailingMetadata();
                       rejection = trailers.find("market-sequence") != trailers.end();
                       if (!rejection) phase_.Error(status);
                     }
                     phase_.Complete(owned->start_ns, status.ok(), rejection);
                     owned.reset();
                     done();
                   });
    return true;
  }

 private:
  Phase& phase_;
  std::vector<std::unique_ptr<Stub>>& stubs_;
  Flow* flow_;  // nullptr: echo
  const std::map<std::string, std::string>& keys_;
  const std::string& echo_key_;
  SequenceMap& map_;
  const google::protobuf::Empty echo_request_;
};

// Waits until `count` reaches zero.
class Latch {
 public:
  // Waits, complaining every minute: callbacks may still refer to the caller's state.
  void WaitLong(const std::string& what) {
    while (!Wait(std::chrono::seconds(60))) {
      std::cerr << "grpc_load: " << what << ": " << count() << " calls still in flight\n";
    }
  }
  void Add(int64_t n) {
    const std::lock_guard lock(mu_);
    count_ += n;
  }
  void Done() {
    const std::lock_guard lock(mu_);
    if (--count_ == 0) cv_.notify_all();
  }
  bool Wait(std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return count_ <= 0; });
  }
  int64_t count() {
    const std::lock_guard lock(mu_);
    return count_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int64_t count_ = 0;
};

void RunClosedLoop(Phase& phase, UnaryDriver& driver, int clients) {
  Latch active;
  std::atomic<bool> stop{false};
  std::function<void(int)> next = [&](int client) {
    if (stop.load(std::memory_order_relaxed) || NowNs() >= phase.measure_to_ns) {
      active.Done();
      return;
    }
    if (!driver.Issue(client, NowNs(), [&next, client] { next(client); })) {
      stop.store(true);
      active.Done();
    }
  };
  active.Add(clients);
  for (int c = 0; c < clients; ++c) next(c);
  active.WaitLong(phase.name);
  phase.exhausted = stop.load();
}

void RunOpenLoop(Phase& phase, UnaryDriver& driver, double rate) {
  Latch in_flight;
  const int64_t start = NowNs();
  const double period_ns = 1e9 / rate;
  for (uint64_t i = 0;; ++i) {
    const int64_t intended = start + static_cast<int64_t>(static_cast<double>(i) * period_ns);
    if (intended >= phase.measure_to_ns) break;
    const int64_t now = NowNs();
    if (intended > now) std::this_thread::sleep_for(std::chrono::nanoseconds(intended - now));
    if (in_flight.count() >= static_cast<int64_t>(kMaxOpenLoopInFlight)) {
      phase.backlogged = true;
      while (in_flight.count() >= static_cast<int64_t>(kMaxOpenLoopInFlight)) {
        std::this_thread::sleep_for(std::chrono::microseconds(100));
      }
    }
    in_flight.Add(1);
    if (!driver.Issue(static_cast<int>(i % 1024), intended, [&in_flight] { in_flight.Done(); })) {
      in_flight.Done();
      phase.exhausted = true;
      break;
    }
  }
  in_flight.WaitLong(phase.name);
}

// --- Streams -------------------------------------------------------------------------

// Commands (or echo requests) in flight over all streams.
class Window {
 public:
  explicit Window(size_t size) : free_(size), size_(size) {}
  void Acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return free_ > 0; });
    --free_;
  }
  void Release(size_t n = 1) {
    {
      const std::lock_guard lock(mu_);
      free_ += n;
    }
    cv_.notify_all();
  }
  bool WaitIdle(std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return free_ == size_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  size_t free_;
  size_t size_;
};

struct StreamItem {
  std::unique_ptr<pb::ExecuteRequest> owned;  // Execute
  const Message* request = nullptr;           // what is written
  uint64_t position = 0;
  int64_t sent_ns = 0;
};

// One bidi stream, Execute or the reflection echo. Writes one at a time from
// a queue; reads every answer; answers come in the order of the writes.
class StreamClient final : public grpc::ClientBidiReactor<Message, Message> {
 public:
  StreamClient(Stub& stub, const char* method, const std::string& key, bool execute, Phase& phase,
               Window& window, SequenceMap& map)
      : execute_(execute), phase_(phase), window_(window), map_(map) {
    market::client::Prepare(&context_, key, std::chrono::hours(1));
    stub.PrepareBidiStreamingCall(&context_, method, grpc::StubOptions(), this);
    AddHold();  // writes start from the dispatcher, outside reactions
    StartRead(execute_ ? static_cast<Message*>(&result_) : static_cast<Message*>(&echo_result_));
    StartCall();
  }

  void Send(std::unique_ptr<StreamItem> item) {
    const Message* to_write = nullptr;
    {
      const std::lock_guard lock(mu_);
      if (broken_) {
        Fail(1);
        return;
      }
      answers_.push_back({item->position, item->sent_ns});
      queue_.push_back(std::move(item));
      if (!writing_) {
        writing_ = true;
        current_ = std::move(queue_.front());
        queue_.pop_front();
        to_write = current_->request;
      }
    }
    if (to_write != nullptr) StartWrite(to_write);
  }

  // No more sends: half-close once the queue is written; then wait for OnDone.
  void Close() {
    bool now = false;
    {
      const std::lock_guard lock(mu_);
      closing_ = true;
      now = !writing_ && !broken_;
    }
    if (now) StartWritesDone();
    RemoveHold();
  }

  grpc::Status Await() {
    std::unique_lock lock(mu_);
    done_cv_.wait(lock, [&] { return done_; });
    return status_;
  }

  void OnWriteDone(bool ok) override {
    const Message* to_write = nullptr;
    bool writes_done = false;
    {
      const std::lock_guard lock(mu_);
      current_.reset();
      if (!ok) {
        broken_ = true;
        writing_ = false;
        return;  // the read side sees the end; OnDone fails what is left
      }
      if (!queue_.empty()) {
        current_ = std::move(queue_.front());
        queue_.pop_front();
        to_write = current_->request;
      } else {
        writing_ = false;
        writes_done = closing_;
      }
    }
    if (to_write != nullptr) StartWrite(to_write);
    if (writes_done) StartWritesDone();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;
    Answer answer;
    {
      const std::lock_guard lock(mu_);
      if (answers_.empty()) return;  // cannot happen: one answer per request
      answer = answers_.front();
      answers_.pop_front();
    }
    bool success = true;
    bool rejection = false;
    if (execute_) {
      if (result_.events_size() == 1 && result_.events(0).has_command_rejected()) {
        success = false;
        rejection = result_.sequence() != 0;  // journaled; else refused before sequencing
      } else if (result_.sequence() != 0) {
        map_.Set(answer.position, result_.sequence());
      }
    }
    phase_.Complete(answer.sent_ns, success, rejection);
    window_.Release();
    StartRead(execute_ ? static_cast<Message*>(&result_) : static_cast<Message*>(&echo_result_));
  }

  void OnDone(const grpc::Status& status) override {
    size_t unanswered = 0;
    {
      const std::lock_guard lock(mu_);
      unanswered = answers_.size();
      answers_.clear();
      queue_.clear();
      broken_ = true;
    }
    if (!status.ok()) phase_.Error(status);
    Fail(unanswered);
    const std::lock_guard lock(mu_);
    status_ = status;
    done_ = true;
    done_cv_.notify_all();
  }

 private:
  struct Answer {
    uint64_t position = 0;
    int64_t sent_ns = 0;
  };

  void Fail(size_t n) {
    if (n == 0) return;
    phase_.failed.fetch_add(n);
    window_.Release(n);
  }

  const bool execute_;
  Phase& phase_;
  Window& window_;
  SequenceMap& map_;
  grpc::ClientContext context_;
  pb::CommandResult result_;
  google::protobuf::Empty echo_result_;

  std::mutex mu_;
  std::condition_variable done_cv_;
  std::deque<std::unique_ptr<StreamItem>> queue_;  // guarded by mu_
  std::unique_ptr<StreamItem> current_;            // being written
  std::deque<Answer> answers_;                     // sent, not yet answered
  bool writing_ = false;
  bool closing_ = false;
  bool broken_ = false;
  bool done_ = false;
  grpc::Status status_;
};

// Execute: one stream per principal (a stream acts for its key's principal).
// Echo: as many reflection streams, requests round-robin.
void RunStreams(Phase& phase, std::vector<std::unique_ptr<Stub>>& stubs, Flow* flow,
                const std::vector<std::string>& principals,
                const std::map<std::string, std::string>& keys, const std::string& echo_key,
                SequenceMap& map, size_t window_size) {
  Window window(window_size);
  std::map<std::string, std::unique_ptr<StreamClient>> streams;
  std::vector<StreamClient*> echo_streams;
  size_t i = 0;
  for (const std::string& principal : principals) {
    Stub& stub = *stubs[i++ % stubs.size()];
    if (flow != nullptr) {
      const auto key = keys.find(principal);
      if (key == keys.end()) continue;
      streams[principal] =
          std::make_unique<StreamClient>(stub, kExecute, key->second, true, phase, window, map);
    } else {
      auto s =
          std::make_unique<StreamClient>(stub, kReflection, echo_key, false, phase, window, map);
      echo_streams.push_back(s.get());
      streams[principal] = std::move(s);
    }
  }
  phase.streams = static_cast<int>(streams.size());
  // ServerReflectionRequest{file_containing_symbol: "grpc_load.Echo"}: answered
  // with a constant NOT_FOUND error_response. (Not list_services: gRPC 1.51's
  // reflection service never clears that response, so it grows with every
  // request on a stream.)
  google::protobuf::Empty echo_request;
  echo_request.GetReflection()
      ->MutableUnknownFields(&echo_request)
      ->AddLengthDelimited(4, "grpc_load.Echo");

  uint64_t n = 0;
  while (NowNs() < phase.measure_to_ns) {
    auto item = std::make_unique<StreamItem>();
    StreamClient* target = nullptr;
    if (flow == nullptr) {
      item->request = &echo_request;
      target = echo_streams[n % echo_streams.size()];
    } else {
      PositionedCommand* command = flow->Next();
      if (command == nullptr) {
        phase.exhausted = true;
        break;
      }
      const auto found = streams.find(command->command.principal());
      if (found == streams.end()) {
        phase.skipped.fetch_add(1);
        continue;
      }
      target = found->second.get();
      item->owned = std::make_unique<pb::ExecuteRequest>();
      *item->owned->mutable_command() = std::move(command->command);
      item->request = item->owned.get();
      item->position = command->position;
    }
    window.Acquire();
    item->sent_ns = NowNs();
    phase.sent.fetch_add(1, std::memory_order_relaxed);
    target->Send(std::move(item));
    ++n;
  }
  while (!window.WaitIdle(std::chrono::seconds(60))) {
    std::cerr << "grpc_load: " << phase.name << ": answers still missing\n";
  }
  for (auto& [principal, stream] : streams) stream->Close();
  for (auto& [principal, stream] : streams) {
    const grpc::Status status = stream->Await();
    if (!status.ok() && flow != nullptr) {
      std::cerr << "grpc_load: stream of " << principal << ": "
                << market::tools::StatusCodeName(status.error_code()) << ": "
                << status.error_message() << "\n";
    }
  }
}

// --- Setup: workload, seeding, keys ---------------------------------------------------

market::tools::Workload LoadWorkload(const Flags& flags) {
  if (!flags.workload_file.empty()) {
    std::ifstream in(flags.workload_file);
    if (!in) throw std::runtime_error("cannot read " + flags.workload_file);
    return market::tools::ReadWorkload(in);
  }
  market::tools::WorkloadOptions options;
  options.seed = flags.seed;
  options.commands = flags.commands;
  std::vector<pb::Command> commands;
  commands.reserve(flags.commands + 2000);
  market::tools::GenerateWorkload(options, [&](const pb::Command& c) { commands.push_back(c); });
  return market::tools::SplitWorkload(std::move(commands));
}

// A key for each principal: the admin key for "admin", new keys otherwise.
std::map<std::string, std::string> MakeKeys(const Flags& flags,
                                            const std::vector<std::string>& principals) {
  std::map<std::string, std::string> keys;
  std::string last_added;
  for (const std::string& text : principals) {
    if (text == "admin") {
      keys[text] = flags.connection.key;
      continue;
    }
    if (flags.keys_file.empty()) {
      throw std::runtime_error("principal " + text +
                               " needs a key: pass --keys (marketd's keys file)");
    }
    absl::StatusOr<market::auth::Principal> principal = market::auth::ParsePrincipal(text);
    if (!principal.ok()) throw std::runtime_error(std::string(principal.status().message()));
    absl::StatusOr<std::string> key = market::auth::AppendKey(flags.keys_file, *principal);
    if (!key.ok()) throw std::runtime_error(std::string(key.status().message()));
    keys[text] = *key;
    last_added = *key;
  }
  if (!last_added.empty()) keys[""] = last_added;  // the last key added: AwaitKey probes it
  return keys;
}

// Waits until marketd has re-read its keys file (the new keys authenticate).
void AwaitKey(grpc::Channel& channel, const std::string& key) {
  std::shared_ptr<grpc::Channel> shared(&channel, [](grpc::Channel*) {});
  Stub stub(shared);
  const auto give_up = Clock::now() + std::chrono::seconds(15);
  for (;;) {
    grpc::ClientContext context;
    market::client::Prepare(&context, key, std::chrono::seconds(5));
    google::protobuf::Empty request;
    pb::MarketStats stats;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    grpc::Status status;
    stub.UnaryCall(&context, kGetStats, grpc::StubOptions(), &request, &stats, [&](grpc::Status s) {
      const std::lock_guard lock(mu);
      status = std::move(s);
      done = true;
      cv.notify_all();
    });
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return done; });
    }
    if (status.error_code() != grpc::StatusCode::UNAUTHENTICATED) return;
    if (Clock::now() > give_up) throw std::runtime_error("the server does not accept the new keys");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

// --- Output -----------------------------------------------------------------------------

double Micros(uint64_t nanos) { return static_cast<double>(nanos) / 1000.0; }

void PrintTable(const std::vector<std::unique_ptr<Phase>>& phases) {
  std::printf("%-16s %9s %6s %9s %9s %8s %7s %12s %9s %9s %9s %9s %6s %6s\n", "phase", "offered/s",
              "conc", "sent", "ok", "rejected", "failed", "throughput/s", "p50_us", "p99_us",
              "p99.9_us", "max_us", "cli%", "srv%");
  for (const auto& p : phases) {
    char offered[32];
    if (p->mode == "open") {
      std::snprintf(offered, sizeof offered, "%.0f", p->offered_per_s);
    } else {
      std::snprintf(offered, sizeof offered, "sat");
    }
    std::printf(
        "%-16s %9s %6d %9llu %9llu %8llu %7llu %12.0f %9.0f %9.0f %9.0f %9.0f %6.0f %6s\n",
        p->name.c_str(), offered, p->concurrency, static_cast<unsigned long long>(p->sent.load()),
        static_cast<unsigned long long>(p->ok.load()),
        static_cast<unsigned long long>(p->rejected.load()),
        static_cast<unsigned long long>(p->failed.load()), p->Throughput(),
        Micros(p->latency.Percentile(0.5)), Micros(p->latency.Percentile(0.99)),
        Micros(p->latency.Percentile(0.999)), Micros(p->latency.max_nanos()),
        100.0 * p->client_cpu_s / std::max(p->wall_s, 1e-9),
        p->server_cpu_s < 0
            ? "-"
            : std::to_string(static_cast<int>(100.0 * p->server_cpu_s / std::max(p->wall_s, 1e-9)))
                  .c_str());
    for (const auto& [error, count] : p->errors) {
      std::printf("    %llu x %s\n", static_cast<unsigned long long>(count), error.c_str());
    }
    if (p->skipped.load() != 0) {
      std::printf("    (%llu commands of principals without a stream skipped)\n",
                  static_cast<unsigned long long>(p->skipped.load()));
    }
    if (p->exhausted) {
      std::printf(p->MeasuredNothing()
                      ? "    (the workload ran out before the measured window: raise --commands)\n"
                      : "    (the workload ran out during this phase; measured up to its last "
                        "answer)\n");
    }
    if (p->backlogged)
      std::printf("    (more than %zu calls were in flight)\n", kMaxOpenLoopInFlight);
  }
}

nlohmann::json ToJson(const Phase& p) {
  return {{"phase", p.name},
          {"kind", p.kind},
          {"mode", p.mode},
          {"offered_per_s", p.offered_per_s},
          {"concurrency", p.concurrency},
          {"streams", p.streams},
          {"sent", p.sent.load()},
          {"ok", p.ok.load()},
          {"rejected", p.rejected.load()},
          {"failed", p.failed.load()},
          {"skipped", p.skipped.load()},
          {"throughput_per_s", p.Throughput()},
          {"latency_us_p50", Micros(p.latency.Percentile(0.5))},
          {"latency_us_p99", Micros(p.latency.Percentile(0.99))},
          {"latency_us_p999", Micros(p.latency.Percentile(0.999))},
          {"latency_us_max", Micros(p.latency.max_nanos())},
          {"latency_samples", p.latency.count()},
          {"client_cpu_s", p.client_cpu_s},
          {"server_cpu_s", p.server_cpu_s},
          {"wall_s", p.wall_s},
          {"workload_exhausted", p.exhausted}};
}

// --- Main -------------------------------------------------------------------------------

int Run(const Flags& flags) {
  const std::vector<std::string> all_phases = {"echo", "unary",       "echo-open",
                                               "open", "echo-stream", "stream"};
  std::vector<std::string> wanted;
  {
    std::stringstream list(flags.phases);
    std::string name;
    while (std::getline(list, name, ',')) {
      if (std::find(all_phases.begin(), all_phases.end(), name) == all_phases.end()) {
        throw std::runtime_error("--phases: unknown phase '" + name + "'");
      }
      wanted.push_back(name);
    }
  }

  absl::StatusOr<std::shared_ptr<grpc::Channel>> control =
      market::client::Connect(flags.connection);
  if (!control.ok()) throw std::runtime_error(std::string(control.status().message()));

  const auto load_start = Clock::now();
  market::tools::Workload workload = LoadWorkload(flags);
  std::fprintf(
      stderr, "grpc_load: workload: %zu reference-data commands, %zu flow commands%s (%.1f s)\n",
      workload.reference.size(), workload.flow.size(),
      workload.malformed != 0
          ? (", " + std::to_string(workload.malformed) + " malformed lines skipped").c_str()
          : "",
      std::chrono::duration<double>(Clock::now() - load_start).count());

  // Reference data.
  if (!workload.reference.empty()) {
    std::vector<pb::Command> reference;
    for (const PositionedCommand& c : workload.reference) reference.push_back(c.command);
    market::tools::SeedOptions options;
    options.concurrency = flags.seed_concurrency;
    options.progress = [](const std::string& line) {
      std::fprintf(stderr, "grpc_load: seeding: %s\n", line.c_str());
    };
    const auto seed_start = Clock::now();
    absl::StatusOr<market::tools::SeedReport> report = market::tools::SeedReferenceData(
        **control, flags.connection.key, market::tools::SeedStages(reference), options);
    if (!report.ok())
      throw std::runtime_error("seeding: " + std::string(report.status().message()));
    std::fprintf(stderr,
                 "grpc_load: reference data: sent %llu, already there %llu, rejected %llu "
                 "(%.1f s)\n",
                 static_cast<unsigned long long>(report->sent.commands()),
                 static_cast<unsigned long long>(report->skipped.commands()),
                 static_cast<unsigned long long>(report->rejected),
                 std::chrono::duration<double>(Clock::now() - seed_start).count());
  }

  // Keys for the flow's principals.
  const std::vector<std::string> principals = market::tools::PrincipalsOf(workload.flow);
  const std::map<std::string, std::string> keys = MakeKeys(flags, principals);
  if (const auto last = keys.find(""); last != keys.end()) AwaitKey(**control, last->second);
  std::fprintf(stderr, "grpc_load: %zu principals have keys\n", principals.size());

  uint64_t positions = 0;
  for (const PositionedCommand& c : workload.flow) positions = std::max(positions, c.position);
  SequenceMap map(positions);
  const std::string suffix = "-" + flags.run_id;
  // Streams: every principal of the flow, or only the busiest.
  std::vector<std::string> stream_principals = principals;
  if (flags.stream_principals != 0 && flags.stream_principals < principals.size()) {
    std::map<std::string, uint64_t> activity;
    for (const PositionedCommand& c : workload.flow) ++activity[c.command.principal()];
    std::sort(stream_principals.begin(), stream_principals.end(),
              [&](const std::string& a, const std::string& b) {
                return activity[a] != activity[b] ? activity[a] > activity[b] : a < b;
              });
    stream_principals.resize(flags.stream_principals);
    uint64_t covered = 0;
    for (const std::string& p : stream_principals) covered += activity[p];
    std::fprintf(stderr, "grpc_load: streams for the %zu busiest principals (%.0f%% of the flow)\n",
                 stream_principals.size(),
                 100.0 * static_cast<double>(covered) / static_cast<double>(workload.flow.size()));
  }
  Flow flow(std::move(workload.flow), map, suffix);

  std::vector<std::unique_ptr<Stub>> stubs;
  for (int c = 0; c < flags.channels; ++c) {
    stubs.push_back(std::make_unique<Stub>(ConnectDistinct(flags.connection, c)));
  }

  std::vector<std::unique_ptr<Phase>> results;
  const int64_t warmup_ns = static_cast<int64_t>(flags.warmup_s * 1e9);
  const int64_t duration_ns = static_cast<int64_t>(flags.duration_s * 1e9);
  auto run_phase = [&](std::unique_ptr<Phase> phase, const std::function<void(Phase&)>& body) {
    std::fprintf(stderr, "grpc_load: phase %s ...\n", phase->name.c_str());
    const double cpu_before = CpuSeconds();
    const double server_before = ProcessCpuSeconds(flags.server_pid);
    const auto wall_before = Clock::now();
    phase->measure_from_ns = NowNs() + warmup_ns;
    phase->measure_to_ns = phase->measure_from_ns + duration_ns;
    body(*phase);
    phase->wall_s = std::chrono::duration<double>(Clock::now() - wall_before).count();
    phase->client_cpu_s = CpuSeconds() - cpu_before;
    if (server_before >= 0)
      phase->server_cpu_s = ProcessCpuSeconds(flags.server_pid) - server_before;
    results.push_back(std::move(phase));
  };
  auto make = [](std::string name, std::string kind, std::string mode, int concurrency) {
    auto p = std::make_unique<Phase>();
    p->name = std::move(name);
    p->kind = std::move(kind);
    p->mode = std::move(mode);
    p->concurrency = concurrency;
    return p;
  };
  const std::string& echo_key = flags.connection.key;
  for (const std::string& name : wanted) {
    const bool echo = name.rfind("echo", 0) == 0;
    Flow* source = echo ? nullptr : &flow;
    const std::string kind = echo ? "echo" : "commands";
    if (name == "echo" || name == "unary") {
      run_phase(make(name, kind, "closed", flags.clients), [&](Phase& p) {
        UnaryDriver driver(p, stubs, source, keys, echo_key, map);
        RunClosedLoop(p, driver, flags.clients);
      });
    } else if (name == "echo-open" || name == "open") {
      for (double rate : flags.rates) {
        auto phase = make(name + "@" + std::to_string(static_cast<int64_t>(rate)), kind, "open", 0);
        phase->offered_per_s = rate;
        run_phase(std::move(phase), [&](Phase& p) {
          UnaryDriver driver(p, stubs, source, keys, echo_key, map);
          RunOpenLoop(p, driver, rate);
        });
      }
    } else {
      run_phase(make(name, kind, "stream", static_cast<int>(flags.window)), [&](Phase& p) {
        RunStreams(p, stubs, source, stream_principals, keys, echo_key, map, flags.window);
      });
    }
  }

  std::printf(
      "grpc_load: server %s, %s, run %s; %d clients on %d channels; warmup %.1f s, "
      "measured %.1f s per phase\n",
      flags.connection.server.c_str(),
      flags.workload_file.empty()
          ? ("reference workload seed " + std::to_string(flags.seed)).c_str()
          : flags.workload_file.c_str(),
      flags.run_id.c_str(), flags.clients, flags.channels, flags.warmup_s, flags.duration_s);
  PrintTable(results);
  // Ratios against the echo baseline of the same shape.
  auto find = [&](const std::string& n) -> const Phase* {
    for (const auto& p : results) {
      if (p->name == n) return p.get();
    }
    return nullptr;
  };
  nlohmann::json ratios = nlohmann::json::object();
  auto ratio = [&](const std::string& a, const std::string& b) {
    const Phase* x = find(a);
    const Phase* y = find(b);
    if (x == nullptr || y == nullptr || y->Throughput() <= 0) return;
    const double r = x->Throughput() / y->Throughput();
    std::printf("%s / %s throughput: %.2f\n", a.c_str(), b.c_str(), r);
    ratios[a + "/" + b] = r;
  };
  ratio("unary", "echo");
  ratio("stream", "echo-stream");
  std::printf("flow commands used: %zu of %zu\n", flow.used(), flow.size());

  if (!flags.json_out.empty()) {
    nlohmann::json out;
    out["server"] = flags.connection.server;
    out["workload"] = flags.workload_file.empty() ? "reference seed " + std::to_string(flags.seed)
                                                  : flags.workload_file;
    out["clients"] = flags.clients;
    out["channels"] = flags.channels;
    out["window"] = flags.window;
    out["duration_s"] = flags.duration_s;
    out["warmup_s"] = flags.warmup_s;
    out["phases"] = nlohmann::json::array();
    for (const auto& p : results) out["phases"].push_back(ToJson(*p));
    out["ratios"] = ratios;
    std::ofstream file(flags.json_out);
    file << out.dump(2) << "\n";
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  flags.run_id = "b" + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
  CLI::App app{"grpc_load: load generator for a running marketd (echo baseline beside each phase)"};
  app.add_option("--server", flags.connection.server, "marketd address")->capture_default_str();
  app.add_option("--admin-key", flags.connection.key, "Admin API key (seeding, echo calls)")
      ->envname("MARKET_ADMIN_KEY")
      ->required();
  app.add_option("--tls-ca", flags.connection.tls_ca, "CA of the server certificate; enables TLS");
  app.add_option("--tls-cert", flags.connection.tls_cert, "Client certificate (mTLS)");
  app.add_option("--tls-key", flags.connection.tls_key, "Client key (mTLS)");
  app.add_option("--tls-server-name", flags.connection.tls_server_name,
                 "Name to check in the server certificate");
  app.add_option("--keys", flags.keys_file,
                 "marketd's keys file: one new key per principal of the flow is added");
  auto* file = app.add_option("--workload-file", flags.workload_file,
                              "Command JSON lines to replay (default: the reference workload)");
  app.add_option("--seed", flags.seed, "Reference workload seed")
      ->capture_default_str()
      ->excludes(file);
  app.add_option("--commands", flags.commands, "Reference workload: order-flow commands generated")
      ->capture_default_str()
      ->excludes(file);
  app.add_option("--phases", flags.phases,
                 "Comma-separated: echo, unary, echo-open, open, echo-stream, stream")
      ->capture_default_str();
  app.add_option("--clients", flags.clients, "Closed loop: calls in flight")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--channels", flags.channels, "Connections the calls and streams spread over")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--rates", flags.rates, "Open loop: offered calls per second (repeatable)")
      ->capture_default_str();
  app.add_option("--duration-s", flags.duration_s, "Measured seconds per phase")
      ->capture_default_str();
  app.add_option("--warmup-s", flags.warmup_s, "Unmeasured seconds before each phase's measure")
      ->capture_default_str();
  app.add_option("--window", flags.window, "Streams: requests in flight over all streams")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  app.add_option("--seed-concurrency", flags.seed_concurrency, "Seeding: calls in flight")
      ->capture_default_str();
  app.add_option("--run-id", flags.run_id, "Suffix of this run's client_refs (default: b<unix s>)");
  app.add_option("--json", flags.json_out, "Also write the results as JSON to this file");
  app.add_option("--stream-principals", flags.stream_principals,
                 "Streams: open streams for only the N busiest principals of the flow (their "
                 "commands only; 0: all), and as many echo streams")
      ->capture_default_str();
  app.add_option("--server-pid", flags.server_pid,
                 "marketd's pid (same machine): report its CPU use per phase");
  CLI11_PARSE(app, argc, argv);
  for (double rate : flags.rates) {
    if (rate <= 0) {
      std::cerr << "grpc_load: --rates must be positive\n";
      return 2;
    }
  }
  try {
    return Run(flags);
  } catch (const std::exception& e) {
    std::cerr << "grpc_load: " << e.what() << "\n";
    return 1;
  }
}
