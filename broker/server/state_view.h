// Proto views of engine state for the read RPCs (GetRequest, ListOffers,
// GetReferenceData, GetContract): the stored order as its accept event shows
// it, plus what has changed since (remaining FTE, priority).
#pragma once

#include "marketplace/v1/service.pb.h"
#include "matcher/snapshot.h"

namespace market::server {

marketplace::v1::Request ToRequest(const matcher::EngineSnapshot::OpenRequest& open);
marketplace::v1::Offer ToOffer(const matcher::EngineSnapshot::OpenOffer& open);
marketplace::v1::Contract ToContract(const matcher::EngineSnapshot::Contract& contract);
marketplace::v1::ReferenceData ToReferenceData(const matcher::EngineSnapshot& snapshot);

}  // namespace market::server
