#include "codec/command_codec.h"

namespace market::codec {
namespace {

namespace pb = marketplace::v1;

std::vector<std::string> Strings(const google::protobuf::RepeatedPtrField<std::string>& in) {
  return {in.begin(), in.end()};
}

std::vector<matcher::RateCardEntry> Entries(
    const google::protobuf::RepeatedPtrField<pb::RateCardEntry>& in) {
  std::vector<matcher::RateCardEntry> out;
  out.reserve(static_cast<size_t>(in.size()));
  for (const pb::RateCardEntry& e : in) {
    out.push_back({e.role(), e.seniority(), e.country(), e.max_rate()});
  }
  return out;
}

matcher::SubmitRequest Convert(const pb::SubmitRequest& c) {
  matcher::SubmitRequest m;
  m.sponsor_id = c.sponsor_id();
  m.client_ref = c.client_ref();
  m.role = c.role();
  m.min_seniority = c.min_seniority();
  m.locations = Strings(c.locations());
  m.fte_milli = c.fte_milli();
  m.min_slice_milli = c.min_slice_milli();
  m.max_vendors = c.max_vendors();
  m.max_rate = c.max_rate();
  m.start_date = c.start_date();
  m.end_date = c.end_date();
  m.engagement_models.assign(c.engagement_models().begin(), c.engagement_models().end());
  m.required_tags = Strings(c.required_tags());
  m.vendor_allowlist = Strings(c.vendor_allowlist());
  m.time_in_force = c.time_in_force();
  m.all_or_none = c.all_or_none();
  return m;
}

matcher::PublishOffer Convert(const pb::PublishOffer& c) {
  matcher::PublishOffer m;
  m.vendor_id = c.vendor_id();
  m.client_ref = c.client_ref();
  m.role = c.role();
  m.seniority = c.seniority();
  m.country = c.country();
  m.hub = c.hub();
  m.fte_milli = c.fte_milli();
  m.min_slice_milli = c.min_slice_milli();
  m.rate = c.rate();
  m.available_from = c.available_from();
  m.available_until = c.available_until();
  m.engagement_model = c.engagement_model();
  m.tags = Strings(c.tags());
  m.time_in_force = c.time_in_force();
  return m;
}

}  // namespace

matcher::Command FromProto(const pb::Command& c) {
  matcher::Command m;
  m.timestamp_unix_nanos = c.timestamp_unix_nanos();
  m.principal = c.principal();
  switch (c.body_case()) {
    case pb::Command::kSubmitRequest:
      m.body = Convert(c.submit_request());
      break;
    case pb::Command::kAmendRequest: {
      const auto& a = c.amend_request();
      m.body = matcher::AmendRequest{a.request_id(), a.client_ref(), a.fte_milli(), a.max_rate()};
      break;
    }
    case pb::Command::kCancelRequest:
      m.body = matcher::CancelRequest{c.cancel_request().request_id()};
      break;
    case pb::Command::kPublishOffer:
      m.body = Convert(c.publish_offer());
      break;
    case pb::Command::kAmendOffer: {
      const auto& a = c.amend_offer();
      m.body = matcher::AmendOffer{a.offer_id(), a.client_ref(), a.fte_milli(), a.rate()};
      break;
    }
    case pb::Command::kWithdrawOffer:
      m.body = matcher::WithdrawOffer{c.withdraw_offer().offer_id()};
      break;
    case pb::Command::kDefineRole: {
      const auto& d = c.define_role();
      m.body = matcher::DefineRole{d.code(), d.name(), d.family()};
      break;
    }
    case pb::Command::kDefineLocation: {
      const auto& d = c.define_location();
      m.body = matcher::DefineLocation{d.kind(), d.code(), d.parent()};
      break;
    }
    case pb::Command::kUpsertParticipant: {
      const auto& u = c.upsert_participant();
      m.body = matcher::UpsertParticipant{u.id(), u.kind(), u.name()};
      break;
    }
    case pb::Command::kUpsertContract: {
      const auto& u = c.upsert_contract();
      m.body = matcher::UpsertContract{u.contract_id(), u.sponsor_id(),    u.vendor_id(),
                                       u.active(),      u.max_fte_milli(), Entries(u.rates())};
      break;
    }
    case pb::Command::kPatchRateCard: {
      const auto& p = c.patch_rate_card();
      matcher::PatchRateCard patch{p.contract_id(), Entries(p.upserts()), {}};
      patch.removals.reserve(static_cast<size_t>(p.removals_size()));
      for (const pb::RateCardKey& k : p.removals()) {
        patch.removals.push_back({k.role(), k.seniority(), k.country()});
      }
      m.body = std::move(patch);
      break;
    }
    case pb::Command::BODY_NOT_SET:
      m.body = matcher::EmptyBody{};
      break;
  }
  return m;
}

}  // namespace market::codec
