// marketctl's client subcommands: the ones that talk to a running marketd
// over gRPC (API.md). Each takes --server, --key (or $MARKET_KEY) and the TLS
// flags --tls-ca, --tls-cert, --tls-key, --tls-server-name.
//
//   submit    [JSON] [flags]            SponsorService.SubmitRequest
//   publish   [JSON] [flags]            VendorService.PublishOffer
//   amend     --request R5 | --offer O7 AmendRequest / AmendOffer
//   cancel    --request-id R5           SponsorService.CancelRequest
//   withdraw  --offer-id O7             VendorService.WithdrawOffer
//   send      [--stream]                Command JSON lines on stdin, unary or MarketService.Execute
//   watch     --as sponsor|vendor       WatchAssignments: Event JSON lines
//   events    [--from N] [--type T]...  OpsService.StreamEvents: Event JSON lines
//   keys add  PRINCIPAL --keys FILE     a new API key in marketd's keys file (no network)
//   seed-demo [--keys FILE]             the demo market through AdminService, then demo orders
//
// A command prints its CommandResult as one JSON line on stdout; a rejection
// prints "marketctl: <CODE>: <message>" on stderr and exits 1.
//
// Registration only: each subcommand runs from its CLI11 callback during
// app.parse() and ends the parse by throwing CLI::RuntimeError(exit code) --
// 0 included -- which CLI11_PARSE turns into main's return value silently.
#pragma once

#include <CLI/CLI.hpp>

namespace market::tools {

void AddClientCommands(CLI::App& app);

}  // namespace market::tools
