#include "broker/server/order_reads.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/strings/numbers.h"
#include "broker/server/state_view.h"
#include "matcher/order_id.h"
#include "matcher/snapshot.h"

namespace market::server {
namespace {

namespace pb = marketplace::v1;
namespace m = market::matcher;

// "R17" -> 17 (prefix 'R' or 'O'), in the canonical form the engine forms
// and reads ids in, so that a read answers for exactly the ids an amend or
// cancel would.
std::optional<uint64_t> ParseOrderId(const std::string& id, char prefix) {
  const uint64_t sequence = m::ParseOrderId(id, prefix);
  if (sequence == 0) return std::nullopt;
  return sequence;
}

absl::StatusOr<m::EngineSnapshot> ReadSnapshot(const ServiceContext& service) {
  m::EngineSnapshot snapshot;
  const absl::Status read = service.sequencer->Read(
      [&](const storage::JournaledMarket& market) { snapshot = market.engine().Snapshot(); });
  if (!read.ok()) return read;
  return snapshot;
}

// The accept event of order `sequence`, from the journal.
absl::StatusOr<pb::Event> ReadAccept(const ServiceContext& service, uint64_t sequence) {
  std::optional<pb::Event> accept;
  const absl::Status read =
      service.journal->Read(sequence, sequence, [&](const storage::JournalEntry& entry) {
        if (entry.events.empty()) return absl::OkStatus();
        pb::Event event;
        if (!event.ParseFromString(entry.events[0])) {
          return absl::DataLossError("journaled event of sequence " + std::to_string(sequence) +
                                     " does not parse");
        }
        accept = std::move(event);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  if (!accept) return absl::NotFoundError("no order at sequence " + std::to_string(sequence));
  return *accept;
}

absl::StatusOr<pb::Request> ClosedRequest(const ServiceContext& service, uint64_t id) {
  absl::StatusOr<pb::Event> accept = ReadAccept(service, id);
  if (!accept.ok()) return accept.status();
  if (!accept->has_request_accepted()) return absl::NotFoundError("not a request");
  pb::Request request = accept->request_accepted().request();
  request.set_remaining_milli(0);
  return request;
}

absl::StatusOr<pb::Offer> ClosedOffer(const ServiceContext& service, uint64_t id) {
  absl::StatusOr<pb::Event> accept = ReadAccept(service, id);
  if (!accept.ok()) return accept.status();
  if (!accept->has_offer_accepted()) return absl::NotFoundError("not an offer");
  pb::Offer offer = accept->offer_accepted().offer();
  offer.set_remaining_milli(0);
  return offer;
}

absl::Status NotYours(const std::string& field, const std::string& id) {
  return absl::NotFoundError(field + ": no order " + id + " of yours");
}

int PageSize(int requested, int max) {
  if (requested <= 0) return 100;
  return std::min(requested, max);
}

}  // namespace

absl::StatusOr<pb::Request> ReadRequest(const ServiceContext& service,
                                        const std::string& sponsor_id,
                                        const std::string& request_id) {
  const std::optional<uint64_t> id = ParseOrderId(request_id, 'R');
  if (!id) return absl::InvalidArgumentError("request_id: expected R<sequence>");
  std::optional<m::EngineSnapshot::OpenRequest> open;
  std::optional<m::EngineSnapshot::ClosedOrder> closed;
  const absl::Status read = service.sequencer->Read([&](const storage::JournaledMarket& market) {
    open = market.engine().FindOpenRequest(*id);
    if (!open) closed = market.engine().FindClosedOrder(*id);
  });
  if (!read.ok()) return read;
  if (open) {
    if (open->order.sponsor_id != sponsor_id) return NotYours("request_id", request_id);
    return ToRequest(*open);
  }
  if (closed && closed->side == m::Side::kRequest && closed->owner == sponsor_id) {
    return ClosedRequest(service, *id);
  }
  return NotYours("request_id", request_id);
}

absl::StatusOr<pb::Offer> ReadOffer(const ServiceContext& service, const std::string& vendor_id,
                                    const std::string& offer_id) {
  const std::optional<uint64_t> id = ParseOrderId(offer_id, 'O');
  if (!id) return absl::InvalidArgumentError("offer_id: expected O<sequence>");
  std::optional<m::EngineSnapshot::OpenOffer> open;
  std::optional<m::EngineSnapshot::ClosedOrder> closed;
  const absl::Status read = service.sequencer->Read([&](const storage::JournaledMarket& market) {
    open = market.engine().FindOpenOffer(*id);
    if (!open) closed = market.engine().FindClosedOrder(*id);
  });
  if (!read.ok()) return read;
  if (open) {
    if (open->order.vendor_id != vendor_id) return NotYours("offer_id", offer_id);
    return ToOffer(*open);
  }
  if (closed && closed->side == m::Side::kOffer && closed->owner == vendor_id) {
    return ClosedOffer(service, *id);
  }
  return NotYours("offer_id", offer_id);
}

namespace {

// What differs between listing requests and listing offers.
struct RequestSide {
  using Open = m::EngineSnapshot::OpenRequest;
  static constexpr m::Side kSide = m::Side::kRequest;
  static const std::vector<Open>& Opens(const m::EngineSnapshot& s) { return s.requests; }
  static const std::string& Owner(const Open& open) { return open.order.sponsor_id; }
  static pb::Request View(const Open& open) { return ToRequest(open); }
  static absl::StatusOr<pb::Request> Closed(const ServiceContext& service, uint64_t id) {
    return ClosedRequest(service, id);
  }
  static pb::Request* Add(pb::ListRequestsResponse& response) { return response.add_requests(); }
};

struct OfferSide {
  using Open = m::EngineSnapshot::OpenOffer;
  static constexpr m::Side kSide = m::Side::kOffer;
  static const std::vector<Open>& Opens(const m::EngineSnapshot& s) { return s.offers; }
  static const std::string& Owner(const Open& open) { return open.order.vendor_id; }
  static pb::Offer View(const Open& open) { return ToOffer(open); }
  static absl::StatusOr<pb::Offer> Closed(const ServiceContext& service, uint64_t id) {
    return ClosedOffer(service, id);
  }
  static pb::Offer* Add(pb::ListOffersResponse& response) { return response.add_offers(); }
};

// One page of `owner`'s orders of one side, ids ascending: open ones with
// their state, closed ones (unless open_only) from their accept event.
template <typename Side, typename Response, typename ListRequest>
absl::StatusOr<Response> ListOwn(const ServiceContext& service, const std::string& owner,
                                 const ListRequest& request) {
  if (request.page_size() < 0 || request.page_size() > service.limits.max_page_size) {
    return absl::InvalidArgumentError("page_size: 0 .. " +
                                      std::to_string(service.limits.max_page_size));
  }
  uint64_t after = 0;
  if (!request.page_token().empty() && !absl::SimpleAtoi(request.page_token(), &after)) {
    return absl::InvalidArgumentError("page_token: not a token from a previous page");
  }
  absl::StatusOr<m::EngineSnapshot> snapshot = ReadSnapshot(service);
  if (!snapshot.ok()) return snapshot.status();
  std::vector<std::pair<uint64_t, const typename Side::Open*>> ids;
  for (const auto& open : Side::Opens(*snapshot)) {
    if (Side::Owner(open) == owner && open.id > after) ids.emplace_back(open.id, &open);
  }
  if (!request.open_only()) {
    for (const auto& closed : snapshot->closed) {
      if (closed.side == Side::kSide && closed.owner == owner && closed.id > after) {
        ids.emplace_back(closed.id, nullptr);
      }
    }
  }
  std::sort(ids.begin(), ids.end());
  const size_t page = static_cast<size_t>(PageSize(request.page_size(), 1000));
  Response response;
  for (size_t i = 0; i < ids.size() && i < page; ++i) {
    if (ids[i].second != nullptr) {
      *Side::Add(response) = Side::View(*ids[i].second);
    } else {
      auto closed = Side::Closed(service, ids[i].first);
      if (!closed.ok()) return closed.status();
      *Side::Add(response) = *std::move(closed);
    }
  }
  if (ids.size() > page) response.set_next_page_token(std::to_string(ids[page - 1].first));
  return response;
}

}  // namespace

absl::StatusOr<pb::ListRequestsResponse> ListRequests(const ServiceContext& service,
                                                      const std::string& sponsor_id,
                                                      const pb::ListRequestsRequest& request) {
  return ListOwn<RequestSide, pb::ListRequestsResponse>(service, sponsor_id, request);
}

absl::StatusOr<pb::ListOffersResponse> ListOffers(const ServiceContext& service,
                                                  const std::string& vendor_id,
                                                  const pb::ListOffersRequest& request) {
  return ListOwn<OfferSide, pb::ListOffersResponse>(service, vendor_id, request);
}

}  // namespace market::server
