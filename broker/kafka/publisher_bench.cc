// publisher_bench: how fast the Kafka publisher empties the journal, and how
// far behind the appender it runs.
//
// An appender thread appends commands (each with --events-per-command events,
// timestamped at append time) at a fixed offered rate of events per second,
// in a group per millisecond, and calls Notify after each group; the publisher
// produces to the embedded mock cluster (or --brokers). Reported: the append
// rate achieved, the delivered rate (events / time until the cursor reached
// the journal's end), and the publish lag (delivery report time - event
// timestamp) p50/p99/max over every event. With --rate 0 the whole journal is
// written first and the drain rate is measured (the publisher's ceiling).
//
//   publisher_bench --events 500000 --rate 50000 --journal rocks
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "broker/kafka/embedded_cluster.h"
#include "broker/kafka/publisher.h"
#include "marketplace/v1/event.pb.h"
#include "storage/journal.h"

namespace {

using market::kafka::EmbeddedKafka;
using market::kafka::Publisher;
using market::kafka::PublisherOptions;
using market::storage::Journal;
using market::storage::JournalEntry;

struct BenchOptions {
  uint64_t events = 500'000;
  uint64_t rate = 50'000;  // events per second; 0 = append everything first
  uint32_t events_per_command = 1;
  std::string journal = "memory";   // memory | rocks
  std::string format = "protobuf";  // protobuf | json
  std::string brokers;              // empty: embedded mock cluster
  int partitions = 6;
  int brokers_embedded = 3;
};

// A command of `count` events: a request accepted, then fills.
JournalEntry MakeCommand(uint64_t sequence, uint32_t count, uint64_t now_nanos) {
  JournalEntry entry{.sequence = sequence, .payload = "bench", .events = {}};
  for (uint32_t index = 0; index < count; ++index) {
    marketplace::v1::Event event;
    event.set_sequence(sequence);
    event.set_index(index);
    event.set_timestamp_unix_nanos(now_nanos);
    event.set_principal("sponsor:bench");
    const std::string request_id = "R" + std::to_string(sequence);
    if (index == 0) {
      event.mutable_request_accepted()->set_request_id(request_id);
      event.mutable_request_accepted()->mutable_request()->set_fte_milli(1000);
    } else {
      auto* fill = event.mutable_assignment_created();
      fill->set_assignment_id("A" + std::to_string(sequence) + "-" + std::to_string(index));
      fill->set_request_id(request_id);
      fill->set_offer_id("O" + std::to_string(sequence - 1));
      fill->set_fte_milli(250);
      fill->set_rate(11'500);
    }
    entry.events.push_back(event.SerializeAsString());
  }
  return entry;
}

uint64_t NowNanos() { return static_cast<uint64_t>(absl::ToUnixNanos(absl::Now())); }

// Appends commands until `total_events`, pacing to `rate` events/s (0: no pacing).
bool AppendAll(Journal& journal, Publisher* publisher, const BenchOptions& options) {
  const absl::Time start = absl::Now();
  uint64_t appended_events = 0;
  std::vector<JournalEntry> group;
  while (appended_events < options.events) {
    uint64_t due = options.events;
    if (options.rate > 0) {
      const double elapsed = absl::ToDoubleSeconds(absl::Now() - start);
      due = std::min<uint64_t>(options.events,
                               static_cast<uint64_t>(elapsed * static_cast<double>(options.rate)));
    }
    group.clear();
    const uint64_t now = NowNanos();
    uint64_t sequence = journal.last_sequence();
    while (appended_events < due && group.size() < 4096) {
      group.push_back(MakeCommand(++sequence, options.events_per_command, now));
      appended_events += options.events_per_command;
    }
    if (!group.empty()) {
      if (absl::Status appended = journal.Append(group); !appended.ok()) {
        spdlog::error("append failed: {}", appended.ToString());
        return false;
      }
      if (publisher != nullptr) publisher->Notify();
    }
    if (options.rate > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

int Run(const BenchOptions& options) {
  std::unique_ptr<EmbeddedKafka> embedded;
  std::string brokers = options.brokers;
  if (brokers.empty()) {
    auto started = EmbeddedKafka::Start(options.brokers_embedded);
    if (!started.ok()) {
      spdlog::error("{}", started.status().ToString());
      return 1;
    }
    embedded = *std::move(started);
    if (absl::Status created = embedded->CreateTopic("bench.events", options.partitions,
                                                     std::min(3, options.brokers_embedded));
        !created.ok()) {
      spdlog::error("{}", created.ToString());
      return 1;
    }
    brokers = embedded->bootstrap_servers();
  }

  std::unique_ptr<Journal> journal;
  std::string rocks_dir;
  if (options.journal == "rocks") {
    rocks_dir =
        (std::filesystem::temp_directory_path() / ("publisher_bench_" + std::to_string(::getpid())))
            .string();
    market::storage::RocksJournalOptions journal_options;
    journal_options.sync = market::storage::SyncPolicy::kNever;
    auto opened = market::storage::OpenRocksJournal(rocks_dir, journal_options);
    if (!opened.ok()) {
      spdlog::error("{}", opened.status().ToString());
      return 1;
    }
    journal = *std::move(opened);
  } else {
    journal = std::make_unique<market::storage::MemoryJournal>();
  }

  PublisherOptions publisher_options;
  publisher_options.brokers = brokers;
  publisher_options.topic = "bench.events";
  publisher_options.format = options.format == "json" ? PublisherOptions::Format::kJson
                                                      : PublisherOptions::Format::kProtobuf;
  publisher_options.lag_window_events = options.events;  // percentiles over the whole run
  Publisher publisher(*journal, publisher_options);

  if (options.rate == 0 && !AppendAll(*journal, nullptr, options)) return 1;
  const absl::Time start = absl::Now();
  if (absl::Status started = publisher.Start(); !started.ok()) {
    spdlog::error("{}", started.ToString());
    return 1;
  }
  std::thread appender;
  bool append_ok = true;
  if (options.rate > 0) {
    appender = std::thread([&] { append_ok = AppendAll(*journal, &publisher, options); });
  }
  uint64_t max_behind = 0;
  const absl::Time give_up = start + absl::Seconds(60) +
                             absl::Seconds(options.rate > 0 ? options.events / options.rate : 0);
  absl::Time appended_at = absl::InfiniteFuture();
  while (absl::Now() < give_up) {
    const Publisher::Stats stats = publisher.stats();
    max_behind = std::max(max_behind, stats.journal_sequence - stats.published_sequence);
    const bool all_appended = stats.journal_sequence * options.events_per_command >= options.events;
    if (all_appended && appended_at == absl::InfiniteFuture()) appended_at = absl::Now();
    if (all_appended && stats.published_sequence == stats.journal_sequence) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const absl::Time caught_up = absl::Now();
  if (appender.joinable()) appender.join();
  publisher.Stop();  // its final snapshot has the lag percentiles over every event
  const Publisher::Stats stats = publisher.stats();
  journal.reset();
  if (!rocks_dir.empty()) std::filesystem::remove_all(rocks_dir);
  if (!append_ok || stats.published_sequence != stats.journal_sequence) {
    std::printf("FAILED: published %llu of %llu sequences (last error: %s)\n",
                static_cast<unsigned long long>(stats.published_sequence),
                static_cast<unsigned long long>(stats.journal_sequence), stats.last_error.c_str());
    return 1;
  }
  const double seconds = absl::ToDoubleSeconds(caught_up - start);
  const double append_seconds = absl::ToDoubleSeconds(appended_at - start);
  std::printf(
      "journal=%s format=%s partitions=%d events=%llu events/command=%u offered=%s\n"
      "appended %s events/s, delivered %.0f events/s (%.2f s until the cursor reached the end)\n"
      "publish lag p50 %.2f ms, p99 %.2f ms; max sequences behind %llu; delivery errors %llu\n",
      options.journal.c_str(), options.format.c_str(), options.partitions,
      static_cast<unsigned long long>(options.events), options.events_per_command,
      options.rate == 0 ? "unbounded (pre-filled journal)"
                        : (std::to_string(options.rate) + " events/s").c_str(),
      options.rate == 0 ? "n/a"
                        : std::to_string(static_cast<uint64_t>(static_cast<double>(options.events) /
                                                               append_seconds))
                              .c_str(),
      static_cast<double>(stats.events_delivered) / seconds, seconds,
      static_cast<double>(stats.lag_us_p50) / 1000.0,
      static_cast<double>(stats.lag_us_p99) / 1000.0, static_cast<unsigned long long>(max_behind),
      static_cast<unsigned long long>(stats.delivery_errors));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  BenchOptions options;
  CLI::App app{"Kafka publisher benchmark: events/s into Kafka and publish lag"};
  app.add_option("--events", options.events, "events to publish");
  app.add_option("--rate", options.rate, "offered events per second; 0 = pre-fill, then drain");
  app.add_option("--events-per-command", options.events_per_command, "events per journal entry")
      ->check(CLI::Range(1u, 64u));
  app.add_option("--journal", options.journal, "memory | rocks (RocksDB, sync never)")
      ->check(CLI::IsMember({"memory", "rocks"}));
  app.add_option("--format", options.format, "protobuf | json")
      ->check(CLI::IsMember({"protobuf", "json"}));
  app.add_option("--brokers", options.brokers, "a real cluster (default: embedded mock)");
  app.add_option("--partitions", options.partitions, "partitions of the embedded topic");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::warn);
  return Run(options);
}
