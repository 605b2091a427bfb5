#include "broker/server/sequencer.h"

#include <algorithm>
#include <future>
#include <utility>

#include "platform/heap_reserve.h"

namespace market::server {
namespace {

namespace pb = marketplace::v1;

uint64_t WallClockNanos() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace

Sequencer::Sequencer(storage::JournaledMarket& market, SequencerOptions options)
    : market_(market), options_(std::move(options)), last_sequence_(market.last_sequence()) {}

Sequencer::~Sequencer() { Stop(); }

void Sequencer::Start() {
  std::promise<absl::Status> reserved;
  std::future<absl::Status> reserve = reserved.get_future();
  {
    const std::lock_guard lock(mutex_);
    if (started_) return;
    started_ = true;
    running_ = true;
    // The reserve is made by the engine thread: glibc gives each thread its
    // own arena, and the engine allocates from this one.
    thread_ = std::thread([this, reserved = std::move(reserved)]() mutable {
      reserved.set_value(platform::ReserveHeap(options_.reserve_heap_bytes));
      Run();
    });
  }
  heap_reserve_ = reserve.get();
}

void Sequencer::Stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  room_ready_.notify_all();
  if (thread_.joinable()) thread_.join();
  // Never started: nothing may be left waiting.
  std::deque<Pending> left;
  {
    const std::lock_guard lock(mutex_);
    left.swap(queue_);
  }
  for (Pending& pending : left) pending.done(absl::UnavailableError("the server is shutting down"));
}

absl::Status Sequencer::Submit(pb::Command command, Deadline deadline, Completion done) {
  return Enqueue(Pending{std::move(command), deadline, std::move(done)}, /*wait=*/false);
}

absl::Status Sequencer::SubmitWait(pb::Command command, Deadline deadline, Completion done) {
  return Enqueue(Pending{std::move(command), deadline, std::move(done)}, /*wait=*/true);
}

absl::Status Sequencer::Enqueue(Pending pending, bool wait) {
  std::unique_lock lock(mutex_);
  if (wait) {
    room_ready_.wait(lock, [&] { return stopping_ || queue_.size() < options_.queue_capacity; });
  }
  if (stopping_) return absl::UnavailableError("the server is shutting down");
  if (queue_.size() >= options_.queue_capacity) {
    return absl::ResourceExhaustedError("the command queue is full (" +
                                        std::to_string(options_.queue_capacity) +
                                        " waiting); retry with backoff");
  }
  queue_.push_back(std::move(pending));
  lock.unlock();
  work_ready_.notify_one();
  return absl::OkStatus();
}

absl::Status Sequencer::Read(const std::function<void(const storage::JournaledMarket&)>& read) {
  std::mutex done_mutex;
  std::condition_variable done_cv;
  bool done = false;
  {
    const std::lock_guard lock(mutex_);
    if (!running_) return absl::UnavailableError("the sequencer is not running");
    reads_.push_back([&] {
      read(market_);
      const std::lock_guard done_lock(done_mutex);
      done = true;
      done_cv.notify_one();
    });
  }
  work_ready_.notify_one();
  std::unique_lock done_lock(done_mutex);
  done_cv.wait(done_lock, [&] { return done; });
  return absl::OkStatus();
}

uint64_t Sequencer::last_sequence() const {
  const std::lock_guard lock(mutex_);
  return last_sequence_;
}

size_t Sequencer::queue_depth() const {
  const std::lock_guard lock(mutex_);
  return queue_.size();
}

absl::Status Sequencer::health() const {
  const std::lock_guard lock(mutex_);
  return health_;
}

void Sequencer::Run() {
  std::vector<Pending> group;
  std::deque<std::function<void()>> reads;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty() || !reads_.empty(); });
      reads.swap(reads_);
      const size_t take = std::min(queue_.size(), options_.max_group);
      for (size_t i = 0; i < take; ++i) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      if (group.empty() && reads.empty() && stopping_) {
        running_ = false;
        return;
      }
    }
    room_ready_.notify_all();
    for (auto& read : reads) read();
    reads.clear();
    if (!group.empty()) ExecuteGroup(group);
    group.clear();
  }
}

uint64_t Sequencer::Stamp() {
  const uint64_t now = options_.clock ? options_.clock() : WallClockNanos();
  last_timestamp_ = std::max(last_timestamp_, now);
  return last_timestamp_;
}

void Sequencer::ExecuteGroup(std::vector<Pending>& group) {
  const auto now = std::chrono::steady_clock::now();
  std::vector<storage::MarketInput> inputs;
  std::vector<Pending*> executed;
  inputs.reserve(group.size());
  executed.reserve(group.size());
  for (Pending& pending : group) {
    if (pending.deadline <= now) {
      pending.done(absl::DeadlineExceededError(
          "the deadline passed before the command was sequenced; it was not executed"));
      continue;
    }
    pending.command.set_timestamp_unix_nanos(Stamp());
    inputs.emplace_back(std::move(pending.command));
    executed.push_back(&pending);
  }
  if (inputs.empty()) return;

  const uint64_t first_sequence = market_.last_sequence() + 1;
  std::vector<pb::Event> events;
  std::vector<matcher::Outcome> outcomes;
  const absl::Status status = market_.ExecuteGroup(inputs, &events, &outcomes);
  if (!status.ok()) {
    bool first_failure = false;
    {
      const std::lock_guard lock(mutex_);
      first_failure = health_.ok();
      health_ = status;
    }
    if (first_failure && options_.on_journal_failure) options_.on_journal_failure(status);
    for (Pending* pending : executed) pending->done(status);
    return;
  }
  {
    const std::lock_guard lock(mutex_);
    last_sequence_ = market_.last_sequence();
  }
  // Events are in sequence order; hand each caller its own.
  size_t next = 0;
  for (size_t i = 0; i < executed.size(); ++i) {
    SequencedCommand result;
    result.sequence = first_sequence + i;
    result.duplicate = outcomes[i].kind == matcher::Outcome::Kind::kDuplicate;
    result.original_sequence = outcomes[i].original_sequence;
    while (next < events.size() && events[next].sequence() == result.sequence) {
      result.events.push_back(events[next++]);
    }
    executed[i]->done(std::move(result));
  }
  for (GroupListener* listener : listeners_) {
    listener->OnGroupDurable(market_.last_sequence(), events);
  }
}

}  // namespace market::server
