#include "broker/server/state_view.h"

#include "codec/event_codec.h"

namespace market::server {

namespace pb = marketplace::v1;
namespace m = market::matcher;

pb::Request ToRequest(const m::EngineSnapshot::OpenRequest& open) {
  const m::RequestAccepted view{
      .request_sequence = open.id,
      .order = &open.order,
      .sponsor_id = open.order.sponsor_id,
      .min_seniority = open.order.min_seniority,
      .time_in_force = static_cast<m::TimeInForce>(open.order.time_in_force)};
  pb::Event event;
  codec::ToProto(m::Event(view), open.id, 0, &event);
  pb::Request request = std::move(*event.mutable_request_accepted()->mutable_request());
  request.set_remaining_milli(open.remaining_milli);
  request.set_priority_sequence(open.priority_sequence);
  return request;
}

pb::Offer ToOffer(const m::EngineSnapshot::OpenOffer& open) {
  const m::OfferAccepted view{
      .offer_sequence = open.id,
      .order = &open.order,
      .vendor_id = open.order.vendor_id,
      .engagement_model = static_cast<m::EngagementModel>(open.order.engagement_model),
      .time_in_force = static_cast<m::TimeInForce>(open.order.time_in_force)};
  pb::Event event;
  codec::ToProto(m::Event(view), open.id, 0, &event);
  pb::Offer offer = std::move(*event.mutable_offer_accepted()->mutable_offer());
  offer.set_remaining_milli(open.remaining_milli);
  offer.set_priority_sequence(open.priority_sequence);
  return offer;
}

pb::Contract ToContract(const m::EngineSnapshot::Contract& contract) {
  const m::UpsertContract& c = contract.contract;
  pb::Contract out;
  out.set_contract_id(c.contract_id);
  out.set_sponsor_id(c.sponsor_id);
  out.set_vendor_id(c.vendor_id);
  out.set_active(c.active);
  out.set_max_fte_milli(c.max_fte_milli);
  out.set_used_fte_milli(contract.used_fte_milli);
  for (const m::RateCardEntry& rate : c.rates) {
    pb::RateCardEntry* entry = out.add_rates();
    entry->set_role(rate.role);
    entry->set_seniority(rate.seniority);
    entry->set_country(rate.country);
    entry->set_max_rate(rate.max_rate);
  }
  return out;
}

pb::ReferenceData ToReferenceData(const m::EngineSnapshot& snapshot) {
  pb::ReferenceData out;
  for (const m::DefineRole& role : snapshot.roles) {
    pb::Role* r = out.add_roles();
    r->set_code(role.code);
    r->set_name(role.name);
    r->set_family(role.family);
  }
  for (const m::DefineLocation& location : snapshot.locations) {
    pb::Location* l = out.add_locations();
    l->set_kind(static_cast<pb::LocationKind>(location.kind));
    l->set_code(location.code);
    l->set_parent(location.parent);
  }
  for (const m::UpsertParticipant& participant : snapshot.participants) {
    pb::Participant* p = out.add_participants();
    p->set_id(participant.id);
    p->set_kind(static_cast<pb::ParticipantKind>(participant.kind));
    p->set_name(participant.name);
  }
  return out;
}

}  // namespace market::server
