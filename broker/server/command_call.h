// One command on behalf of an RPC: sequenced, made durable, answered.
#pragma once

#include "broker/server/sequencer.h"
#include "grpcpp/server_context.h"
#include "marketplace/v1/service.pb.h"
#include "storage/journal.h"

namespace market::server {

// The caller's deadline on the steady clock (far future when none was set).
Sequencer::Deadline DeadlineOf(const grpc::ServerContext& context);

// Fills `out` from a sequenced command. A duplicate carries the events of the
// original command, read back from the journal: a retry gets the original
// outcome, also after a restart.
absl::Status FillResult(const storage::Journal& journal, SequencedCommand sequenced,
                        marketplace::v1::CommandResult* out);

// Runs `command` (principal already set) through the sequencer and waits until
// it is durable. A rejected command answers with the rejection's status code
// and "<field>: <message>", and the sequence in trailing metadata
// `market-sequence`; the rejection is journaled all the same.
grpc::Status RunUnaryCommand(grpc::ServerContext* context, Sequencer& sequencer,
                             const storage::Journal& journal, marketplace::v1::Command command,
                             marketplace::v1::CommandResult* out);

}  // namespace market::server
