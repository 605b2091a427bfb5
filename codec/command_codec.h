// Maps a proto Command (API.md) to the matcher's own Command struct, field for
// field, without validating: the engine validates so that every bad value
// becomes a CommandRejected naming its field.
#pragma once

#include "marketplace/v1/command.pb.h"
#include "matcher/command.h"

namespace market::codec {

matcher::Command FromProto(const marketplace::v1::Command& command);

}  // namespace market::codec
