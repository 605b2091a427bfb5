// journal_bench: the durable path (issue 3), the engine behind a RocksDB
// journal with its current-state records (storage/journaled_market.h), on
// the reference workload (WORKLOAD.md, `marketctl gen`) or on any Command
// JSON-lines file.
//
// Everything is parsed before any clock starts. Three phases:
//
//   1. Journaled throughput: for each group size G in {1, 16, 256}, a fresh
//      journal with SyncPolicy::kAlways; the reference data runs untimed,
//      then the order flow is timed through JournaledMarket::ExecuteGroup, G
//      commands a group (one synced WriteBatch each, holding the group's
//      commands, events and state records). Beside it, in the same run, raw
//      RocksDB writes the same key/value bytes in the same groups (one
//      WriteBatch with WriteOptions.sync = true a group) into a fresh
//      database with the journal's column families and options. Each
//      configuration runs --repeat pairs, alternating which side goes first;
//      the figure is the median of the pairs' ratios journaled / raw. G = 256
//      runs once more with kNever (and raw without sync) for reference. A
//      forwarding journal times Append, so each journaled command splits into
//      execution (engine, entry encoding, state lookups and encoding) and
//      Journal::Append.
//   2. Replay verification: VerifyJournal (every event compared, then the
//      stored state loaded into a second engine and its digest compared) over
//      a full phase 1 journal, and over a journal of the reference data alone,
//      so that the order flow's rate is the difference (the reference data's
//      1.4M rate-card entries cost a fixed second or so).
//   3. Recovery: OpenRocksJournal + JournaledMarket::Open (loading the stored
//      state) on a journal whose order flow leaves --recovery-resting orders
//      resting, split into reading + decoding the records and
//      Engine::Restore; then the same journal recovered by re-execution
//      (Recovery::kReExecute) for comparison. The stream is generated in
//      process (GenerateWorkload): a bare codec::Simulator pass finds its
//      length (and times the engine alone on it), then the same prefix is
//      journaled with kNever, 1,024 a group.
//
// The bytes raw RocksDB writes come from untimed passes of the same inputs
// through a JournaledMarket over a MemoryJournal (one per group size, since
// the state records a group writes depend on how commands are grouped),
// encoded with the journal's own record format; phase 2 checks that the
// RocksDB journal holds exactly those entries.
#include <CLI/CLI.hpp>

#include <stdlib.h>  // mkdtemp
#include <time.h>    // clock_gettime
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "codec/json_lines.h"
#include "codec/simulator.h"
#include "marketctl/workload.h"
#include "marketplace/v1/command.pb.h"
#include "marketplace/v1/event.pb.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/record_format.h"
#include "storage/journal.h"
#include "storage/journaled_market.h"

namespace {

namespace fs = std::filesystem;
namespace pb = marketplace::v1;
using Clock = std::chrono::steady_clock;
using market::storage::Journal;
using market::storage::JournaledMarket;
using market::storage::JournalEntry;
using market::storage::MarketInput;
using market::storage::SyncPolicy;

// The reference data runs untimed in groups of this size, in every database.
constexpr size_t kReferenceGroup = 64;
// Phase 3 journals the generated stream this many commands a group.
constexpr size_t kRecoveryGroup = 1024;

// With MARKET_PERF_CTL=<fifo> (perf record --control=fifo:<fifo> -D -1),
// perf samples only phase 3's recovery (as in engine_bench).
void PerfControl(const char* command) {
  if (const char* fifo = std::getenv("MARKET_PERF_CTL")) {
    std::ofstream ctl(fifo);
    ctl << command << std::endl;
  }
}

double Seconds(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// CPU seconds of this process so far (every thread, RocksDB's included).
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "journal_bench: %s\n", what.c_str());
  std::exit(2);
}

void Check(const absl::Status& status, const std::string& what) {
  if (!status.ok()) Die(what + ": " + status.ToString());
}

template <typename T>
T Check(absl::StatusOr<T> value, const std::string& what) {
  Check(value.status(), what);
  return std::move(*value);
}

void CheckRocks(const rocksdb::Status& status, const std::string& what) {
  if (!status.ok()) Die(what + ": " + status.ToString());
}

// "1234567" -> "1,234,567"
std::string Grouped(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// Microseconds at quantile q of `ns` (sorted in place).
double QuantileUs(std::vector<uint64_t>& ns, double q) {
  if (ns.empty()) return 0;
  std::sort(ns.begin(), ns.end());
  const size_t i = std::min(ns.size() - 1, static_cast<size_t>(q * static_cast<double>(ns.size())));
  return static_cast<double>(ns[i]) / 1000.0;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

uint64_t DirectoryBytes(const fs::path& dir) {
  uint64_t bytes = 0;
  std::error_code error;
  for (const auto& file : fs::recursive_directory_iterator(dir, error)) {
    if (file.is_regular_file(error)) bytes += file.file_size(error);
  }
  return bytes;
}

// The scratch directory: --data-dir (emptied first, left in place), or a
// mkdtemp directory under /tmp removed at exit.
class Scratch {
 public:
  explicit Scratch(const std::string& dir) {
    if (dir.empty()) {
      std::string templ = "/tmp/journal_bench.XXXXXX";
      if (mkdtemp(templ.data()) == nullptr) Die("cannot create a directory under /tmp");
      root_ = templ;
      owned_ = true;
    } else {
      root_ = dir;
      std::error_code error;
      fs::remove_all(root_, error);
      fs::create_directories(root_, error);
      if (error) Die("cannot recreate " + dir + ": " + error.message());
    }
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() {
    std::error_code error;
    if (owned_) fs::remove_all(root_, error);
  }

  // A path under the root that does not exist (removed when it did).
  std::string Fresh(const std::string& name) const {
    Remove(name);
    return (root_ / name).string();
  }
  void Remove(const std::string& name) const {
    std::error_code error;
    fs::remove_all(root_ / name, error);
  }
  const fs::path& root() const { return root_; }

 private:
  fs::path root_;
  bool owned_ = false;
};

// The parsed workload: reference data in [0, first_order), order flow after.
struct Workload {
  std::vector<MarketInput> inputs;
  size_t first_order = 0;
  std::string name;
};

bool IsOrder(const pb::Command& command) {
  return command.has_submit_request() || command.has_publish_offer();
}

Workload ReadWorkload(const std::string& file, uint64_t order_flow_cap) {
  Workload w;
  w.name = file;
  std::ifstream in(file);
  if (!in) Die("cannot read " + file);
  bool seen_order = false;
  std::string line;
  while (std::getline(in, line)) {
    if (market::codec::IsBlankLine(line)) continue;
    auto parsed = market::codec::ParseCommandJson(line);
    if (parsed.ok()) {
      if (!seen_order && IsOrder(*parsed)) {
        seen_order = true;
        w.first_order = w.inputs.size();
      }
      w.inputs.emplace_back(std::move(*parsed));
    } else {
      w.inputs.emplace_back(market::storage::MalformedInput{line});
    }
    if (seen_order && w.inputs.size() - w.first_order >= order_flow_cap) break;
  }
  if (!seen_order) w.first_order = w.inputs.size();
  return w;
}

Workload GenerateInputs(const market::tools::WorkloadOptions& options) {
  Workload w;
  w.name = "reference, seed " + std::to_string(options.seed) + ", " + Grouped(options.commands) +
           " order-flow commands (generated)";
  bool seen_order = false;
  market::tools::GenerateWorkload(options, [&](const pb::Command& c) {
    if (!seen_order && IsOrder(c)) {
      seen_order = true;
      w.first_order = w.inputs.size();
    }
    w.inputs.emplace_back(c);
  });
  if (!seen_order) w.first_order = w.inputs.size();
  return w;
}

// Runs `inputs[from, to)` through `market`, `group` at a time; the time of
// each group in nanoseconds goes to *group_ns when given.
void RunGroups(JournaledMarket& market, const Workload& w, size_t from, size_t to, size_t group,
               std::vector<uint64_t>* group_ns) {
  std::vector<pb::Event> events;
  const std::span<const MarketInput> all(w.inputs);
  for (size_t i = from; i < to; i += group) {
    const size_t n = std::min(group, to - i);
    events.clear();
    const auto t0 = Clock::now();
    const absl::Status status = market.ExecuteGroup(all.subspan(i, n), &events);
    const auto t1 = Clock::now();
    Check(status, "executing sequences from " + std::to_string(i + 1));
    if (group_ns != nullptr) {
      group_ns->push_back(static_cast<uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
    }
  }
}

// One timed pass over the order flow.
struct Pass {
  size_t commands = 0;
  double seconds = 0;
  double append_seconds = 0;  // journaled passes: inside Journal::Append
  std::vector<uint64_t> group_ns;

  double rate() const { return seconds > 0 ? static_cast<double>(commands) / seconds : 0; }
};

// Forwards to a journal and adds up the time its Append takes, so that a
// journaled group splits into execution (engine, entry and state encoding)
// and Append.
class TimedJournal final : public Journal {
 public:
  explicit TimedJournal(std::unique_ptr<Journal> inner) : inner_(std::move(inner)) {}
  absl::Status Append(std::span<const JournalEntry> group) override { return Append(group, {}); }
  absl::Status Append(std::span<const JournalEntry> group,
                      std::span<const market::storage::StateChange> state) override {
    const auto t0 = Clock::now();
    absl::Status status = inner_->Append(group, state);
    *append_seconds_ += Seconds(t0, Clock::now());
    return status;
  }
  absl::Status ReadState(std::string_view prefix,
                         const market::storage::StateVisitor& visit) const override {
    return inner_->ReadState(prefix, visit);
  }
  uint64_t last_sequence() const override { return inner_->last_sequence(); }
  absl::Status Read(uint64_t from, uint64_t to,
                    const std::function<absl::Status(const JournalEntry&)>& visit) const override {
    return inner_->Read(from, to, visit);
  }
  absl::Status Checkpoint(const std::string& to) const override { return inner_->Checkpoint(to); }
  absl::StatusOr<uint64_t> ReadCursor(std::string_view name) const override {
    return inner_->ReadCursor(name);
  }
  absl::Status WriteCursor(std::string_view name, uint64_t sequence) override {
    return inner_->WriteCursor(name, sequence);
  }
  // Shared, so that it outlives the journal the market owns.
  std::shared_ptr<double> append_seconds() const { return append_seconds_; }

 private:
  std::unique_ptr<Journal> inner_;
  std::shared_ptr<double> append_seconds_ = std::make_shared<double>(0);
};

Pass RunJournaled(const std::string& dir, SyncPolicy sync, const Workload& w, size_t end,
                  size_t group) {
  market::storage::RocksJournalOptions options;
  options.sync = sync;
  auto journal = std::make_unique<TimedJournal>(
      Check(market::storage::OpenRocksJournal(dir, options), "opening " + dir));
  const std::shared_ptr<double> append_seconds = journal->append_seconds();
  auto market = Check(JournaledMarket::Open(std::move(journal)), "opening the market in " + dir);
  RunGroups(*market, w, 0, w.first_order, kReferenceGroup, nullptr);
  Pass pass;
  pass.commands = end - w.first_order;
  pass.group_ns.reserve(pass.commands / group + 1);
  *append_seconds = 0;
  const auto t0 = Clock::now();
  RunGroups(*market, w, w.first_order, end, group, &pass.group_ns);
  const auto t1 = Clock::now();
  pass.seconds = Seconds(t0, t1);
  pass.append_seconds = *append_seconds;
  return pass;
}

// The exact key/value records RocksJournal writes for each entry, encoded by
// the journal's own record format (storage/internal/record_format.h).
enum RawFamily : uint8_t { kRawCommands = 1, kRawEvents = 2, kRawMeta = 3, kRawState = 4 };

struct RawRecord {
  RawFamily family;
  std::string key;
  std::string value;
};

struct RawRecords {
  std::vector<RawRecord> records;
  std::vector<size_t> first;  // entry k (sequence k + 1) owns records[first[k], first[k + 1])
};

RawRecords EncodeRecords(const std::vector<JournalEntry>& entries) {
  namespace internal = market::storage::internal;
  RawRecords raw;
  raw.first.reserve(entries.size() + 1);
  for (const JournalEntry& e : entries) {
    raw.first.push_back(raw.records.size());
    raw.records.push_back({kRawCommands, internal::CommandKey(e.sequence),
                           internal::CommandValue(e.kind, e.payload)});
    for (uint32_t i = 0; i < e.events.size(); ++i) {
      raw.records.push_back(
          {kRawEvents, internal::EventKey(e.sequence, i), internal::EventValue(e.events[i])});
    }
  }
  raw.first.push_back(raw.records.size());
  return raw;
}

// The state records each Append of a JournaledMarket writes, framed as
// RocksJournal frames them (crc32c over key and body): one list per Append,
// in order. They depend on how the commands are grouped (an order touched
// twice in a group is written once), so they are captured per group size.
using StateGroups = std::vector<std::vector<RawRecord>>;

class RecordingJournal final : public Journal {
 public:
  absl::Status Append(std::span<const JournalEntry> group) override { return Append(group, {}); }
  absl::Status Append(std::span<const JournalEntry> group,
                      std::span<const market::storage::StateChange> state) override {
    std::vector<RawRecord>& records = groups_->emplace_back();
    for (const market::storage::StateChange& change : state) {
      if (change.op != market::storage::StateChange::Op::kPut) Die("a group deletes state");
      records.push_back(
          {kRawState, change.key, market::storage::internal::StateValue(change.key, change.value)});
    }
    return inner_.Append(group, state);
  }
  absl::Status ReadState(std::string_view prefix,
                         const market::storage::StateVisitor& visit) const override {
    return inner_.ReadState(prefix, visit);
  }
  uint64_t last_sequence() const override { return inner_.last_sequence(); }
  absl::Status Read(uint64_t from, uint64_t to,
                    const std::function<absl::Status(const JournalEntry&)>& visit) const override {
    return inner_.Read(from, to, visit);
  }
  absl::Status Checkpoint(const std::string& to) const override { return inner_.Checkpoint(to); }
  absl::StatusOr<uint64_t> ReadCursor(std::string_view name) const override {
    return inner_.ReadCursor(name);
  }
  absl::Status WriteCursor(std::string_view name, uint64_t sequence) override {
    return inner_.WriteCursor(name, sequence);
  }
  std::shared_ptr<StateGroups> groups() const { return groups_; }

 private:
  market::storage::MemoryJournal inner_;
  std::shared_ptr<StateGroups> groups_ = std::make_shared<StateGroups>();
};

// Keeps nothing: what ExecuteGroup costs without any storage. With
// `keeps_state` it answers ReadState (with no records, so a new market keeps
// its state in sync and builds every group's state records); without, it
// has no state and a market opened by re-execution builds none.
class NullJournal final : public Journal {
 public:
  explicit NullJournal(bool keeps_state) : keeps_state_(keeps_state) {}
  absl::Status Append(std::span<const JournalEntry> group) override { return Append(group, {}); }
  absl::Status Append(std::span<const JournalEntry> group,
                      std::span<const market::storage::StateChange> state) override {
    if (!state.empty() && !keeps_state_) Die("state written to a journal without state");
    if (!group.empty()) last_ = group.back().sequence;
    return absl::OkStatus();
  }
  absl::Status ReadState(std::string_view prefix,
                         const market::storage::StateVisitor& visit) const override {
    if (keeps_state_) return absl::OkStatus();
    return Journal::ReadState(prefix, visit);  // UNIMPLEMENTED
  }
  uint64_t last_sequence() const override { return last_; }
  absl::Status Read(uint64_t, uint64_t,
                    const std::function<absl::Status(const JournalEntry&)>&) const override {
    return absl::OkStatus();
  }
  absl::Status Checkpoint(const std::string&) const override {
    return absl::UnimplementedError("no files");
  }
  absl::StatusOr<uint64_t> ReadCursor(std::string_view) const override { return 0; }
  absl::Status WriteCursor(std::string_view, uint64_t) override { return absl::OkStatus(); }

 private:
  const bool keeps_state_;
  uint64_t last_ = 0;
};

// Order-flow commands a second through ExecuteGroup over a NullJournal, G =
// 256: the engine, the entry encoding and (with `state`) the state records.
double ExecuteOnlyRate(const Workload& w, bool state) {
  auto market =
      Check(JournaledMarket::Open(std::make_unique<NullJournal>(state),
                                  {.recovery = state ? market::storage::Recovery::kLoadState
                                                     : market::storage::Recovery::kReExecute,
                                   .data_dir = ""}),
            "opening the null market");
  if (market->state_in_sync() != state) Die("the null market's state is not as asked");
  RunGroups(*market, w, 0, w.first_order, kReferenceGroup, nullptr);
  const auto t0 = Clock::now();
  RunGroups(*market, w, w.first_order, w.inputs.size(), 256, nullptr);
  return static_cast<double>(w.inputs.size() - w.first_order) / Seconds(t0, Clock::now());
}

// The state records of a JournaledMarket run over the reference data in
// groups of kReferenceGroup, then the order flow up to `end` in groups of
// `group`: exactly the Appends RunJournaled makes.
StateGroups CaptureState(const Workload& w, size_t end, size_t group) {
  auto journal = std::make_unique<RecordingJournal>();
  const std::shared_ptr<StateGroups> groups = journal->groups();
  auto market = Check(JournaledMarket::Open(std::move(journal)), "opening the recording market");
  RunGroups(*market, w, 0, w.first_order, kReferenceGroup, nullptr);
  RunGroups(*market, w, w.first_order, end, group, nullptr);
  return std::move(*groups);
}

// Plain RocksDB with the journal's column families and options
// (rocks_journal.cc), so that only the journal's own work differs.
class RawDb {
 public:
  explicit RawDb(const std::string& dir) {
    rocksdb::DBOptions options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    options.max_open_files = 512;
    options.paranoid_checks = true;
    options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
    options.max_log_file_size = 16 << 20;
    options.keep_log_file_num = 4;
    rocksdb::ColumnFamilyOptions family;
    family.compaction_style = rocksdb::kCompactionStyleLevel;
    family.level_compaction_dynamic_level_bytes = true;
    rocksdb::BlockBasedTableOptions table;
    table.filter_policy = nullptr;
    family.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* name : {"default", "commands", "events", "meta", "state"}) {
      families.emplace_back(name, family);
    }
    rocksdb::DB* db = nullptr;
    CheckRocks(rocksdb::DB::Open(options, dir, families, &handles_, &db), "opening raw " + dir);
    db_.reset(db);
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  ~RawDb() {
    for (rocksdb::ColumnFamilyHandle* handle : handles_)
      (void)db_->DestroyColumnFamilyHandle(handle);
    (void)db_->Close();
  }

  // One WriteBatch: the records of entries [from, to), meta last_sequence
  // and the group's state records.
  void WriteGroup(const RawRecords& raw, size_t from, size_t to,
                  const std::vector<RawRecord>& state, bool sync) {
    rocksdb::WriteBatch batch;
    for (size_t r = raw.first[from]; r < raw.first[to]; ++r) {
      const RawRecord& record = raw.records[r];
      const rocksdb::Status put = batch.Put(handles_[record.family], record.key, record.value);
      if (!put.ok()) CheckRocks(put, "batch put");
    }
    for (const RawRecord& record : state) {
      const rocksdb::Status put = batch.Put(handles_[record.family], record.key, record.value);
      if (!put.ok()) CheckRocks(put, "batch put");
    }
    CheckRocks(
        batch.Put(handles_[kRawMeta], std::string(market::storage::internal::kMetaLastSequence),
                  market::storage::internal::EncodeU64(to)),
        "batch put");
    rocksdb::WriteOptions write;
    write.sync = sync;
    CheckRocks(db_->Write(write, &batch), "raw write");
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

Pass RunRaw(const std::string& dir, bool sync, const RawRecords& raw, const StateGroups& state,
            size_t first_order, size_t end, size_t group) {
  RawDb db(dir);
  size_t k = 0;  // the Append this write stands for
  for (size_t i = 0; i < first_order; i += kReferenceGroup, ++k) {
    db.WriteGroup(raw, i, std::min(first_order, i + kReferenceGroup), state.at(k), sync);
  }
  Pass pass;
  pass.commands = end - first_order;
  pass.group_ns.reserve(pass.commands / group + 1);
  const auto t0 = Clock::now();
  for (size_t i = first_order; i < end; i += group, ++k) {
    const auto g0 = Clock::now();
    db.WriteGroup(raw, i, std::min(end, i + group), state.at(k), sync);
    const auto g1 = Clock::now();
    pass.group_ns.push_back(static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(g1 - g0).count()));
  }
  const auto t1 = Clock::now();
  pass.seconds = Seconds(t0, t1);
  return pass;
}

// Phase 3: the recovery journal. First the generated stream runs through a
// bare codec::Simulator until `target` orders rest (or the budget runs out):
// that fixes its length and times the engine alone on it (proto in, proto
// events out; no journal, no encoding). Then the same prefix (the stream's
// prefix does not depend on WorkloadOptions::commands) is journaled in `dir`.
struct RecoveryJournal {
  uint64_t commands = 0;
  uint64_t order_flow = 0;
  size_t resting = 0;
  uint64_t digest = 0;
  double simulator_seconds = 0;  // Simulator::Execute alone, summed
  double build_seconds = 0;
  bool reached_target = false;
};

RecoveryJournal BuildRecoveryJournal(const std::string& dir, uint64_t seed, size_t target,
                                     uint64_t max_order_flow, double budget_seconds) {
  RecoveryJournal built;
  market::tools::WorkloadOptions gen;
  gen.seed = seed;
  gen.commands = max_order_flow;
  {
    market::codec::Simulator simulator;
    std::vector<pb::Event> events;
    bool done = false;
    bool seen_order = false;
    const auto t0 = Clock::now();
    market::tools::GenerateWorkload(gen, [&](const pb::Command& c) {
      if (done) return;  // the rest of the stream is generated and dropped
      seen_order = seen_order || IsOrder(c);
      if (seen_order) ++built.order_flow;
      events.clear();
      const auto e0 = Clock::now();
      simulator.Execute(simulator.last_sequence() + 1, c, &events);
      built.simulator_seconds += Seconds(e0, Clock::now());
      built.resting = simulator.engine().open_requests() + simulator.engine().open_offers();
      if (built.resting >= target) {
        built.reached_target = true;
        done = true;
      } else if (simulator.last_sequence() % 65536 == 0) {
        done = Seconds(t0, Clock::now()) > budget_seconds;
        if (simulator.last_sequence() % (8 * 65536) == 0) {
          std::fprintf(stderr, "  simulating: %s commands, %s resting, %.0f s\n",
                       Grouped(simulator.last_sequence()).c_str(), Grouped(built.resting).c_str(),
                       Seconds(t0, Clock::now()));
        }
      }
    });
    built.commands = simulator.last_sequence();
    built.digest = simulator.StateDigest();
  }

  market::storage::RocksJournalOptions options;
  options.sync = SyncPolicy::kNever;
  auto market = Check(JournaledMarket::Open(
                          Check(market::storage::OpenRocksJournal(dir, options), "opening " + dir)),
                      "opening the market in " + dir);
  std::vector<MarketInput> group;
  group.reserve(kRecoveryGroup);
  std::vector<pb::Event> events;
  auto flush = [&] {
    events.clear();
    Check(market->ExecuteGroup(group, &events), "journaling the recovery workload");
    group.clear();
  };
  gen.commands = built.order_flow;
  const auto t0 = Clock::now();
  market::tools::GenerateWorkload(gen, [&](const pb::Command& c) {
    group.emplace_back(c);
    if (group.size() == kRecoveryGroup) flush();
  });
  if (!group.empty()) flush();
  built.build_seconds = Seconds(t0, Clock::now());
  if (market->last_sequence() != built.commands || market->StateDigest() != built.digest) {
    Die("recovery journal: the journaled market does not end where the simulator did");
  }
  return built;
}

// Phase 3's measurements on the data dir `dir` (built by
// BuildRecoveryJournal, or given with --recovery-data-dir, when built.digest
// is 0 and only the loaded and re-executed digests are compared). Wall and
// process CPU seconds: on a shared machine the CPU time is the steadier one.
bool MeasureRecovery(const std::string& dir, const RecoveryJournal& built,
                     size_t recovery_resting) {
  bool ok = true;
  // Recovery to serving: open the journal, load the stored state.
  PerfControl("enable");
  const double c0 = CpuSeconds();
  const auto t0 = Clock::now();
  auto journal = Check(market::storage::OpenRocksJournal(dir, {}), "reopening " + dir);
  const auto t1 = Clock::now();
  auto market = Check(JournaledMarket::Open(std::move(journal)), "recovering " + dir);
  const auto t2 = Clock::now();
  const double c1 = CpuSeconds();
  PerfControl("disable");
  const double total_s = Seconds(t0, t2);
  const size_t resting = market->engine().open_requests() + market->engine().open_offers();
  std::printf(
      "  recovery to serving (load the stored state), %s resting: %.2f s (open journal %.2f s, "
      "load state %.2f s); %.2f s of CPU\n",
      Grouped(resting).c_str(), total_s, Seconds(t0, t1), Seconds(t1, t2), c1 - c0);
  if (!built.reached_target && built.resting > 0) {
    std::printf(
        "  linear extrapolation to %s resting: about %.1f s\n", Grouped(recovery_resting).c_str(),
        total_s * static_cast<double>(recovery_resting) / static_cast<double>(built.resting));
  }
  const uint64_t loaded_digest = market->StateDigest();
  const uint64_t commands = market->last_sequence();
  if (built.digest != 0) {
    std::printf("  digest after loading equals the journaled market's: %s\n",
                loaded_digest == built.digest ? "yes" : "NO");
    ok = ok && loaded_digest == built.digest;
  }
  market.reset();
  // Where the load goes: reading and decoding the records, then Restore.
  {
    auto j = Check(market::storage::OpenRocksJournal(dir, {}), "reopening " + dir);
    const double lc0 = CpuSeconds();
    const auto l0 = Clock::now();
    auto loaded = std::make_unique<market::matcher::EngineSnapshot>(
        Check(market::storage::LoadStateSnapshot(*j), "loading the state of " + dir));
    const market::matcher::EngineSnapshot& snapshot = *loaded;
    const auto l1 = Clock::now();
    const double lc1 = CpuSeconds();
    market::codec::Simulator simulator;
    Check(simulator.Restore(snapshot), "restoring the state of " + dir);
    const auto l2 = Clock::now();
    const double lc2 = CpuSeconds();
    uint64_t assignments = 0;
    Check(j->ReadState("a",
                       [&](std::string_view, std::string_view) {
                         ++assignments;
                         return absl::OkStatus();
                       }),
          "counting assignments");
    std::printf(
        "  of which: read + decode %s records (%s open requests, %s open offers, %s closed, "
        "%s idempotency keys, %zu contracts) %.2f s (%.2f s CPU); Engine::Restore %.2f s "
        "(%.2f s CPU); the %s assignment records are not read\n",
        Grouped(snapshot.requests.size() + snapshot.offers.size() + snapshot.closed.size() +
                snapshot.client_refs.size() + 2 * snapshot.contracts.size() +
                snapshot.roles.size() + snapshot.locations.size() + snapshot.participants.size() +
                1)
            .c_str(),
        Grouped(snapshot.requests.size()).c_str(), Grouped(snapshot.offers.size()).c_str(),
        Grouped(snapshot.closed.size()).c_str(), Grouped(snapshot.client_refs.size()).c_str(),
        snapshot.contracts.size(), Seconds(l0, l1), lc1 - lc0, Seconds(l1, l2), lc2 - lc1,
        Grouped(assignments).c_str());
    const auto f0 = Clock::now();
    loaded.reset();
    std::printf("  (freeing the snapshot after Restore: %.2f s)\n", Seconds(f0, Clock::now()));
  }
  // The alternative: re-execute the whole journal.
  {
    const double rc0 = CpuSeconds();
    const auto r0 = Clock::now();
    auto j = Check(market::storage::OpenRocksJournal(dir, {}), "reopening " + dir);
    const auto r1 = Clock::now();
    auto m = Check(
        JournaledMarket::Open(std::move(j),
                              {.recovery = market::storage::Recovery::kReExecute, .data_dir = dir}),
        "re-executing " + dir);
    const auto r2 = Clock::now();
    const double rc1 = CpuSeconds();
    std::printf(
        "  recovery by re-execution instead: %.2f s (open journal %.2f s, re-execute %s "
        "commands %.2f s, %.0f commands/s); %.2f s of CPU; digest equal to the loaded one: "
        "%s\n",
        Seconds(r0, r2), Seconds(r0, r1), Grouped(commands).c_str(), Seconds(r1, r2),
        static_cast<double>(commands) / Seconds(r1, r2), rc1 - rc0,
        m->StateDigest() == loaded_digest ? "yes" : "NO");
    ok = ok && m->StateDigest() == loaded_digest;
  }
  // Reading alone: the same journal read (checksums, parse) with nothing
  // re-executed.
  {
    const auto r0 = Clock::now();
    auto j = Check(market::storage::OpenRocksJournal(dir, {}), "reopening " + dir);
    const auto r1 = Clock::now();
    uint64_t bytes = 0;
    Check(j->Read(1, j->last_sequence(),
                  [&](const JournalEntry& e) {
                    bytes += e.payload.size();
                    for (const std::string& event : e.events) bytes += event.size();
                    return absl::OkStatus();
                  }),
          "reading " + dir);
    const auto r2 = Clock::now();
    std::printf(
        "  of which reading alone (open %.2f s, Read of every entry %.2f s, %.0f MB of "
        "payload and events)\n",
        Seconds(r0, r1), Seconds(r1, r2), static_cast<double>(bytes) / 1e6);
  }
  return ok;
}

// Phase 3: builds the recovery journal under `scratch`, then measures it.
bool RunRecoveryPhase(const Scratch& scratch, const market::tools::WorkloadOptions& gen,
                      size_t recovery_resting, uint64_t recovery_max_commands,
                      double recovery_budget) {
  bool ok = true;
  std::printf(
      "phase 3: recovery with %s resting orders as the target (reference workload seed "
      "%llu, generated in process, journaled with kNever, %zu a group)\n",
      Grouped(recovery_resting).c_str(), static_cast<unsigned long long>(gen.seed), kRecoveryGroup);
  std::fflush(stdout);
  const std::string dir = scratch.Fresh("recovery");
  const RecoveryJournal built =
      BuildRecoveryJournal(dir, gen.seed, recovery_resting, recovery_max_commands, recovery_budget);
  std::printf(
      "  journal: %s commands (%s order flow), %s resting, %.0f MB on disk; built in "
      "%.0f s\n",
      Grouped(built.commands).c_str(), Grouped(built.order_flow).c_str(),
      Grouped(built.resting).c_str(), static_cast<double>(DirectoryBytes(dir)) / 1e6,
      built.build_seconds);
  if (!built.reached_target) {
    std::printf(
        "  TARGET NOT REACHED: stopped at %s resting (build budget %.0f s or %s "
        "order-flow commands)\n",
        Grouped(built.resting).c_str(), recovery_budget, Grouped(recovery_max_commands).c_str());
  }
  ok = MeasureRecovery(dir, built, recovery_resting) && ok;
  scratch.Remove("recovery");
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"journal_bench: journaled throughput vs raw RocksDB, replay and recovery"};
  std::string file;
  std::string data_dir;
  market::tools::WorkloadOptions gen;
  gen.commands = 200000;
  size_t g1_commands = 20000;
  size_t recovery_resting = 1000000;
  uint64_t recovery_max_commands = 6000000;
  double recovery_budget = 240;
  int repeat = 3;
  app.add_option("--workload-file", file, "Command JSON lines to run (default: generated)");
  app.add_option("--data-dir", data_dir,
                 "Scratch directory, deleted and recreated (default: a mkdtemp dir under /tmp, "
                 "removed at exit)");
  app.add_option("--seed", gen.seed, "Reference workload seed (generated workloads, phase 3)")
      ->capture_default_str();
  app.add_option("--commands", gen.commands,
                 "Order-flow commands: the cap on the file's, or how many to generate")
      ->capture_default_str();
  app.add_option("--g1-commands", g1_commands,
                 "Order-flow commands timed at group size 1 (one fsync each)")
      ->capture_default_str();
  app.add_option("--recovery-resting", recovery_resting,
                 "Phase 3: journal order flow until this many orders rest (0: skip phase 3)")
      ->capture_default_str();
  app.add_option("--recovery-max-commands", recovery_max_commands,
                 "Phase 3: at most this many order-flow commands")
      ->capture_default_str();
  app.add_option("--recovery-budget", recovery_budget,
                 "Phase 3: stop building the journal after this many seconds")
      ->capture_default_str();
  bool only_recovery = false;
  app.add_flag("--only-recovery", only_recovery,
               "Only phase 3 (its journal built as usual); phases 1 and 2 are skipped");
  std::string recovery_data_dir;
  app.add_option("--recovery-data-dir", recovery_data_dir,
                 "Only phase 3's measurements, on this existing data dir (e.g. written by "
                 "`marketctl simulate --data-dir`); nothing else runs");
  app.add_option("--repeat", repeat,
                 "Phases 1 and 2: runs of each configuration (medians are reported)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  if (!recovery_data_dir.empty()) {
    std::printf("phase 3 only: recovery of %s (%.0f MB on disk)\n", recovery_data_dir.c_str(),
                static_cast<double>(DirectoryBytes(recovery_data_dir)) / 1e6);
    return MeasureRecovery(recovery_data_dir, RecoveryJournal{}, 0) ? 0 : 1;
  }
  if (only_recovery) {
    Scratch scratch(data_dir);
    std::printf("scratch: %s\n", scratch.root().c_str());
    return RunRecoveryPhase(scratch, gen, recovery_resting, recovery_max_commands, recovery_budget)
               ? 0
               : 1;
  }
  const Workload w = file.empty() ? GenerateInputs(gen) : ReadWorkload(file, gen.commands);
  const size_t total = w.inputs.size();
  const size_t order_flow = total - w.first_order;
  if (order_flow == 0) Die("the workload has no order flow");
  Scratch scratch(data_dir);
  std::printf("workload: %s\n", w.name.c_str());
  std::printf("  %s reference-data commands (untimed), %s order-flow commands\n",
              Grouped(w.first_order).c_str(), Grouped(order_flow).c_str());
  std::printf("scratch: %s\n", scratch.root().c_str());

  // The entries every journal below holds: one untimed pass through a
  // MemoryJournal. Its order flow is also timed at G = 256: the engine and
  // the encoding of entries without any storage.
  std::vector<JournalEntry> entries;
  uint64_t memory_digest = 0;
  double memory_rate = 0;
  {
    auto market = Check(JournaledMarket::Open(std::make_unique<market::storage::MemoryJournal>()),
                        "opening the in-memory market");
    RunGroups(*market, w, 0, w.first_order, kReferenceGroup, nullptr);
    const auto t0 = Clock::now();
    RunGroups(*market, w, w.first_order, total, 256, nullptr);
    memory_rate = static_cast<double>(order_flow) / Seconds(t0, Clock::now());
    memory_digest = market->StateDigest();
    entries.reserve(total);
    Check(market->journal().Read(1, market->last_sequence(),
                                 [&](const JournalEntry& e) {
                                   entries.push_back(e);
                                   return absl::OkStatus();
                                 }),
          "reading the in-memory journal");
  }
  size_t resting_end = 0;
  {
    market::codec::Simulator simulator;
    for (const JournalEntry& e : entries) {
      std::vector<pb::Event> events;
      Check(market::storage::ReExecute(e, simulator, &events), "counting resting orders");
    }
    resting_end = simulator.engine().open_requests() + simulator.engine().open_offers();
  }
  const RawRecords raw = EncodeRecords(entries);
  uint64_t flow_bytes = 0;
  for (size_t r = raw.first[w.first_order]; r < raw.records.size(); ++r) {
    flow_bytes += raw.records[r].key.size() + raw.records[r].value.size();
  }
  std::printf(
      "  order flow: %s key+value bytes journaled (%.0f per command, %.2f records per "
      "command); %s orders rest at the end\n",
      Grouped(flow_bytes).c_str(),
      static_cast<double>(flow_bytes) / static_cast<double>(order_flow),
      static_cast<double>(raw.records.size() - raw.first[w.first_order]) /
          static_cast<double>(order_flow),
      Grouped(resting_end).c_str());
  std::printf("  engine + entry encoding alone (MemoryJournal, G=256): %.0f commands/s\n",
              memory_rate);
  {
    // Best of three each: the difference is small against the noise.
    double with_state = 0;
    double without_state = 0;
    for (int r = 0; r < 3; ++r) {
      without_state = std::max(without_state, ExecuteOnlyRate(w, false));
      with_state = std::max(with_state, ExecuteOnlyRate(w, true));
    }
    std::printf(
        "  ExecuteGroup over a journal that keeps nothing, G=256 (best of 3): %.0f commands/s "
        "(%.2f us) without state records, %.0f commands/s (%.2f us) with: the state records "
        "cost %.2f us a command to find and encode\n\n",
        without_state, 1e6 / without_state, with_state, 1e6 / with_state,
        1e6 / with_state - 1e6 / without_state);
  }

  // Phase 1. fsync times on this kind of machine wander by a factor of two
  // from second to second, so each configuration runs `repeat` pairs,
  // alternating which of the two goes first; rates are medians, latencies
  // pool every group of every pass.
  std::printf(
      "phase 1: order flow through JournaledMarket::ExecuteGroup (one WriteBatch a "
      "group) vs raw RocksDB WriteBatch of the same bytes; median of %d pairs\n",
      repeat);
  std::printf("%5s %-7s %9s | %12s %9s %9s | %12s %9s %9s | %6s  %s\n", "G", "sync", "commands",
              "journaled/s", "p50 us", "p99 us", "raw/s", "p50 us", "p99 us", "ratio",
              "ratio of each pair");
  struct Config {
    size_t group;
    SyncPolicy sync;
    size_t commands;
  };
  const std::vector<Config> configs = {
      {1, SyncPolicy::kAlways, std::min(order_flow, g1_commands)},
      {16, SyncPolicy::kAlways, order_flow},
      {256, SyncPolicy::kAlways, order_flow},
      {256, SyncPolicy::kNever, order_flow},
  };
  struct Split {
    size_t group;
    bool sync;
    double execute_us;
    double append_us;
    double write_us;
  };
  std::vector<Split> splits;
  // Every full journal holds the same entries; phase 2 reads a G=256 one.
  const std::string largest_journal = "journal-g256";
  std::vector<std::string> state_lines;
  for (const Config& c : configs) {
    const bool sync = c.sync == SyncPolicy::kAlways;
    const size_t end = w.first_order + c.commands;
    const StateGroups state = CaptureState(w, end, c.group);
    {
      const size_t reference_groups = (w.first_order + kReferenceGroup - 1) / kReferenceGroup;
      uint64_t records = 0;
      uint64_t bytes = 0;
      for (size_t k = reference_groups; k < state.size(); ++k) {
        records += state[k].size();
        for (const RawRecord& record : state[k]) bytes += record.key.size() + record.value.size();
      }
      char line[160];
      std::snprintf(line, sizeof line,
                    "  G=%zu: %.2f state records, %.0f key+value bytes of state per command\n",
                    c.group, static_cast<double>(records) / static_cast<double>(c.commands),
                    static_cast<double>(bytes) / static_cast<double>(c.commands));
      state_lines.emplace_back(line);
    }
    std::vector<double> journaled_rates;
    std::vector<double> raw_rates;
    std::vector<double> ratios;
    double execute_us = 0;  // per command, summed over passes
    double append_us = 0;
    double write_us = 0;
    std::vector<uint64_t> journaled_ns;
    std::vector<uint64_t> raw_ns;
    std::string pairs;
    for (int r = 0; r < repeat; ++r) {
      Pass journaled;
      Pass plain;
      auto run_journaled = [&] {
        const bool keep = sync && c.group == 256 && c.commands == order_flow && r == 0;
        const std::string name = keep ? largest_journal : "journal";
        journaled = RunJournaled(scratch.Fresh(name), c.sync, w, end, c.group);
        if (!keep) scratch.Remove(name);
      };
      auto run_raw = [&] {
        plain = RunRaw(scratch.Fresh("raw"), sync, raw, state, w.first_order, end, c.group);
        scratch.Remove("raw");
      };
      if (r % 2 == 0) {
        run_journaled();
        run_raw();
      } else {
        run_raw();
        run_journaled();
      }
      journaled_rates.push_back(journaled.rate());
      raw_rates.push_back(plain.rate());
      ratios.push_back(journaled.rate() / plain.rate());
      const double per_command = 1e6 / static_cast<double>(c.commands);
      execute_us += (journaled.seconds - journaled.append_seconds) * per_command;
      append_us += journaled.append_seconds * per_command;
      write_us += plain.seconds * per_command;
      journaled_ns.insert(journaled_ns.end(), journaled.group_ns.begin(), journaled.group_ns.end());
      raw_ns.insert(raw_ns.end(), plain.group_ns.begin(), plain.group_ns.end());
      char pair[16];
      std::snprintf(pair, sizeof pair, " %.2f", journaled.rate() / plain.rate());
      pairs += pair;
    }
    const double journaled_rate = Median(journaled_rates);
    const double raw_rate = Median(raw_rates);
    std::printf("%5zu %-7s %9zu | %12.0f %9.0f %9.0f | %12.0f %9.0f %9.0f | %6.2f %s\n", c.group,
                sync ? "always" : "never", c.commands, journaled_rate,
                QuantileUs(journaled_ns, 0.50), QuantileUs(journaled_ns, 0.99), raw_rate,
                QuantileUs(raw_ns, 0.50), QuantileUs(raw_ns, 0.99), Median(ratios), pairs.c_str());
    splits.push_back({c.group, sync, execute_us / repeat, append_us / repeat, write_us / repeat});
    std::fflush(stdout);
  }
  if (std::min(order_flow, g1_commands) < order_flow) {
    std::printf("  (G=1 times only the first %s order-flow commands: each is an fsync)\n",
                Grouped(std::min(order_flow, g1_commands)).c_str());
  }
  std::printf(
      "  p50/p99: time of one group (ExecuteGroup, or the raw Write), microseconds; ratio: "
      "median of the pairs' journaled/raw\n");
  std::printf("  state written with the groups (raw writes the same records):\n");
  for (const std::string& line : state_lines) std::printf("%s", line.c_str());
  std::printf("  where a journaled command's time goes, us per command (mean of the passes):\n");
  std::printf("  %5s %-7s %22s %18s %12s\n", "G", "sync", "execute+encode+state", "Journal::Append",
              "raw Write");
  for (const Split& split : splits) {
    std::printf("  %5zu %-7s %22.2f %18.2f %12.2f\n", split.group, split.sync ? "always" : "never",
                split.execute_us, split.append_us, split.write_us);
  }
  std::printf("\n");

  // Phase 2. The reference data (1,121 contracts with 1.4M rate-card entries
  // in the reference workload) costs a fixed second or so to re-execute, so
  // a journal of only the reference data is timed too and the order-flow
  // rate is the difference.
  bool ok = true;
  {
    const std::string dir = (scratch.root() / largest_journal).string();
    const std::string reference_dir = scratch.Fresh("journal-reference");
    {
      market::storage::RocksJournalOptions options;
      options.sync = SyncPolicy::kNever;
      auto market = Check(
          JournaledMarket::Open(Check(market::storage::OpenRocksJournal(reference_dir, options),
                                      "opening " + reference_dir)),
          "opening the market in " + reference_dir);
      RunGroups(*market, w, 0, w.first_order, kReferenceGroup, nullptr);
    }
    std::printf("phase 2: VerifyJournal over %s (%s commands, %.0f MB on disk)\n",
                largest_journal.c_str(), Grouped(total).c_str(),
                static_cast<double>(DirectoryBytes(dir)) / 1e6);
    auto journal = Check(market::storage::OpenRocksJournal(dir, {}), "reopening " + dir);
    size_t differing = 0;
    size_t k = 0;
    Check(journal->Read(1, journal->last_sequence(),
                        [&](const JournalEntry& e) {
                          if (k >= entries.size() || !(e == entries[k])) ++differing;
                          ++k;
                          return absl::OkStatus();
                        }),
          "reading " + dir);
    if (differing != 0 || k != entries.size()) {
      std::printf("  journal entries differ from the in-memory pass: %zu of %zu\n", differing, k);
      ok = false;
    }
    journal.reset();
    // Verify: reference-only, then full, `repeat` times each; medians.
    std::vector<double> verify_full;
    std::vector<double> verify_reference;
    std::vector<double> open_full;
    std::vector<double> open_reference;
    uint64_t events = 0;
    for (int r = 0; r < repeat; ++r) {
      for (const std::string* d : {&reference_dir, &dir}) {
        auto j = Check(market::storage::OpenRocksJournal(*d, {}), "reopening " + *d);
        const auto t0 = Clock::now();
        const auto report = Check(market::storage::VerifyJournal(*j), "verifying " + *d);
        const double seconds = Seconds(t0, Clock::now());
        j.reset();
        const bool full = d == &dir;
        (full ? verify_full : verify_reference).push_back(seconds);
        if (full) {
          events = report.events;
          const bool same = report.first_divergent_sequence == 0 &&
                            report.digest == memory_digest && report.state_matches();
          if (!same) {
            std::printf(
                "  VERIFY FAILED: divergent sequence %llu (%s), digest %s, state %s\n",
                static_cast<unsigned long long>(report.first_divergent_sequence),
                report.divergence.c_str(), report.digest == memory_digest ? "same" : "differs",
                report.state_matches() ? "matches"
                                       : std::string(report.state_status.message()).c_str());
          }
          ok = ok && same;
        }
        const auto r0 = Clock::now();
        auto m = Check(JournaledMarket::Open(
                           Check(market::storage::OpenRocksJournal(*d, {}), "reopening " + *d)),
                       "recovering " + *d);
        (full ? open_full : open_reference).push_back(Seconds(r0, Clock::now()));
        if (full) ok = ok && m->StateDigest() == memory_digest;
      }
    }
    const double vf = Median(verify_full);
    const double vr = Median(verify_reference);
    const double of = Median(open_full);
    const double orf = Median(open_reference);
    std::printf("  whole journal: %s commands, %s events verified in %.2f s: %.0f commands/s\n",
                Grouped(total).c_str(), Grouped(events).c_str(), vf,
                static_cast<double>(total) / vf);
    std::printf("  reference data alone: %s commands in %.2f s\n", Grouped(w.first_order).c_str(),
                vr);
    std::printf("  order flow: %s commands in %.2f s: %.0f commands/s\n",
                Grouped(order_flow).c_str(), vf - vr, static_cast<double>(order_flow) / (vf - vr));
    std::printf(
        "  (VerifyJournal also loads the stored state into a second engine and compares "
        "digests)\n");
    std::printf(
        "  every event identical, digest equal to the in-memory pass and to the stored "
        "state's: %s\n",
        ok ? "yes" : "NO");
    std::printf(
        "  recovery (OpenRocksJournal + JournaledMarket::Open, loading the state), %s "
        "resting: %.2f s (reference data alone %.2f s)\n\n",
        Grouped(resting_end).c_str(), of, orf);
    scratch.Remove(largest_journal);
    scratch.Remove("journal-reference");
  }
  entries.clear();
  entries.shrink_to_fit();

  // Phase 3.
  if (recovery_resting > 0) {
    ok = RunRecoveryPhase(scratch, gen, recovery_resting, recovery_max_commands, recovery_budget) &&
         ok;
  }
  return ok ? 0 : 1;
}
