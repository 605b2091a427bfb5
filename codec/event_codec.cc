#include "codec/event_codec.h"

#include "absl/strings/str_cat.h"

namespace market::codec {
namespace {

namespace pb = marketplace::v1;
namespace m = market::matcher;

void Fill(const m::RequestAccepted& e, pb::RequestAccepted* out) {
  out->set_request_id(RequestId(e.request_sequence));
  pb::Request* r = out->mutable_request();
  const m::SubmitRequest& c = *e.order;
  r->set_sponsor_id(std::string(e.sponsor_id));
  r->set_client_ref(c.client_ref);
  r->set_role(c.role);
  r->set_min_seniority(e.min_seniority);
  for (const std::string& l : c.locations) r->add_locations(l);
  r->set_fte_milli(c.fte_milli);
  r->set_min_slice_milli(c.min_slice_milli);
  r->set_max_vendors(c.max_vendors);
  r->set_max_rate(c.max_rate);
  r->set_start_date(c.start_date);
  r->set_end_date(c.end_date);
  for (int32_t model : c.engagement_models) {
    r->add_engagement_models(static_cast<pb::EngagementModel>(model));
  }
  for (const std::string& t : c.required_tags) r->add_required_tags(t);
  for (const std::string& v : c.vendor_allowlist) r->add_vendor_allowlist(v);
  r->set_time_in_force(static_cast<pb::TimeInForce>(e.time_in_force));
  r->set_all_or_none(c.all_or_none);
  r->set_request_id(out->request_id());
  r->set_remaining_milli(c.fte_milli);
  r->set_priority_sequence(e.request_sequence);
}

void Fill(const m::OfferAccepted& e, pb::OfferAccepted* out) {
  out->set_offer_id(OfferId(e.offer_sequence));
  pb::Offer* o = out->mutable_offer();
  const m::PublishOffer& c = *e.order;
  o->set_vendor_id(std::string(e.vendor_id));
  o->set_client_ref(c.client_ref);
  o->set_role(c.role);
  o->set_seniority(c.seniority);
  o->set_country(c.country);
  o->set_hub(c.hub);
  o->set_fte_milli(c.fte_milli);
  o->set_min_slice_milli(c.min_slice_milli);
  o->set_rate(c.rate);
  o->set_available_from(c.available_from);
  o->set_available_until(c.available_until);
  o->set_engagement_model(static_cast<pb::EngagementModel>(e.engagement_model));
  for (const std::string& t : c.tags) o->add_tags(t);
  o->set_time_in_force(static_cast<pb::TimeInForce>(e.time_in_force));
  o->set_offer_id(out->offer_id());
  o->set_remaining_milli(c.fte_milli);
  o->set_priority_sequence(e.offer_sequence);
}

void Fill(const m::AssignmentCreated& e, uint64_t sequence, uint32_t index,
          pb::AssignmentCreated* out) {
  out->set_assignment_id(absl::StrCat("A", sequence, "-", index));
  out->set_request_id(RequestId(e.request_sequence));
  out->set_offer_id(OfferId(e.offer_sequence));
  out->set_contract_id(std::string(e.contract_id));
  out->set_sponsor_id(std::string(e.sponsor_id));
  out->set_vendor_id(std::string(e.vendor_id));
  out->set_role(std::string(e.role));
  out->set_seniority(e.seniority);
  out->set_country(std::string(e.country));
  out->set_hub(std::string(e.hub));
  out->set_fte_milli(e.fte_milli);
  out->set_rate(e.rate);
  out->set_start_date(m::FormatDate(e.start_date));
  out->set_end_date(m::FormatDate(e.end_date));
  out->set_request_remaining_milli(e.request_remaining_milli);
  out->set_offer_remaining_milli(e.offer_remaining_milli);
}

void Fill(const m::OrderClosed& e, pb::Event* out) {
  const auto reason = static_cast<pb::CloseReason>(e.reason);
  if (e.side == m::Side::kRequest) {
    out->mutable_request_closed()->set_request_id(RequestId(e.order_sequence));
    out->mutable_request_closed()->set_reason(reason);
  } else {
    out->mutable_offer_closed()->set_offer_id(OfferId(e.order_sequence));
    out->mutable_offer_closed()->set_reason(reason);
  }
}

void Fill(const m::OrderAmended& e, pb::Event* out) {
  if (e.side == m::Side::kRequest) {
    pb::RequestAmended* a = out->mutable_request_amended();
    a->set_request_id(RequestId(e.order_sequence));
    a->set_remaining_milli(e.remaining_milli);
    a->set_max_rate(e.price);
    a->set_priority_sequence(e.priority_sequence);
    a->set_client_ref(std::string(e.client_ref));
  } else {
    pb::OfferAmended* a = out->mutable_offer_amended();
    a->set_offer_id(OfferId(e.order_sequence));
    a->set_remaining_milli(e.remaining_milli);
    a->set_rate(e.price);
    a->set_priority_sequence(e.priority_sequence);
    a->set_client_ref(std::string(e.client_ref));
  }
}

void CopyEntry(const m::RateCardEntry& e, pb::RateCardEntry* out) {
  out->set_role(e.role);
  out->set_seniority(e.seniority);
  out->set_country(e.country);
  out->set_max_rate(e.max_rate);
}

}  // namespace

std::string RequestId(uint64_t sequence) { return absl::StrCat("R", sequence); }
std::string OfferId(uint64_t sequence) { return absl::StrCat("O", sequence); }

void ToProto(const m::Event& event, uint64_t sequence, uint32_t index, pb::Event* out) {
  struct Visitor {
    uint64_t sequence;
    uint32_t index;
    pb::Event* out;
    void operator()(const m::RequestAccepted& e) { Fill(e, out->mutable_request_accepted()); }
    void operator()(const m::OfferAccepted& e) { Fill(e, out->mutable_offer_accepted()); }
    void operator()(const m::AssignmentCreated& e) {
      Fill(e, sequence, index, out->mutable_assignment_created());
    }
    void operator()(const m::OrderClosed& e) { Fill(e, out); }
    void operator()(const m::OrderAmended& e) { Fill(e, out); }
    void operator()(const m::CommandRejected& e) {
      pb::CommandRejected* r = out->mutable_command_rejected();
      r->set_code(static_cast<pb::RejectCode>(e.code));
      r->set_field(std::string(e.field));
      r->set_message(std::string(e.message));
    }
    void operator()(const m::RoleDefined& e) {
      pb::RoleDefined* r = out->mutable_role_defined();
      r->set_code(e.command->code);
      r->set_name(e.command->name);
      r->set_family(e.command->family);
    }
    void operator()(const m::LocationDefined& e) {
      pb::LocationDefined* l = out->mutable_location_defined();
      l->set_kind(static_cast<pb::LocationKind>(e.command->kind));
      l->set_code(e.command->code);
      l->set_parent(e.command->parent);
    }
    void operator()(const m::ParticipantUpserted& e) {
      pb::ParticipantUpserted* p = out->mutable_participant_upserted();
      p->set_id(e.command->id);
      p->set_kind(static_cast<pb::ParticipantKind>(e.command->kind));
      p->set_name(e.command->name);
    }
    void operator()(const m::ContractUpserted& e) {
      pb::ContractUpserted* c = out->mutable_contract_upserted();
      c->set_contract_id(e.command->contract_id);
      c->set_sponsor_id(e.command->sponsor_id);
      c->set_vendor_id(e.command->vendor_id);
      c->set_active(e.command->active);
      c->set_max_fte_milli(e.command->max_fte_milli);
      c->mutable_rates()->Reserve(static_cast<int>(e.rates.size()));
      for (const m::RateCardRow& row : e.rates) {
        pb::RateCardEntry* entry = c->add_rates();
        entry->set_role(std::string(row.role));
        entry->set_seniority(row.seniority);
        entry->set_country(std::string(row.country));
        entry->set_max_rate(row.max_rate);
      }
      c->set_used_fte_milli(e.used_fte_milli);
    }
    void operator()(const m::RateCardPatched& e) {
      pb::RateCardPatched* p = out->mutable_rate_card_patched();
      p->set_contract_id(e.command->contract_id);
      for (const m::RateCardEntry& u : e.command->upserts) CopyEntry(u, p->add_upserts());
      for (const m::RateCardKey& k : e.command->removals) {
        pb::RateCardKey* key = p->add_removals();
        key->set_role(k.role);
        key->set_seniority(k.seniority);
        key->set_country(k.country);
      }
      p->set_rate_count(e.rate_count);
    }
  };
  std::visit(Visitor{sequence, index, out}, event);
}

void ProtoEventSink::OnEvent(uint32_t index, const matcher::Event& event) {
  pb::Event& e = out_->emplace_back();
  e.set_sequence(sequence_);
  e.set_index(index);
  e.set_timestamp_unix_nanos(timestamp_);
  e.set_principal(std::string(principal_));
  ToProto(event, sequence_, index, &e);
}

}  // namespace market::codec
