// engine_bench: the matcher alone, in process, on the reference workload
// (WORKLOAD.md, `marketctl gen`) or on any Command JSON-lines file.
//
// Everything is parsed and converted to matcher commands before a clock
// starts; events go to a counting sink (no JSON, no proto on the measured
// path). Like the server, which builds each command just before running it,
// the harness has the next command loading while the engine runs the
// current one (--cold-input turns that off). The stream runs twice in fresh
// engines: once timed as a whole for throughput, once with a clock read
// around each command for latency. Both runs warm up untimed until
// `--warmup-resting` orders rest, then measure the rest of the stream.
// After each throughput run, the same commands go through a plain
// one-dimensional limit order book (bench/plain_book.h), timed the same
// way, so that the engine's speed can be read as a ratio to it measured
// in the same minute, which this VM's noise moves less than either.
#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "bench/plain_book.h"
#include "codec/command_codec.h"
#include "codec/json_lines.h"
#include "marketctl/workload.h"
#include "matcher/engine.h"
#include "matcher/order_id.h"
#include "platform/heap_reserve.h"

namespace {

using Clock = std::chrono::steady_clock;
using market::matcher::Command;
using market::matcher::Engine;

class CountingSink final : public market::matcher::EventSink {
 public:
  void OnEvent(uint32_t, const market::matcher::Event&) override { ++events; }
  uint64_t events = 0;
};

// One input line: a decoded command, or a line that was not a Command.
struct Input {
  Command command;
  bool malformed = false;
};

// With MARKET_PERF_CTL=<fifo> (perf record --control=fifo:<fifo> -D -1),
// perf samples only the measured loop of the throughput pass.
void PerfControl(const char* command) {
  if (const char* fifo = std::getenv("MARKET_PERF_CTL")) {
    std::ofstream ctl(fifo);
    ctl << command << std::endl;
  }
}

// Lock-step comparison (scripts/bench-engine-compare.sh, its default): two
// engine_bench processes, one a core, take turns through their measured
// loops, a slice of commands each, handing a token over two FIFOs in `dir`
// (a2b, b2a), and each times only its own slices. Whatever other tenants do
// to the machine then falls on both binaries alike, which separate runs on
// this VM cannot promise. Inactive (every call a no-op) without a dir.
class Lockstep {
 public:
  static constexpr size_t kSlice = 1024;  // commands a turn

  Lockstep(const std::string& dir, bool first) : first_(first) {
    if (dir.empty()) return;
    // O_RDWR: opening a FIFO so never blocks on the other side.
    mine_ = open((dir + (first ? "/a2b" : "/b2a")).c_str(), O_RDWR);
    theirs_ = open((dir + (first ? "/b2a" : "/a2b")).c_str(), O_RDWR);
    if (mine_ < 0 || theirs_ < 0) {
      std::perror("engine_bench: --lockstep-dir");
      std::exit(1);
    }
  }
  bool active() const { return mine_ >= 0; }
  // Before a measured loop: the first side waits until the other is ready;
  // the other says so and waits for the first slice to end.
  void Begin() {
    if (!active()) return;
    if (first_) {
      Wait();
    } else {
      Pass();
      Wait();
    }
  }
  // After each slice: hand over; wait for the next turn unless the other
  // side's last slice is the one to come (first side) or none is (other).
  void Turn(bool last) {
    if (!active()) return;
    Pass();
    if (first_ || !last) Wait();
  }

 private:
  void Pass() {
    const char token = 't';
    if (write(mine_, &token, 1) != 1) std::exit(1);
  }
  void Wait() {
    char token = 0;
    if (read(theirs_, &token, 1) != 1) std::exit(1);
  }
  bool first_;
  int mine_ = -1;
  int theirs_ = -1;
};

// What the process holds: its resident pages, and the bytes malloc has
// handed out (in the arenas and mapped on their own). With a heap reserve the
// resident size no longer grows with the book, but the bytes in use do.
struct Footprint {
  long resident = 0;
  long heap_in_use = 0;
};

Footprint MeasureFootprint() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0;
  long resident = 0;
  statm >> pages >> resident;
  const struct mallinfo2 heap = mallinfo2();
  return {resident * sysconf(_SC_PAGESIZE), static_cast<long>(heap.uordblks + heap.hblkhd)};
}

// Starts loading `bytes` from p, a cache line at a time (a hint; an asm
// statement, which the compiler cannot drop).
void Touch(const void* p, size_t bytes) {
  const char* c = static_cast<const char*>(p);
  for (size_t i = 0; i < bytes; i += 64) asm volatile("prefetcht0 %0" : : "m"(c[i]));
}

template <typename T>
void TouchList(const std::vector<T>& v) {
  if (!v.empty()) Touch(v.data(), v.size() * sizeof(T));
}

// Starts loading an input command, in two steps a command apart so that
// neither waits on a miss: first its struct (a pure hint), then, when its
// struct has arrived, its lists. In the server the codec builds each Command
// just before the engine runs it, so the engine meets it in cache; here the
// whole stream was decoded before the clock started (hundreds of megabytes),
// so without these hints every command would begin with cache misses on its
// own fields, a cost of the harness rather than of the engine
// (--cold-input measures it).
void WarmInputStruct(const Input& in) { Touch(&in, sizeof(Input)); }
void WarmInputLists(const Input& in) {
  if (const auto* r = std::get_if<market::matcher::SubmitRequest>(&in.command.body)) {
    TouchList(r->locations);
    TouchList(r->required_tags);
    TouchList(r->vendor_allowlist);
    TouchList(r->engagement_models);
  } else if (const auto* o = std::get_if<market::matcher::PublishOffer>(&in.command.body)) {
    TouchList(o->tags);
  }
}

// Executes inputs[k] after starting to load inputs[k + 2]'s struct and
// inputs[k + 1]'s lists (unless `cold_input`); with `pipeline`, first hints the engine about the
// two commands after it (Engine::Prefetch), as a caller holding a batch can.
void Execute(Engine& engine, const std::vector<Input>& inputs, size_t k, CountingSink& sink,
             bool pipeline, bool cold_input) {
  if (!cold_input) {
    if (k + 2 < inputs.size()) WarmInputStruct(inputs[k + 2]);
    if (k + 1 < inputs.size()) WarmInputLists(inputs[k + 1]);
  }
  if (pipeline) {
    if (k + 2 < inputs.size() && !inputs[k + 2].malformed) {
      engine.Prefetch(inputs[k + 2].command, Engine::PrefetchStage::kCodes);
    }
    if (k + 1 < inputs.size() && !inputs[k + 1].malformed) {
      engine.Prefetch(inputs[k + 1].command, Engine::PrefetchStage::kState);
    }
  }
  const Input& in = inputs[k];
  const uint64_t seq = engine.last_sequence() + 1;
  if (in.malformed) {
    engine.RejectMalformed(seq, "", "not a Command", sink);
  } else {
    engine.Execute(seq, in.command, sink);
  }
}

// The commands as the plain book sees them: requests buy and offers sell
// (price = max_rate or rate, quantity = FTE) in a book per role; cancels,
// withdrawals and amends name their order; the rest is nothing to it.
std::vector<market::bench::PlainCommand> ToPlainCommands(const std::vector<Input>& inputs) {
  using market::bench::PlainCommand;
  namespace m = market::matcher;
  absl::flat_hash_map<std::string, uint32_t> books;
  auto book = [&](const std::string& role) {
    return books.try_emplace(role, static_cast<uint32_t>(books.size())).first->second;
  };
  auto ioc = [](int32_t time_in_force) {
    return time_in_force == static_cast<int32_t>(m::TimeInForce::kIoc);
  };
  std::vector<PlainCommand> out(inputs.size());
  for (size_t k = 0; k < inputs.size(); ++k) {
    if (inputs[k].malformed) continue;
    const uint64_t seq = k + 1;  // the engine's sequence, hence the order's id
    PlainCommand& p = out[k];
    const auto& body = inputs[k].command.body;
    if (const auto* r = std::get_if<m::SubmitRequest>(&body)) {
      p = PlainCommand::Order(true, book(r->role), seq, r->max_rate, r->fte_milli,
                              ioc(r->time_in_force));
    } else if (const auto* o = std::get_if<m::PublishOffer>(&body)) {
      p = PlainCommand::Order(false, book(o->role), seq, o->rate, o->fte_milli,
                              ioc(o->time_in_force));
    } else if (const auto* c = std::get_if<m::CancelRequest>(&body)) {
      p = PlainCommand::Cancel(m::ParseOrderId(c->request_id, 'R'));
    } else if (const auto* w = std::get_if<m::WithdrawOffer>(&body)) {
      p = PlainCommand::Cancel(m::ParseOrderId(w->offer_id, 'O'));
    } else if (const auto* a = std::get_if<m::AmendRequest>(&body)) {
      p = PlainCommand::Amend(m::ParseOrderId(a->request_id, 'R'), a->max_rate, a->fte_milli);
    } else if (const auto* b = std::get_if<m::AmendOffer>(&body)) {
      p = PlainCommand::Amend(m::ParseOrderId(b->offer_id, 'O'), b->rate, b->fte_milli);
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"engine_bench: matcher throughput, latency and memory"};
  std::string file;
  market::tools::WorkloadOptions gen;
  gen.commands = 600000;
  size_t warmup_resting = 100000;
  int repeat = 3;
  bool pipeline = false;
  bool reserve = false;
  app.add_option("--workload-file", file, "Command JSON lines to run (default: generated)");
  app.add_option("--seed", gen.seed, "Reference workload seed")->capture_default_str();
  app.add_option("--commands", gen.commands, "Reference workload order-flow commands")
      ->capture_default_str();
  app.add_option("--warmup-resting", warmup_resting,
                 "Run untimed until this many orders rest, then measure")
      ->capture_default_str();
  app.add_option("--repeat", repeat,
                 "Run each pass this many times in fresh engines (median throughput, "
                 "latency percentiles over all runs)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_flag("--pipeline", pipeline,
               "Hint the engine about the next two commands before each one (Engine::Prefetch); "
               "the server does not do this yet");
  std::string lockstep_dir;
  bool lockstep_first = false;
  app.add_option("--lockstep-dir", lockstep_dir,
                 "Take turns with another engine_bench through the FIFOs a2b and b2a in this "
                 "directory, timing only our own slices (as scripts/bench-engine-compare.sh "
                 "does)");
  app.add_flag("--lockstep-first", lockstep_first, "With --lockstep-dir: we take the first turn");
  bool cold_input = false;
  app.add_flag("--cold-input", cold_input,
               "Do not start loading the next command before each one (every command then "
               "begins with cache misses on its own fields, which the server does not have)");
  app.add_flag("--reserve", reserve,
               "Size the idempotency index for the whole stream up front "
               "(Engine::ReserveClientRefs), so that it never rehashes while measured");
  size_t reserve_heap_mb = 0;
  app.add_option("--reserve-heap-mb", reserve_heap_mb,
                 "Fault in this much heap before the first run (platform::ReserveHeap), as "
                 "marketd --reserve-heap-mb does, so that no run pays page faults for growing "
                 "its heap")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  Lockstep lockstep(lockstep_dir, lockstep_first);

  std::vector<Input> inputs;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) {
      std::cerr << "engine_bench: cannot read " << file << "\n";
      return 1;
    }
    std::string line;
    while (std::getline(in, line)) {
      if (market::codec::IsBlankLine(line)) continue;
      auto parsed = market::codec::ParseCommandJson(line);
      Input input;
      if (parsed.ok()) {
        input.command = market::codec::FromProto(*parsed);
      } else {
        input.malformed = true;
      }
      inputs.push_back(std::move(input));
    }
  } else {
    market::tools::GenerateWorkload(gen, [&](const marketplace::v1::Command& c) {
      inputs.push_back(Input{market::codec::FromProto(c), false});
    });
  }

  if (const absl::Status reserved = market::platform::ReserveHeap(reserve_heap_mb << 20);
      !reserved.ok()) {
    std::cerr << "engine_bench: " << reserved << "\n";
    return 1;
  }

  // Both passes run the same prefix untimed: the reference data (up to the
  // first order), then orders until `warmup_resting` rest.
  auto is_order = [](const Input& in) {
    return std::holds_alternative<market::matcher::SubmitRequest>(in.command.body) ||
           std::holds_alternative<market::matcher::PublishOffer>(in.command.body);
  };
  const size_t first_order =
      static_cast<size_t>(std::find_if(inputs.begin(), inputs.end(), is_order) - inputs.begin());
  CountingSink sink;
  auto warm_up = [&](Engine& engine) {
    if (reserve) engine.ReserveClientRefs(inputs.size());
    size_t i = 0;
    for (; i < first_order; ++i) Execute(engine, inputs, i, sink, pipeline, cold_input);
    const Footprint before = MeasureFootprint();
    while (i < inputs.size() && engine.open_requests() + engine.open_offers() < warmup_resting) {
      Execute(engine, inputs, i++, sink, pipeline, cold_input);
    }
    return std::pair<size_t, Footprint>(i, before);
  };

  // Pass 1: throughput, and memory per resting order; `repeat` times; each
  // run followed by the plain book's.
  const std::vector<market::bench::PlainCommand> plain_inputs = ToPlainCommands(inputs);
  std::vector<double> plain_rates;
  std::vector<double> ratios;  // engine / plain, run by run
  size_t plain_resting = 0;
  std::vector<double> rates;
  size_t measured = 0;
  long resident_per_order = 0;
  long heap_per_order = 0;
  uint64_t digest_throughput = 0;
  for (int run = 0; run < repeat; ++run) {
    Engine engine;
    const auto [start, footprint_before] = warm_up(engine);
    const size_t resting = engine.open_requests() + engine.open_offers();
    if (run == 0) {
      const Footprint after = MeasureFootprint();
      const long orders = std::max<long>(1, static_cast<long>(resting));
      resident_per_order = (after.resident - footprint_before.resident) / orders;
      heap_per_order = (after.heap_in_use - footprint_before.heap_in_use) / orders;
    }
    const uint64_t events_before = sink.events;
    PerfControl("enable");
    lockstep.Begin();
    Clock::duration elapsed{};
    for (size_t k = start; k < inputs.size();) {
      const size_t end =
          lockstep.active() ? std::min(inputs.size(), k + Lockstep::kSlice) : inputs.size();
      const auto t0 = Clock::now();
      for (; k < end; ++k) Execute(engine, inputs, k, sink, pipeline, cold_input);
      elapsed += Clock::now() - t0;
      lockstep.Turn(k == inputs.size());
    }
    PerfControl("disable");
    measured = inputs.size() - start;
    rates.push_back(static_cast<double>(measured) / std::chrono::duration<double>(elapsed).count());
    const uint64_t digest = engine.StateDigest();
    if (run > 0 && digest != digest_throughput) {
      std::printf("digests differ between runs\n");
      return 1;
    }
    digest_throughput = digest;
    if (!lockstep.active()) {
      // The plain book: the same prefix untimed, the same commands timed;
      // its measured part is short (milliseconds), so the median of five.
      std::vector<double> runs;
      for (int p = 0; p < 5; ++p) {
        market::bench::PlainBook plain;
        for (size_t k = 0; k < start; ++k) plain.Execute(plain_inputs[k]);
        const auto t0 = Clock::now();
        for (size_t k = start; k < plain_inputs.size(); ++k) plain.Execute(plain_inputs[k]);
        runs.push_back(static_cast<double>(plain_inputs.size() - start) /
                       std::chrono::duration<double>(Clock::now() - t0).count());
        plain_resting = plain.resting();
      }
      std::sort(runs.begin(), runs.end());
      plain_rates.push_back(runs[runs.size() / 2]);
      ratios.push_back(rates.back() / plain_rates.back());
    }
    if (run > 0) continue;
    std::printf("workload: %s\n", file.empty()
                                      ? ("reference, seed " + std::to_string(gen.seed) + ", " +
                                         std::to_string(gen.commands) + " order-flow commands")
                                            .c_str()
                                      : file.c_str());
    std::printf("resting orders: %zu at measure start, %zu at end; events measured: %llu\n",
                resting, engine.open_requests() + engine.open_offers(),
                static_cast<unsigned long long>(sink.events - events_before));
  }

  // Pass 2: latency per command, same stream in fresh engines.
  std::vector<uint32_t> latency_ns;
  std::vector<std::vector<uint32_t>> latency_by_kind(
      std::variant_size_v<market::matcher::CommandBody>);
  uint64_t digest_latency = 0;
  for (int run = 0; run < repeat; ++run) {
    Engine engine;
    size_t i = warm_up(engine).first;
    latency_ns.reserve(latency_ns.size() + inputs.size() - i);
    lockstep.Begin();
    for (; i < inputs.size(); ++i) {
      if (i % Lockstep::kSlice == 0) lockstep.Turn(false);
      const auto t0 = Clock::now();
      Execute(engine, inputs, i, sink, pipeline, cold_input);
      const auto t1 = Clock::now();
      const auto ns = static_cast<uint32_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
      latency_ns.push_back(ns);
      latency_by_kind[inputs[i].command.body.index()].push_back(ns);
    }
    lockstep.Turn(true);
    digest_latency = engine.StateDigest();
  }
  std::sort(latency_ns.begin(), latency_ns.end());
  auto pct = [&](double p) {
    if (latency_ns.empty()) return 0u;
    return latency_ns[std::min(latency_ns.size() - 1,
                               static_cast<size_t>(p * static_cast<double>(latency_ns.size())))];
  };

  std::printf("commands measured: %zu\n", measured);
  std::sort(rates.begin(), rates.end());
  std::printf("throughput: %.0f commands/s (median of %d runs; range %.0f-%.0f)\n",
              rates[rates.size() / 2], repeat, rates.front(), rates.back());
  std::printf("latency ns: p50 %u  p99 %u  p99.9 %u  max %u\n", pct(0.50), pct(0.99), pct(0.999),
              latency_ns.empty() ? 0u : latency_ns.back());
  if (!ratios.empty()) {
    std::sort(plain_rates.begin(), plain_rates.end());
    std::sort(ratios.begin(), ratios.end());
    std::printf(
        "plain book (one per role, price/time only; %zu resting at end): %.0f commands/s "
        "(median; range %.0f-%.0f); engine / plain: %.3f (median of the runs' ratios; range "
        "%.3f-%.3f)\n",
        plain_resting, plain_rates[plain_rates.size() / 2], plain_rates.front(), plain_rates.back(),
        ratios[ratios.size() / 2], ratios.front(), ratios.back());
  }
  if (reserve_heap_mb == 0) {
    std::printf("resident bytes per resting order: %ld\n", resident_per_order);
  } else {
    std::printf(
        "resident bytes per resting order: not measured (the heap reserve is resident "
        "from the start; run with --reserve-heap-mb 0)\n");
  }
  std::printf("heap bytes in use per resting order: %ld\n", heap_per_order);
  static constexpr const char* kKinds[] = {
      "empty",           "submit_request",     "amend_request",   "cancel_request",
      "publish_offer",   "amend_offer",        "withdraw_offer",  "define_role",
      "define_location", "upsert_participant", "upsert_contract", "patch_rate_card"};
  for (size_t k = 0; k < latency_by_kind.size(); ++k) {
    auto& v = latency_by_kind[k];
    if (v.empty()) continue;
    std::sort(v.begin(), v.end());
    double sum = 0;
    for (uint32_t ns : v) sum += ns;
    std::printf("  %-16s n=%-7zu mean %6.0f  p50 %6u  p99 %7u  p99.9 %7u ns\n", kKinds[k], v.size(),
                sum / static_cast<double>(v.size()), v[v.size() / 2],
                v[std::min(v.size() - 1, v.size() * 99 / 100)],
                v[std::min(v.size() - 1, v.size() * 999 / 1000)]);
  }
  std::printf("digests equal across passes: %s\n",
              digest_throughput == digest_latency ? "yes" : "NO");
  return digest_throughput == digest_latency ? 0 : 1;
}
