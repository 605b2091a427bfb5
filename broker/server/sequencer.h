// Sequencer: the one thread that owns the matching engine.
//
// Commands from every RPC enter one bounded queue. The thread takes what is
// waiting (up to a group size) as a group, stamps each command with the wall
// clock (never going backwards), skips those whose caller's deadline passed,
// runs the group through the JournaledMarket (engine, then one durable journal
// append), and only then completes each caller and hands the group's events to
// the listeners (live streams, the Kafka publisher). While one group syncs the
// next one gathers, so group size follows the load without a timer.
//
// Invariants: completions run in sequence order, after the group is durable;
// a command is executed at most once; reads (Read) run on the engine thread
// between groups, so they see a state that is entirely journaled.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "marketplace/v1/command.pb.h"
#include "marketplace/v1/event.pb.h"
#include "storage/journaled_market.h"

namespace market::server {

// What a caller learns once its command is durable.
struct SequencedCommand {
  uint64_t sequence = 0;
  std::vector<marketplace::v1::Event> events;
  bool duplicate = false;
  uint64_t original_sequence = 0;  // for a duplicate
};

// Called on the sequencer thread; must be quick and must not call back into
// the sequencer.
using Completion = std::function<void(absl::StatusOr<SequencedCommand>)>;

// Told about every durable group, in order, on the sequencer thread.
class GroupListener {
 public:
  virtual ~GroupListener() = default;
  virtual void OnGroupDurable(uint64_t last_sequence,
                              std::span<const marketplace::v1::Event> events) = 0;
};

struct SequencerOptions {
  size_t queue_capacity = 65536;  // commands waiting; beyond it Submit says RESOURCE_EXHAUSTED
  size_t max_group = 1024;        // commands per journal append
  // Heap faulted in on the engine thread before its first command
  // (platform::ReserveHeap), so that the engine's growth takes no page
  // faults up to this size; 0: none.
  size_t reserve_heap_bytes = 0;
  // Wall clock in Unix nanoseconds; replaceable for tests.
  std::function<uint64_t()> clock = {};
  // Called once, on the sequencer thread, when a journal append fails: from
  // then on every command fails until the server is restarted.
  std::function<void(const absl::Status&)> on_journal_failure = {};
};

class Sequencer {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  Sequencer(storage::JournaledMarket& market, SequencerOptions options);
  ~Sequencer();
  Sequencer(const Sequencer&) = delete;
  Sequencer& operator=(const Sequencer&) = delete;

  // Listeners must be added before Start.
  void AddListener(GroupListener* listener) { listeners_.push_back(listener); }
  // Starts the engine thread; returns once its heap reserve (if any) is made.
  void Start();
  // How the heap reserve went (OK when none was asked); valid after Start.
  const absl::Status& heap_reserve() const { return heap_reserve_; }
  // Refuses new commands, executes what is queued, and joins the thread.
  void Stop();

  // Queues `command` (its principal already set by the caller). `done` runs
  // exactly once: with the result after the journal write is durable, or with
  // DEADLINE_EXCEEDED (not executed) or an error. Returns RESOURCE_EXHAUSTED
  // when the queue is full and UNAVAILABLE when stopped; `done` is then not
  // called.
  [[nodiscard]] absl::Status Submit(marketplace::v1::Command command, Deadline deadline,
                                    Completion done);
  // Like Submit, but waits for room instead of refusing (the bulk stream,
  // whose own window bounds what one caller has queued).
  [[nodiscard]] absl::Status SubmitWait(marketplace::v1::Command command, Deadline deadline,
                                        Completion done);

  // Runs `read` on the engine thread between groups and waits for it.
  [[nodiscard]] absl::Status Read(const std::function<void(const storage::JournaledMarket&)>& read);

  // The last durable sequence (any thread).
  uint64_t last_sequence() const;
  // Commands waiting (any thread).
  size_t queue_depth() const;
  // Non-OK once a journal append failed: the server must be restarted.
  absl::Status health() const;

 private:
  struct Pending {
    marketplace::v1::Command command;
    Deadline deadline;
    Completion done;
  };

  [[nodiscard]] absl::Status Enqueue(Pending pending, bool wait);
  void Run();
  void ExecuteGroup(std::vector<Pending>& group);
  uint64_t Stamp();

  storage::JournaledMarket& market_;
  const SequencerOptions options_;
  std::vector<GroupListener*> listeners_;

  mutable std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable room_ready_;
  std::deque<Pending> queue_;
  std::deque<std::function<void()>> reads_;
  bool stopping_ = false;
  bool started_ = false;
  bool running_ = false;  // the thread takes work (reads are refused otherwise)
  uint64_t last_sequence_ = 0;
  absl::Status health_;
  absl::Status heap_reserve_;  // written by Start before it returns

  uint64_t last_timestamp_ = 0;  // sequencer thread only
  std::thread thread_;
};

}  // namespace market::server
