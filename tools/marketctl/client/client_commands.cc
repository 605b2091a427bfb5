#include "marketctl/client/client_commands.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "broker/auth/key_file.h"
#include "broker/auth/principal.h"
#include "codec/json_lines.h"
#include "marketctl/client/command_input.h"
#include "marketctl/client/demo_market.h"
#include "tools/client/market_client.h"

namespace market::tools {
namespace {

namespace pb = marketplace::v1;

// A live stream has no deadline of its own; this stands in for "none".
constexpr std::chrono::hours kStreamDeadline{24 * 365};

// Ends the parse with `code` as main's return value (see the header).
[[noreturn]] void Exit(int code) { throw CLI::RuntimeError(code); }

int Fail(const std::string& message) {
  std::cerr << "marketctl: " << message << "\n";
  return 1;
}
int Fail(const absl::Status& status) { return Fail(std::string(status.message())); }
int FailRpc(const grpc::Status& status) {
  return Fail(StatusCodeName(status.error_code()) + ": " + status.error_message());
}

// Runs a subcommand body; any escaping exception is a failure, not a crash.
template <typename Body>
void Run(Body body) {
  int code = 1;
  try {
    code = body();
  } catch (const CLI::RuntimeError&) {
    throw;
  } catch (const std::exception& e) {
    code = Fail(e.what());
  }
  std::cout.flush();
  Exit(code);
}

// A list flag that takes one value per occurrence (--tag A --tag B), so that
// it never swallows the JSON body that may follow it.
void Repeatable(CLI::Option* option) { option->allow_extra_args(false); }

// --- Connection flags ------------------------------------------------------

void AddConnectionFlags(CLI::App* app, client::ClientOptions* options) {
  app->add_option("--server", options->server, "marketd address, host:port")->capture_default_str();
  app->add_option("--key", options->key, "API key (sent as 'Bearer <key>')")->envname("MARKET_KEY");
  app->add_option("--tls-ca", options->tls_ca, "CA of the server's certificate (PEM); enables TLS")
      ->check(CLI::ExistingFile);
  app->add_option("--tls-cert", options->tls_cert, "Client certificate (PEM) for mTLS")
      ->check(CLI::ExistingFile);
  app->add_option("--tls-key", options->tls_key, "Client private key (PEM) for mTLS")
      ->check(CLI::ExistingFile);
  app->add_option("--tls-server-name", options->tls_server_name,
                  "Name to check in the server's certificate (default: the host of --server)");
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> Open(const client::ClientOptions& options) {
  if (options.tls_ca.empty() &&
      (!options.tls_cert.empty() || !options.tls_key.empty() || !options.tls_server_name.empty())) {
    return absl::InvalidArgumentError("--tls-cert, --tls-key and --tls-server-name need --tls-ca");
  }
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  return client::Connect(options);
}

// --- One command -------------------------------------------------------------

int SendOne(const client::ClientOptions& options, const absl::StatusOr<pb::Command>& command) {
  if (!command.ok()) return Fail(command.status());
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = Open(options);
  if (!channel.ok()) return Fail(channel.status());
  pb::CommandResult result;
  const grpc::Status status = client::SendCommand(**channel, options.key, *command, &result);
  if (!status.ok()) return FailRpc(status);
  std::cout << codec::ToJson(result) << "\n";
  if (result.duplicate()) {
    std::cerr << "marketctl: duplicate client_ref: the original is sequence "
              << result.original_sequence() << "\n";
  }
  return 0;
}

std::string DefaultClientRef() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  std::random_device random;
  return GeneratedClientRef(
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()),
      random());
}

void AddSubmit(CLI::App& app) {
  struct State {
    client::ClientOptions options;
    std::string json;
    SubmitFlags flags;
  };
  auto s = std::make_shared<State>();
  CLI::App* sub = app.add_subcommand(
      "submit", "Submit a request (SponsorService.SubmitRequest); print the CommandResult as JSON");
  sub->footer(
      "The body is a SubmitRequest in protobuf JSON; flags are laid over it. E.g.\n"
      "  marketctl submit '{\"role\":\"CTA\",\"locations\":[\"LATAM\"],\"fteMilli\":\"500\","
      "\"maxRate\":\"4500\",\"startDate\":\"2026-03-01\",\"endDate\":\"2026-12-31\","
      "\"clientRef\":\"r1\"}'\n"
      "  marketctl submit --role CRA --location EU --location GB --fte-milli 1000 "
      "--max-rate 9000 --start 2026-03-01 --end 2026-09-30");
  AddConnectionFlags(sub, &s->options);
  sub->add_option("body", s->json, "SubmitRequest as JSON (optional)");
  SubmitFlags& f = s->flags;
  sub->add_option("--client-ref", f.client_ref, "Idempotency key (default: generated)");
  sub->add_option("--role", f.role, "Role code, e.g. CTA");
  Repeatable(
      sub->add_option("--location", f.locations, "Region, country or hub code (repeatable)"));
  sub->add_option("--seniority", f.min_seniority, "Minimum seniority 1..5");
  sub->add_option("--fte-milli", f.fte_milli, "Milli-FTE wanted (500 = half an FTE)");
  sub->add_option("--min-slice-milli", f.min_slice_milli, "Smallest fill, milli-FTE");
  sub->add_option("--max-vendors", f.max_vendors, "Blend limit: at most this many vendors");
  sub->add_option("--max-rate", f.max_rate, "Cents per hour at most");
  sub->add_option("--start", f.start_date, "Start date YYYY-MM-DD");
  sub->add_option("--end", f.end_date, "End date YYYY-MM-DD");
  Repeatable(sub->add_option("--model", f.models, "Engagement model FSP, FSO or TM (repeatable)"));
  Repeatable(sub->add_option("--tag", f.tags, "Required tag (repeatable)"));
  Repeatable(sub->add_option("--vendor", f.vendors, "Allowed vendor id (repeatable)"));
  sub->add_flag("--ioc", f.ioc, "Immediate or cancel");
  sub->add_flag("--all-or-none", f.all_or_none, "IOC, all or none");
  sub->callback([s] {
    Run([&] { return SendOne(s->options, BuildSubmit(s->json, s->flags, DefaultClientRef())); });
  });
}

void AddPublish(CLI::App& app) {
  struct State {
    client::ClientOptions options;
    std::string json;
    PublishFlags flags;
  };
  auto s = std::make_shared<State>();
  CLI::App* sub = app.add_subcommand(
      "publish", "Publish an offer (VendorService.PublishOffer); print the CommandResult as JSON");
  sub->footer(
      "The body is a PublishOffer in protobuf JSON; flags are laid over it. E.g.\n"
      "  marketctl publish --role CTA --seniority 2 --country MX --hub MX-CTA-HUB "
      "--fte-milli 1000 --rate 3900 --from 2026-02-01");
  AddConnectionFlags(sub, &s->options);
  sub->add_option("body", s->json, "PublishOffer as JSON (optional)");
  PublishFlags& f = s->flags;
  sub->add_option("--client-ref", f.client_ref, "Idempotency key (default: generated)");
  sub->add_option("--role", f.role, "Role code, e.g. CTA");
  sub->add_option("--seniority", f.seniority, "Seniority 1..5");
  sub->add_option("--country", f.country, "Country code, e.g. MX");
  sub->add_option("--hub", f.hub, "Hub code inside the country, e.g. MX-CTA-HUB");
  sub->add_option("--fte-milli", f.fte_milli, "Milli-FTE offered");
  sub->add_option("--min-slice-milli", f.min_slice_milli, "Smallest fill, milli-FTE");
  sub->add_option("--rate", f.rate, "Cents per hour");
  sub->add_option("--from", f.available_from, "Available from YYYY-MM-DD");
  sub->add_option("--until", f.available_until, "Available until YYYY-MM-DD");
  sub->add_option("--model", f.model, "Engagement model FSP, FSO or TM");
  Repeatable(sub->add_option("--tag", f.tags, "Tag (repeatable)"));
  sub->add_flag("--ioc", f.ioc, "Immediate or cancel");
  sub->callback([s] {
    Run([&] { return SendOne(s->options, BuildPublish(s->json, s->flags, DefaultClientRef())); });
  });
}

void AddAmend(CLI::App& app) {
  struct State {
    client::ClientOptions options;
    std::string json;
    AmendFlags flags;
  };
  auto s = std::make_shared<State>();
  CLI::App* sub = app.add_subcommand(
      "amend",
      "Amend a resting request (--request R5) or offer (--offer O7); zero leaves a field as is");
  AddConnectionFlags(sub, &s->options);
  sub->add_option("body", s->json, "AmendRequest or AmendOffer as JSON (optional)");
  AmendFlags& f = s->flags;
  auto* request = sub->add_option("--request", f.request_id, "Request id R<sequence>");
  auto* offer = sub->add_option("--offer", f.offer_id, "Offer id O<sequence>");
  request->excludes(offer);
  sub->add_option("--client-ref", f.client_ref, "Idempotency key (default: generated)");
  sub->add_option("--fte-milli", f.fte_milli, "New remaining milli-FTE");
  sub->add_option("--rate,--max-rate", f.rate, "New rate (offer) or max rate (request), cents/h");
  sub->callback([s] {
    Run([&] { return SendOne(s->options, BuildAmend(s->json, s->flags, DefaultClientRef())); });
  });
}

void AddCancelWithdraw(CLI::App& app) {
  struct State {
    client::ClientOptions options;
    std::string id;
  };
  auto cancel_state = std::make_shared<State>();
  CLI::App* cancel =
      app.add_subcommand("cancel", "Cancel a resting request (SponsorService.CancelRequest)");
  AddConnectionFlags(cancel, &cancel_state->options);
  cancel->add_option("--request-id", cancel_state->id, "Request id R<sequence>")->required();
  cancel->callback(
      [s = cancel_state] { Run([&] { return SendOne(s->options, BuildCancel(s->id)); }); });

  auto withdraw_state = std::make_shared<State>();
  CLI::App* withdraw =
      app.add_subcommand("withdraw", "Withdraw a resting offer (VendorService.WithdrawOffer)");
  AddConnectionFlags(withdraw, &withdraw_state->options);
  withdraw->add_option("--offer-id", withdraw_state->id, "Offer id O<sequence>")->required();
  withdraw->callback(
      [s = withdraw_state] { Run([&] { return SendOne(s->options, BuildWithdraw(s->id)); }); });
}

// --- send: Command JSON lines ------------------------------------------------

int SendLinesUnary(grpc::Channel& channel, const std::string& key) {
  uint64_t line_number = 0, sent = 0, failed = 0;
  std::string line;
  while (std::getline(std::cin, line)) {
    ++line_number;
    if (codec::IsBlankLine(line)) continue;
    absl::StatusOr<pb::Command> command = codec::ParseCommandJson(line);
    if (!command.ok()) {
      ++failed;
      std::cerr << "marketctl: line " << line_number << ": " << command.status().message() << "\n";
      continue;
    }
    pb::CommandResult result;
    const grpc::Status status = client::SendCommand(channel, key, *command, &result);
    ++sent;
    if (!status.ok()) {
      ++failed;
      std::cerr << "marketctl: line " << line_number << ": " << StatusCodeName(status.error_code())
                << ": " << status.error_message() << "\n";
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
          status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
        break;  // nothing further would get through
      }
      continue;
    }
    std::cout << codec::ToJson(result) << "\n";
  }
  std::cerr << "marketctl: sent " << sent << ", failed or rejected " << failed << "\n";
  return failed == 0 ? 0 : 1;
}

int SendLinesStream(grpc::Channel& channel, const std::string& key) {
  std::shared_ptr<grpc::Channel> shared(&channel, [](grpc::Channel*) {});
  auto stub = pb::MarketService::NewStub(shared);
  grpc::ClientContext context;
  client::Prepare(&context, key, kStreamDeadline);
  auto stream = stub->Execute(&context);
  std::atomic<uint64_t> bad_lines{0};
  std::thread writer([&] {
    uint64_t line_number = 0;
    std::string line;
    pb::ExecuteRequest request;
    while (std::getline(std::cin, line)) {
      ++line_number;
      if (codec::IsBlankLine(line)) continue;
      absl::StatusOr<pb::Command> command = codec::ParseCommandJson(line);
      if (!command.ok()) {
        ++bad_lines;
        std::cerr << "marketctl: line " << line_number << ": " << command.status().message()
                  << "\n";
        continue;
      }
      *request.mutable_command() = *std::move(command);
      request.set_correlation_id(std::to_string(line_number));
      if (!stream->Write(request)) break;
    }
    stream->WritesDone();
  });
  uint64_t results = 0, rejected = 0;
  pb::CommandResult result;
  while (stream->Read(&result)) {
    ++results;
    if (result.events_size() == 1 && result.events(0).has_command_rejected()) ++rejected;
    std::cout << codec::ToJson(result) << "\n";
  }
  writer.join();
  const grpc::Status status = stream->Finish();
  std::cerr << "marketctl: " << results << " results, " << rejected << " rejected, " << bad_lines
            << " unreadable lines\n";
  if (!status.ok()) return FailRpc(status);
  return rejected == 0 && bad_lines == 0 ? 0 : 1;
}

void AddSend(CLI::App& app) {
  struct State {
    client::ClientOptions options;
    bool stream = false;
  };
  auto s = std::make_shared<State>();
  CLI::App* sub = app.add_subcommand(
      "send",
      "Send Command JSON lines from stdin with --key (each line's principal is ignored); print "
      "each CommandResult as a JSON line");
  AddConnectionFlags(sub, &s->options);
  sub->add_flag("--stream", s->stream,
                "Pipeline them on one MarketService.Execute stream instead of unary calls");
  sub->callback([s] {
    Run([&] {
      absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = Open(s->options);
      if (!channel.ok()) return Fail(channel.status());
      return s->stream ? SendLinesStream(**channel, s->options.key)
                       : SendLinesUnary(**channel, s->options.key);
    });
  });
}

// --- watch and events: Event JSON lines --------------------------------------

struct StreamStop {
  uint64_t limit = 0;   // stop after this many events; 0 = never
  int64_t idle_ms = 0;  // stop after this long without an event; 0 = never
};

void AddStopFlags(CLI::App* sub, StreamStop* stop) {
  sub->add_option("--limit", stop->limit, "Stop after this many events (0: follow forever)");
  sub->add_option("--idle-timeout-ms", stop->idle_ms,
                  "Stop after this long without an event (0: never)");
}

// Prints each event of the stream `open` starts as a JSON line, until the
// server ends it or `stop` says so (which is a clean exit).
template <typename OpenStream>
int PrintEvents(const client::ClientOptions& options, const StreamStop& stop, OpenStream open) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = Open(options);
  if (!channel.ok()) return Fail(channel.status());
  grpc::ClientContext context;
  client::Prepare(&context, options.key, kStreamDeadline);
  std::unique_ptr<grpc::ClientReader<pb::Event>> reader = open(*channel, &context);

  std::mutex mu;
  std::condition_variable finished_cv;
  bool finished = false;
  bool idle_stop = false;
  auto last_event = std::chrono::steady_clock::now();
  std::thread watchdog;
  if (stop.idle_ms > 0) {
    watchdog = std::thread([&] {
      const auto idle = std::chrono::milliseconds(stop.idle_ms);
      std::unique_lock lock(mu);
      while (!finished) {
        const auto due = last_event + idle;
        if (finished_cv.wait_until(lock, due, [&] { return finished; })) break;
        if (std::chrono::steady_clock::now() >= last_event + idle) {
          idle_stop = true;
          context.TryCancel();
          break;
        }
      }
    });
  }
  uint64_t count = 0;
  bool limit_stop = false;
  pb::Event event;
  while (reader->Read(&event)) {
    std::cout << codec::ToJson(event) << "\n" << std::flush;
    {
      const std::lock_guard lock(mu);
      last_event = std::chrono::steady_clock::now();
    }
    if (stop.limit != 0 && ++count >= stop.limit) {
      limit_stop = true;
      context.TryCancel();
      while (reader->Read(&event)) {
      }
      break;
    }
  }
  const grpc::Status status = reader->Finish();
  {
    const std::lock_guard lock(mu);
    finished = true;
  }
  finished_cv.notify_all();
  if (watchdog.joinable()) watchdog.join();
  if (limit_stop || (idle_stop && status.error_code() == grpc::StatusCode::CANCELLED)) return 0;
  if (!status.ok()) return FailRpc(status);
  return 0;
}

void AddWatch(CLI::App& app) {
  struct State {
    client::ClientOptions options;
    std::string as;
    uint64_t from = 0;
    StreamStop stop;
  };
  auto s = std::make_shared<State>();
  CLI::App* sub = app.add_subcommand(
      "watch",
      "Print the caller's AssignmentCreated events as JSON lines: catch-up from --from, then live "
      "(SponsorService / VendorService.WatchAssignments)");
  AddConnectionFlags(sub, &s->options);
  sub->add_option("--as", s->as, "Which service: sponsor or vendor (the key's kind)")
      ->required()
      ->check(CLI::IsMember({"sponsor", "vendor"}));
  sub->add_option("--from", s->from, "First sequence to replay (0: from the start)");
  AddStopFlags(sub, &s->stop);
  sub->callback([s] {
    Run([&] {
      return PrintEvents(
          s->options, s->stop,
          [&](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* context) {
            pb::WatchAssignmentsRequest request;
            request.set_from_sequence(s->from);
            std::unique_ptr<grpc::ClientReader<pb::Event>> reader;
            if (s->as == "sponsor") {
              reader = pb::SponsorService::NewStub(channel)->WatchAssignments(context, request);
            } else {
              reader = pb::VendorService::NewStub(channel)->WatchAssignments(context, request);
            }
            return reader;
          });
    });
  });
}

void AddEvents(CLI::App& app) {
  struct State {
    client::ClientOptions options;
    uint64_t from = 0;
    std::vector<std::string> types;
    std::vector<std::string> participants;
    StreamStop stop;
  };
  auto s = std::make_shared<State>();
  CLI::App* sub = app.add_subcommand(
      "events",
      "Print the market's events as JSON lines from --from, then live (OpsService.StreamEvents; "
      "an ops or admin key)");
  AddConnectionFlags(sub, &s->options);
  sub->add_option("--from", s->from, "First sequence (0: from the start)");
  Repeatable(sub->add_option("--type", s->types,
                             "Only this event type, e.g. assignment_created (repeatable)"));
  Repeatable(sub->add_option("--participant", s->participants,
                             "Only events naming this participant id (repeatable)"));
  AddStopFlags(sub, &s->stop);
  sub->callback([s] {
    Run([&] {
      if (absl::Status types = CheckEventTypes(s->types); !types.ok()) return Fail(types);
      return PrintEvents(s->options, s->stop,
                         [&](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* context) {
                           pb::StreamEventsRequest request;
                           request.set_from_sequence(s->from);
                           for (const std::string& t : s->types) request.add_event_types(t);
                           for (const std::string& p : s->participants)
                             request.add_participant_ids(p);
                           return pb::OpsService::NewStub(channel)->StreamEvents(context, request);
                         });
    });
  });
}

// --- keys add ----------------------------------------------------------------

void AddKeys(CLI::App& app) {
  struct State {
    std::string principal;
    std::string keys_file;
  };
  auto s = std::make_shared<State>();
  CLI::App* keys = app.add_subcommand("keys", "Manage marketd's API keys file");
  keys->require_subcommand(1);
  CLI::App* add = keys->add_subcommand(
      "add",
      "Add a key for PRINCIPAL (admin, ops, sponsor:<id>, vendor:<id>) to the keys file; print "
      "the key, once, on stdout. marketd re-reads the file within about a second.");
  add->add_option("principal", s->principal, "Who the key names")->required();
  add->add_option("--keys", s->keys_file, "marketd's keys file (default <data-dir>/api-keys.txt)")
      ->required();
  add->callback([s] {
    Run([&] {
      absl::StatusOr<auth::Principal> principal = auth::ParsePrincipal(s->principal);
      if (!principal.ok()) return Fail(principal.status());
      absl::StatusOr<std::string> key = auth::AppendKey(s->keys_file, *principal);
      if (!key.ok()) return Fail(key.status());
      std::cout << *key << "\n";
      std::cerr << "marketctl: added a key for " << principal->ToString() << " to " << s->keys_file
                << "; it is shown only this once (the file keeps its hash)\n";
      return 0;
    });
  });
}

// --- seed-demo -------------------------------------------------------------------

struct SeedDemoFlags {
  client::ClientOptions options;
  std::string keys_file;
  size_t orders = 200;
  size_t sponsors = 3;
  size_t vendors = 3;
  int concurrency = 8;
  uint64_t seed = 1;
};

int SendDemoOrders(grpc::Channel& channel, const SeedDemoFlags& flags) {
  const DemoOrders demo = PickDemoOrders(flags.seed, flags.sponsors, flags.vendors, flags.orders);
  std::map<std::string, std::string> keys;
  std::cout << "demo participant keys (shown once; their hashes are in " << flags.keys_file
            << "):\n";
  for (const std::string& text : demo.principals) {
    absl::StatusOr<auth::Principal> principal = auth::ParsePrincipal(text);
    if (!principal.ok()) return Fail(principal.status());
    absl::StatusOr<std::string> key = auth::AppendKey(flags.keys_file, *principal);
    if (!key.ok()) return Fail(key.status());
    keys[text] = *key;
    std::cout << "  " << text << " " << *key << "\n";
  }
  std::cout.flush();
  std::cerr << "marketctl: sending " << demo.orders.size() << " orders of "
            << demo.principals.size() << " demo participants\n";
  uint64_t accepted = 0, duplicates = 0, rejected = 0, assignments = 0, assigned_milli = 0;
  for (const pb::Command& order : demo.orders) {
    pb::CommandResult result;
    // A new key works once marketd has re-read the keys file (about a second).
    const grpc::Status status = SendWithRetry(channel, keys[order.principal()], order, &result,
                                              std::chrono::seconds(30), std::chrono::seconds(10));
    if (!status.ok()) {
      if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
          status.error_code() == grpc::StatusCode::UNAVAILABLE) {
        return FailRpc(status);
      }
      ++rejected;
      continue;
    }
    if (result.duplicate()) {
      ++duplicates;
      continue;
    }
    ++accepted;
    for (const pb::Event& event : result.events()) {
      if (event.has_assignment_created()) {
        ++assignments;
        assigned_milli += static_cast<uint64_t>(event.assignment_created().fte_milli());
      }
    }
  }
  std::cout << "orders: " << accepted << " accepted, " << duplicates
            << " duplicates (sent before), " << rejected << " rejected; " << assignments
            << " assignments, " << assigned_milli << " milli-FTE assigned\n";
  return 0;
}

void AddSeedDemo(CLI::App& app) {
  auto s = std::make_shared<SeedDemoFlags>();
  CLI::App* sub = app.add_subcommand(
      "seed-demo",
      "Load the demo market through AdminService (an admin key): 5 regions, 40 countries, 12 "
      "hubs, 40 roles, 25 vendors, 200 sponsors, contracts with 1,000-1,500 rates each. With "
      "--keys, also add keys for a few demo sponsors and vendors and send their orders.");
  AddConnectionFlags(sub, &s->options);
  sub->add_option("--keys", s->keys_file,
                  "marketd's keys file (same machine): enables the demo orders");
  sub->add_option("--orders", s->orders, "Demo orders to send (with --keys)")
      ->capture_default_str();
  sub->add_option("--sponsors", s->sponsors, "Demo sponsors given a key")->capture_default_str();
  sub->add_option("--vendors", s->vendors, "Demo vendors given a key")->capture_default_str();
  sub->add_option("--concurrency", s->concurrency, "Calls in flight while seeding")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  sub->add_option("--seed", s->seed, "Workload seed of the demo market")->capture_default_str();
  sub->callback([s] {
    Run([&] {
      absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = Open(s->options);
      if (!channel.ok()) return Fail(channel.status());
      const std::vector<pb::Command> reference = DemoReferenceData(s->seed);
      std::cerr << "marketctl: demo market: " << Describe(ShapeOf(reference)) << "\n";
      SeedOptions options;
      options.concurrency = s->concurrency;
      options.progress = [](const std::string& line) {
        std::cerr << "marketctl: " << line << "\n";
      };
      const auto start = std::chrono::steady_clock::now();
      absl::StatusOr<SeedReport> report =
          SeedReferenceData(**channel, s->options.key, SeedStages(reference), options);
      if (!report.ok()) {
        return Fail("seeding stopped: " + absl::StatusCodeToString(report.status().code()) + ": " +
                    std::string(report.status().message()));
      }
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (report->already_seeded()) {
        std::cout << "already seeded: " << Describe(report->skipped) << "\n";
      } else {
        std::cout << "seeded in " << static_cast<int64_t>(seconds * 1000)
                  << " ms: " << Describe(report->sent) << "\n";
        if (report->skipped.commands() != 0) {
          std::cout << "already there (skipped): " << Describe(report->skipped) << "\n";
        }
      }
      for (const std::string& r : report->rejections)
        std::cerr << "marketctl: rejected " << r << "\n";
      if (report->rejected != 0) {
        return Fail(std::to_string(report->rejected) + " reference-data commands were rejected");
      }
      if (s->keys_file.empty()) {
        if (s->orders != 0) {
          std::cerr << "marketctl: no --keys: no demo orders (they need keys for demo sponsors "
                       "and vendors)\n";
        }
        return 0;
      }
      if (s->orders == 0) return 0;
      return SendDemoOrders(**channel, *s);
    });
  });
}

}  // namespace

void AddClientCommands(CLI::App& app) {
  AddSubmit(app);
  AddPublish(app);
  AddAmend(app);
  AddCancelWithdraw(app);
  AddSend(app);
  AddWatch(app);
  AddEvents(app);
  AddKeys(app);
  AddSeedDemo(app);
}

}  // namespace market::tools
