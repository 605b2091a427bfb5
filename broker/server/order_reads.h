// Reads of a participant's own orders for GetRequest / ListRequests /
// GetOffer / ListOffers: open orders from the engine (remaining FTE and
// priority), closed ones from their accept event in the journal (remaining 0).
// Another participant's order is NOT_FOUND, exactly like an unknown id, so no
// caller learns what others have.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "broker/server/server_context.h"
#include "marketplace/v1/service.pb.h"

namespace market::server {

absl::StatusOr<marketplace::v1::Request> ReadRequest(const ServiceContext& service,
                                                     const std::string& sponsor_id,
                                                     const std::string& request_id);
absl::StatusOr<marketplace::v1::Offer> ReadOffer(const ServiceContext& service,
                                                 const std::string& vendor_id,
                                                 const std::string& offer_id);
absl::StatusOr<marketplace::v1::ListRequestsResponse> ListRequests(
    const ServiceContext& service, const std::string& sponsor_id,
    const marketplace::v1::ListRequestsRequest& request);
absl::StatusOr<marketplace::v1::ListOffersResponse> ListOffers(
    const ServiceContext& service, const std::string& vendor_id,
    const marketplace::v1::ListOffersRequest& request);

}  // namespace market::server
