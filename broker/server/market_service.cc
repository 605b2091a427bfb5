// MarketService.Execute: the bulk path. One reader (this handler's thread)
// sequences commands as they arrive, without waiting for earlier ones, up to
// a window of commands in flight; one writer thread answers them in arrival
// order as each becomes durable. Results may come back in groups, so a client
// that pipelines gets group commit for free.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "broker/server/command_call.h"
#include "broker/server/services.h"
#include "broker/server/status.h"

namespace market::server {
namespace {

// Results in arrival order; shared with the completions, which may outlive a
// handler that returns early.
struct Window {
  struct Slot {
    std::string correlation_id;
    std::optional<absl::StatusOr<SequencedCommand>> result;
    std::optional<pb::CommandResult> immediate;  // answered without sequencing
  };
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Slot> slots;  // slots.front() is the next to write
  uint64_t base = 0;       // arrival index of slots.front()
  bool reading_done = false;
  bool writer_done = false;
  grpc::Status failure;

  bool Ready() const { return !slots.empty() && (slots.front().result || slots.front().immediate); }
};

void WriteResults(const ServiceContext& service, Window& window,
                  grpc::ServerReaderWriter<pb::CommandResult, pb::ExecuteRequest>* stream) {
  std::unique_lock lock(window.mutex);
  for (;;) {
    window.changed.wait(
        lock, [&] { return window.Ready() || (window.reading_done && window.slots.empty()); });
    if (!window.Ready()) break;
    Window::Slot slot = std::move(window.slots.front());
    window.slots.pop_front();
    ++window.base;
    lock.unlock();
    window.changed.notify_all();  // room in the window
    pb::CommandResult result;
    grpc::Status failed;
    if (slot.immediate) {
      result = std::move(*slot.immediate);
    } else if (!slot.result->ok()) {
      failed = ToGrpc(slot.result->status());
    } else if (absl::Status filled =
                   FillResult(*service.journal, **std::move(slot.result), &result);
               !filled.ok()) {
      failed = ToGrpc(filled);
    }
    result.set_correlation_id(slot.correlation_id);
    const bool written = failed.ok() && stream->Write(result);
    lock.lock();
    if (!written) {
      window.failure =
          failed.ok() ? grpc::Status(grpc::StatusCode::CANCELLED, "write failed") : failed;
      break;
    }
  }
  window.writer_done = true;
  lock.unlock();
  window.changed.notify_all();
}

pb::CommandResult RejectedUnsequenced(const absl::Status& status) {
  pb::CommandResult result;
  pb::Event* event = result.add_events();
  pb::CommandRejected* rejected = event->mutable_command_rejected();
  rejected->set_code(static_cast<pb::RejectCode>(status.code()));
  rejected->set_field("command");
  rejected->set_message(std::string(status.message()));
  return result;
}

}  // namespace

grpc::Status MarketServiceImpl::Execute(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<pb::CommandResult, pb::ExecuteRequest>* stream) {
  absl::StatusOr<auth::Principal> principal = Admit(service_, *context, {});
  if (!principal.ok()) return ToGrpc(principal.status());
  const std::string principal_text = principal->ToString();
  auto window = std::make_shared<Window>();
  std::thread writer([&] { WriteResults(service_, *window, stream); });

  pb::ExecuteRequest request;
  const Sequencer::Deadline deadline = DeadlineOf(*context);
  while (stream->Read(&request)) {
    std::unique_lock lock(window->mutex);
    window->changed.wait(lock, [&] {
      return window->writer_done || window->slots.size() < service_.limits.execute_window;
    });
    if (window->writer_done) break;
    const uint64_t index = window->base + window->slots.size();
    window->slots.push_back(Window::Slot{request.correlation_id(), std::nullopt, std::nullopt});
    lock.unlock();

    if (absl::Status size = CheckSize(service_, request.command(), "command"); !size.ok()) {
      const std::lock_guard relock(window->mutex);
      window->slots[index - window->base].immediate = RejectedUnsequenced(size);
      window->changed.notify_all();
      continue;
    }
    pb::Command command = std::move(*request.mutable_command());
    command.set_principal(principal_text);
    const absl::Status queued = service_.sequencer->SubmitWait(
        std::move(command), deadline, [window, index](absl::StatusOr<SequencedCommand> result) {
          const std::lock_guard relock(window->mutex);
          window->slots[index - window->base].result = std::move(result);
          window->changed.notify_all();
        });
    if (!queued.ok()) {
      const std::lock_guard relock(window->mutex);
      window->slots[index - window->base].result = queued;
      window->changed.notify_all();
    }
  }
  {
    const std::lock_guard lock(window->mutex);
    window->reading_done = true;
  }
  window->changed.notify_all();
  writer.join();
  // Completions still in flight (after a failed write) only touch `window`,
  // which they share.
  const std::lock_guard lock(window->mutex);
  return window->failure;
}

}  // namespace market::server
