// Adversarial command stream generator; see random_stream.h.
#include "tests/reference/random_stream.h"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace market::reference {
namespace {

namespace v1 = marketplace::v1;

// splitmix64: tiny, fast, and the same on every platform (no std:: distributions).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : Next() % n; }
  bool Percent(uint64_t p) { return Below(100) < p; }
  int64_t Between(int64_t low, int64_t high) {
    return low + static_cast<int64_t>(Below(static_cast<uint64_t>(high - low + 1)));
  }
  int64_t Steps(int64_t low, int64_t high, int64_t step) {
    return low + step * Between(0, (high - low) / step);
  }
  template <size_t N>
  std::string Pick(const std::string_view (&values)[N]) {
    return std::string(values[Below(N)]);
  }
  template <typename T>
  const T& Pick(const std::vector<T>& values) {
    return values[Below(values.size())];
  }

 private:
  uint64_t state_;
};

struct Place {
  std::string_view code;
  std::string_view parent;
};

constexpr std::string_view kRegions[] = {"NA", "EU"};
constexpr Place kCountries[] = {{"US", "NA"}, {"CA", "NA"}, {"GB", "EU"}, {"DE", "EU"}};
constexpr Place kHubs[] = {{"US-HUB", "US"}, {"GB-HUB", "GB"}};
constexpr std::string_view kCountryCodes[] = {"US", "CA", "GB", "DE"};
// Allowed-location codes of requests; "DE-HUB" is defined only later, by chance.
constexpr std::string_view kLocationCodes[] = {"NA", "EU",     "US",     "CA", "GB",
                                               "DE", "US-HUB", "GB-HUB", "US", "GB"};
constexpr std::string_view kRoles[] = {"CRA", "CTA", "DM"};
constexpr std::string_view kSponsors[] = {"S1", "S2", "S3"};
constexpr std::string_view kVendors[] = {"V1", "V2", "V3", "V4"};
constexpr std::string_view kTags[] = {"onc", "cns", "es"};
constexpr std::string_view kStartDates[] = {"2026-01-01", "2026-03-01", "2026-06-01"};
constexpr std::string_view kEndDates[] = {"2026-06-30", "2026-12-31", "2027-06-30"};
constexpr std::string_view kFromDates[] = {"2024-02-29", "2026-01-01", "2026-03-01", "2026-06-01"};
constexpr std::string_view kUntilDates[] = {"2026-06-30", "2026-12-31", "2027-06-30", "2027-12-31"};
constexpr std::string_view kBadDates[] = {"2026-02-30", "2026-1-01",  "1999-12-31", "2200-01-01",
                                          "",           "2026/01/01", "2100-02-29", "20260101",
                                          "2026-13-01", "2026-04-31", "2026-00-10", "２０26-01-01"};
constexpr std::string_view kOddPrincipals[] = {
    "sponsor:S9", "sponsor:S1 ", "SPONSOR:S1", "sponsor:", "sponsor", "S1", "sponsor:s1", ""};
constexpr std::string_view kBadIds[] = {"R007", "X1", "r5", "R", "R-3", "R+5", "R1.0", "O", ""};

constexpr size_t kMaxBytes = 128;
// "é" is two bytes in UTF-8: 64 of them are 128 bytes (valid), 65 are 130.
std::string Accents(size_t count) {
  std::string text;
  for (size_t i = 0; i < count; ++i) text += "\xc3\xa9";
  return text;
}

// Builds the stream command by command; remembers ids and refs to aim at them.
class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  std::vector<v1::Command> Generate(size_t commands) {
    Setup();
    while (out_.size() < commands) Step();
    out_.resize(commands);
    return std::move(out_);
  }

 private:
  uint64_t NextSequence() const { return out_.size() + 1; }

  v1::Command& Add(const std::string& principal) {
    timestamp_ += 1 + rng_.Below(1'000'000);
    v1::Command& command = out_.emplace_back();
    command.set_timestamp_unix_nanos(timestamp_);
    command.set_principal(principal);
    return command;
  }

  // ---- reference data ------------------------------------------------------

  void Setup() {
    for (std::string_view region : kRegions) DefineLocation(v1::REGION, region, "");
    for (const Place& c : kCountries) DefineLocation(v1::COUNTRY, c.code, c.parent);
    for (const Place& h : kHubs) {
      DefineLocation(v1::HUB, h.code, h.parent);
      hub_parents_[std::string(h.code)] = std::string(h.parent);
    }
    for (std::string_view role : kRoles) DefineRole(std::string(role), "Role");
    for (std::string_view s : kSponsors) Participant(std::string(s), v1::SPONSOR, "Sponsor");
    for (std::string_view v : kVendors) Participant(std::string(v), v1::VENDOR, "Vendor");
    for (std::string_view s : kSponsors) {
      for (std::string_view v : kVendors) {
        if (rng_.Percent(85)) NewContract(std::string(s), std::string(v));
      }
    }
  }

  void DefineLocation(v1::LocationKind kind, std::string_view code, std::string_view parent) {
    v1::DefineLocation* d = Add("admin").mutable_define_location();
    d->set_kind(kind);
    d->set_code(std::string(code));
    d->set_parent(std::string(parent));
  }

  void DefineRole(const std::string& code, const std::string& name) {
    v1::DefineRole* d = Add("admin").mutable_define_role();
    d->set_code(code);
    d->set_name(name);
    d->set_family(rng_.Percent(50) ? "Clinical operations" : "");
  }

  void Participant(const std::string& id, v1::ParticipantKind kind, const std::string& name) {
    v1::UpsertParticipant* p = Add("admin").mutable_upsert_participant();
    p->set_id(id);
    p->set_kind(kind);
    p->set_name(name + " " + id);
  }

  void NewContract(const std::string& sponsor, const std::string& vendor) {
    const std::string id = "C-" + sponsor + "-" + vendor;
    contracts_[{sponsor, vendor}] = id;
    *Add("admin").mutable_upsert_contract() = RandomContract(id, sponsor, vendor);
  }

  void RandomEntry(v1::RateCardEntry* e) {
    e->set_role(rng_.Pick(kRoles));
    e->set_seniority(
        static_cast<int32_t>(rng_.Percent(80) ? rng_.Between(1, 3) : rng_.Between(1, 5)));
    e->set_country(rng_.Pick(kCountryCodes));
    e->set_max_rate(rng_.Steps(4000, 4500, 100));
  }

  v1::UpsertContract RandomContract(const std::string& id, const std::string& sponsor,
                                    const std::string& vendor) {
    v1::UpsertContract c;
    c.set_contract_id(id);
    c.set_sponsor_id(sponsor);
    c.set_vendor_id(vendor);
    c.set_active(rng_.Percent(85));
    const uint64_t ceiling = rng_.Below(10);
    c.set_max_fte_milli(ceiling < 6 ? 0 : ceiling < 8 ? 1500 : ceiling < 9 ? 3000 : 500);
    const int64_t entries = rng_.Between(0, 4);
    for (int64_t i = 0; i < entries; ++i) RandomEntry(c.add_rates());
    if (entries > 0 && rng_.Percent(25)) {  // a duplicate key: the later entry wins
      v1::RateCardEntry* dup = c.add_rates();
      *dup = c.rates(0);
      dup->set_max_rate(rng_.Steps(4000, 4500, 100));
    }
    return c;
  }

  std::pair<std::string, std::string> RandomPair() {
    return {rng_.Pick(kSponsors), rng_.Pick(kVendors)};
  }

  // Re-upserts: change ceiling/activity/card, second contract for a pair,
  // changed sponsor or vendor, a contract for a pair that has none yet.
  void ContractChange() {
    auto pair = RandomPair();
    auto it = contracts_.find(pair);
    if (it == contracts_.end()) {
      NewContract(pair.first, pair.second);
      return;
    }
    v1::UpsertContract c = RandomContract(it->second, pair.first, pair.second);
    const uint64_t variant = rng_.Below(10);
    if (variant == 0) {
      c.set_contract_id("C-extra-" + std::to_string(NextSequence()));  // ALREADY_EXISTS
    } else if (variant == 1) {
      c.set_sponsor_id(rng_.Pick(kSponsors));  // maybe a changed sponsor
    } else if (variant == 2) {
      c.set_vendor_id(rng_.Pick(kVendors));  // maybe a changed vendor
    } else if (variant == 3) {
      c.set_max_fte_milli(rng_.Steps(100, 1000, 100));  // maybe below what is used
    }
    *Add("admin").mutable_upsert_contract() = c;
  }

  std::string RandomContractId() {
    if (contracts_.empty() || rng_.Percent(10)) return "C-NOPE";
    auto it = contracts_.begin();
    std::advance(it, static_cast<long>(rng_.Below(contracts_.size())));
    return it->second;
  }

  void RandomKey(v1::RateCardKey* k) {
    v1::RateCardEntry e;
    RandomEntry(&e);
    k->set_role(e.role());
    k->set_seniority(e.seniority());
    k->set_country(e.country());
  }

  v1::PatchRateCard RandomPatch() {
    v1::PatchRateCard p;
    p.set_contract_id(RandomContractId());
    const int64_t upserts = rng_.Between(0, 3);
    for (int64_t i = 0; i < upserts; ++i) RandomEntry(p.add_upserts());
    const int64_t removals = rng_.Between(0, 3);
    for (int64_t i = 0; i < removals; ++i) RandomKey(p.add_removals());
    return p;
  }

  // Re-parenting, kind changes, new hub, renames, kind changes of participants.
  void ReferenceChange() {
    switch (rng_.Below(9)) {
      case 0:
        DefineLocation(v1::COUNTRY, rng_.Pick(kCountryCodes), rng_.Pick(kRegions));
        break;
      case 1: {  // re-parent a hub, often back home
        const Place& hub = kHubs[rng_.Below(2)];
        const std::string parent =
            rng_.Percent(60) ? std::string(hub.parent) : rng_.Pick(kCountryCodes);
        DefineLocation(v1::HUB, hub.code, parent);
        hub_parents_[std::string(hub.code)] = parent;
        break;
      }
      case 2:
        DefineLocation(v1::HUB, rng_.Pick(kCountryCodes), rng_.Pick(kCountryCodes));  // kind
        break;
      case 3:
        DefineLocation(v1::COUNTRY, rng_.Pick(kRegions), rng_.Pick(kRegions));  // kind
        break;
      case 4:
        DefineLocation(v1::HUB, "DE-HUB", "DE");
        hub_parents_["DE-HUB"] = "DE";
        break;
      case 5:
        DefineRole(rng_.Percent(70) ? rng_.Pick(kRoles) : "BIO", "Renamed");
        break;
      case 6:
        Participant(rng_.Pick(kVendors), rng_.Percent(80) ? v1::VENDOR : v1::SPONSOR, "Renamed");
        break;
      case 7:
        Participant(rng_.Percent(50) ? "V5" : "S4", rng_.Percent(50) ? v1::VENDOR : v1::SPONSOR,
                    "New");
        break;
      default:
        *Add("admin").mutable_patch_rate_card() = RandomPatch();
        break;
    }
  }

  // ---- orders ----------------------------------------------------------------

  std::string Ref(const std::string& participant) {
    std::vector<std::string>& refs = refs_[participant];
    if (!refs.empty() && rng_.Percent(6)) return rng_.Pick(refs);  // a duplicate
    refs.push_back("ref-" + std::to_string(++ref_counter_));
    return refs.back();
  }

  std::string Role() { return rng_.Percent(97) ? rng_.Pick(kRoles) : "BIO"; }

  int64_t Fte() {
    if (rng_.Percent(3)) return rng_.Between(1, 2000);
    return rng_.Percent(85) ? rng_.Steps(100, 1500, 100) : rng_.Steps(1600, 3000, 100);
  }

  v1::SubmitRequest MakeSubmit(const std::string& sponsor) {
    v1::SubmitRequest s;
    if (rng_.Percent(30)) s.set_sponsor_id(sponsor);
    s.set_client_ref(Ref(sponsor));
    s.set_role(Role());
    s.set_min_seniority(static_cast<int32_t>(rng_.Between(0, 3)));
    const int64_t locations = rng_.Between(1, 3);
    for (int64_t i = 0; i < locations; ++i) {
      s.add_locations(rng_.Percent(98) ? rng_.Pick(kLocationCodes) : "DE-HUB");
    }
    s.set_fte_milli(Fte());
    if (rng_.Percent(30))
      s.set_min_slice_milli(std::min(s.fte_milli(), rng_.Steps(100, 1000, 100)));
    if (rng_.Percent(25)) s.set_max_vendors(static_cast<int32_t>(rng_.Between(1, 2)));
    s.set_max_rate(rng_.Steps(4000, 4800, 100));
    s.set_start_date(rng_.Pick(kStartDates));
    s.set_end_date(rng_.Pick(kEndDates));
    if (rng_.Percent(40)) {
      const int64_t models = rng_.Between(1, 2);
      for (int64_t i = 0; i < models; ++i) {
        s.add_engagement_models(static_cast<v1::EngagementModel>(rng_.Between(1, 3)));
      }
    }
    if (rng_.Percent(25)) {
      const int64_t tags = rng_.Between(1, 2);
      for (int64_t i = 0; i < tags; ++i) s.add_required_tags(rng_.Pick(kTags));
    }
    if (rng_.Percent(20)) {
      const int64_t vendors = rng_.Between(1, 2);
      for (int64_t i = 0; i < vendors; ++i) s.add_vendor_allowlist(rng_.Pick(kVendors));
    }
    const uint64_t tif = rng_.Below(10);
    s.set_time_in_force(tif < 4 ? v1::TIME_IN_FORCE_UNSPECIFIED : tif < 7 ? v1::GTC : v1::IOC);
    if (s.time_in_force() == v1::IOC && rng_.Percent(40)) s.set_all_or_none(true);
    return s;
  }

  v1::PublishOffer MakePublish(const std::string& vendor) {
    v1::PublishOffer p;
    if (rng_.Percent(30)) p.set_vendor_id(vendor);
    p.set_client_ref(Ref(vendor));
    p.set_role(Role());
    p.set_seniority(static_cast<int32_t>(rng_.Percent(90) ? rng_.Between(1, 4) : 5));
    p.set_country(rng_.Pick(kCountryCodes));
    for (const auto& [hub, parent] : hub_parents_) {
      if (parent == p.country() && rng_.Percent(50)) p.set_hub(hub);
    }
    if (rng_.Percent(2)) p.set_hub(rng_.Percent(50) ? "DE-HUB" : "US-HUB");  // maybe stale
    p.set_fte_milli(Fte());
    if (rng_.Percent(25)) p.set_min_slice_milli(std::min(p.fte_milli(), rng_.Steps(100, 800, 100)));
    p.set_rate(rng_.Steps(4000, 4600, 100));
    p.set_available_from(rng_.Pick(kFromDates));
    if (rng_.Percent(50)) p.set_available_until(rng_.Pick(kUntilDates));
    p.set_engagement_model(static_cast<v1::EngagementModel>(rng_.Between(0, 3)));
    const int64_t tags = rng_.Between(0, 3);
    for (int64_t i = 0; i < tags; ++i) p.add_tags(rng_.Pick(kTags));
    if (rng_.Percent(20)) {
      p.set_time_in_force(v1::IOC);
    } else {
      p.set_time_in_force(rng_.Percent(50) ? v1::GTC : v1::TIME_IN_FORCE_UNSPECIFIED);
    }
    return p;
  }

  void Submit() {
    const std::string sponsor = rng_.Pick(kSponsors);
    requests_.emplace_back("R" + std::to_string(NextSequence()), sponsor);
    *Add("sponsor:" + sponsor).mutable_submit_request() = MakeSubmit(sponsor);
  }

  void Publish() {
    const std::string vendor = rng_.Pick(kVendors);
    offers_.emplace_back("O" + std::to_string(NextSequence()), vendor);
    *Add("vendor:" + vendor).mutable_publish_offer() = MakePublish(vendor);
  }

  // An order id to aim at, with its owner: mostly known ids, sometimes unknown
  // or malformed ones. `prefix` is "R" or "O".
  std::pair<std::string, std::string> Target(
      const std::vector<std::pair<std::string, std::string>>& known, const std::string& prefix) {
    const uint64_t roll = rng_.Below(100);
    if (roll < 85 && !known.empty()) {
      // Recent orders are more likely to be open.
      const size_t window = std::min<size_t>(known.size(), 16);
      if (rng_.Percent(70)) return known[known.size() - 1 - rng_.Below(window)];
      return rng_.Pick(known);
    }
    if (roll < 89) return {prefix + std::to_string(rng_.Between(1, 100'000)), ""};
    if (roll < 93) {  // a recent sequence: often a command of another type
      const std::string other = prefix == "R" ? "O" : "R";
      const int64_t back = rng_.Between(1, 50);
      const int64_t sequence = std::max<int64_t>(1, static_cast<int64_t>(NextSequence()) - back);
      return {(rng_.Percent(50) ? prefix : other) + std::to_string(sequence), ""};
    }
    return {rng_.Pick(kBadIds), ""};
  }

  std::string SponsorFor(const std::string& owner) {
    if (owner.empty() || rng_.Percent(12)) return rng_.Pick(kSponsors);
    return owner;
  }

  std::string VendorFor(const std::string& owner) {
    if (owner.empty() || rng_.Percent(12)) return rng_.Pick(kVendors);
    return owner;
  }

  // (fte_milli, price) of an amend: lower FTE, raise, new price, both zero, both.
  std::pair<int64_t, int64_t> AmendValues() {
    const uint64_t kind = rng_.Below(100);
    if (kind < 30) return {rng_.Steps(100, 600, 100), 0};
    if (kind < 50) return {rng_.Steps(700, 2500, 100), 0};
    if (kind < 70) return {0, rng_.Steps(4000, 4800, 100)};
    if (kind < 85) return {0, 0};
    return {rng_.Steps(100, 2000, 100), rng_.Steps(4000, 4800, 100)};
  }

  v1::Command& AmendRequest() {
    auto [id, owner] = Target(requests_, "R");
    const std::string sponsor = SponsorFor(owner);
    auto [fte, rate] = AmendValues();
    v1::Command& command = Add("sponsor:" + sponsor);
    v1::AmendRequest* a = command.mutable_amend_request();
    a->set_request_id(id);
    a->set_client_ref(Ref(sponsor));
    a->set_fte_milli(fte);
    a->set_max_rate(rate);
    return command;
  }

  v1::Command& AmendOffer() {
    auto [id, owner] = Target(offers_, "O");
    const std::string vendor = VendorFor(owner);
    auto [fte, rate] = AmendValues();
    v1::Command& command = Add("vendor:" + vendor);
    v1::AmendOffer* a = command.mutable_amend_offer();
    a->set_offer_id(id);
    a->set_client_ref(Ref(vendor));
    a->set_fte_milli(fte);
    a->set_rate(rate);
    return command;
  }

  void Cancel() {
    auto [id, owner] = Target(requests_, "R");
    Add("sponsor:" + SponsorFor(owner)).mutable_cancel_request()->set_request_id(id);
  }

  void Withdraw() {
    auto [id, owner] = Target(offers_, "O");
    Add("vendor:" + VendorFor(owner)).mutable_withdraw_offer()->set_offer_id(id);
  }

  // Sends an earlier order command again: a duplicate unless it was rejected.
  void Replay() {
    for (int attempt = 0; attempt < 5; ++attempt) {
      const v1::Command& earlier = out_[rng_.Below(out_.size())];
      if (earlier.has_submit_request() || earlier.has_publish_offer() ||
          earlier.has_amend_request() || earlier.has_amend_offer()) {
        v1::Command copy = earlier;
        Add(copy.principal()).CopyFrom(copy);
        out_.back().set_timestamp_unix_nanos(timestamp_);
        return;
      }
    }
    Submit();
  }

  // ---- wrong principals ------------------------------------------------------

  void WrongPrincipal() {
    const std::string sponsor = rng_.Pick(kSponsors);
    const std::string vendor = rng_.Pick(kVendors);
    switch (rng_.Below(10)) {
      case 0:
        *Add("admin").mutable_submit_request() = MakeSubmit(sponsor);
        break;
      case 1:
        Add("vendor:" + vendor)
            .mutable_cancel_request()
            ->set_request_id(Target(requests_, "R").first);
        break;
      case 2:
        *Add(rng_.Pick(kOddPrincipals)).mutable_submit_request() = MakeSubmit("S1");
        break;
      case 3:
        *Add("ops").mutable_publish_offer() = MakePublish(vendor);
        break;
      case 4:
        *Add("sponsor:" + vendor).mutable_submit_request() = MakeSubmit(vendor);
        break;
      case 5:
        Add("sponsor:" + sponsor).mutable_define_role()->set_code("CRA");
        break;
      case 6:
        *Add(rng_.Percent(50) ? "Admin" : "admin ").mutable_patch_rate_card() = RandomPatch();
        break;
      case 7: {
        v1::SubmitRequest s = MakeSubmit(sponsor);
        s.set_sponsor_id(rng_.Pick(kSponsors));  // maybe another sponsor's id
        *Add("sponsor:" + sponsor).mutable_submit_request() = s;
        break;
      }
      case 8: {
        v1::PublishOffer p = MakePublish(vendor);
        p.set_vendor_id(rng_.Percent(80) ? rng_.Pick(kVendors) : sponsor);
        *Add("vendor:" + vendor).mutable_publish_offer() = p;
        break;
      }
      default:
        Add(rng_.Percent(50) ? std::string("vendor:") : "sponsor:" + sponsor)
            .mutable_withdraw_offer()
            ->set_offer_id(Target(offers_, "O").first);
        break;
    }
  }

  // ---- one bad field -----------------------------------------------------------

  void BreakSubmit(v1::SubmitRequest* s) {
    switch (rng_.Below(33)) {
      case 0:
        s->set_client_ref("");
        break;
      case 1:
        s->set_client_ref(std::string(kMaxBytes + 1, 'x'));
        break;
      case 2:
        s->set_role("XX");
        break;
      case 3:
        s->set_role("");
        break;
      case 4:
        s->set_min_seniority(6);
        break;
      case 5:
        s->set_min_seniority(-1);
        break;
      case 6:
        s->clear_locations();
        break;
      case 7:
        while (s->locations_size() < 65) s->add_locations("US");
        break;
      case 8:
        s->add_locations("ZZ");
        break;
      case 9:
        s->add_locations(std::string(kMaxBytes + 1, 'x'));
        break;
      case 10:
        s->set_fte_milli(0);
        break;
      case 11:
        s->set_fte_milli(-100);
        break;
      case 12:
        s->set_fte_milli(1'000'001);
        break;
      case 13:
        s->set_min_slice_milli(s->fte_milli() + 100);
        break;
      case 14:
        s->set_min_slice_milli(-1);
        break;
      case 15:
        s->set_max_vendors(-1);
        break;
      case 16:
        s->set_max_rate(0);
        break;
      case 17:
        s->set_max_rate(100'000'001);
        break;
      case 18:
        s->set_start_date(rng_.Pick(kBadDates));
        break;
      case 19:
        s->set_end_date("2025-12-31");
        break;
      case 20:
        s->set_end_date(rng_.Pick(kBadDates));
        break;
      case 21:
        s->add_engagement_models(v1::ENGAGEMENT_MODEL_UNSPECIFIED);
        break;
      case 22:
        s->add_engagement_models(static_cast<v1::EngagementModel>(9));
        break;
      case 23:
        while (s->engagement_models_size() < 65) s->add_engagement_models(v1::FSP);
        break;
      case 24:
        while (s->required_tags_size() < 33) s->add_required_tags("onc");
        break;
      case 25:
        s->add_required_tags(std::string(kMaxBytes + 1, 'x'));
        break;
      case 26:
        s->add_vendor_allowlist("V9");
        break;
      case 27:
        s->add_vendor_allowlist(rng_.Pick(kSponsors));
        break;
      case 28:
        while (s->vendor_allowlist_size() < 65) s->add_vendor_allowlist("V1");
        break;
      case 29:
        s->set_time_in_force(static_cast<v1::TimeInForce>(5));
        break;
      case 30:
        s->set_time_in_force(rng_.Percent(50) ? v1::GTC : v1::TIME_IN_FORCE_UNSPECIFIED);
        s->set_all_or_none(true);
        break;
      case 31:
        s->set_max_rate(-5);
        break;
      default:
        s->set_start_date("2027-12-31");
        break;  // end before start
    }
  }

  void BreakPublish(v1::PublishOffer* p) {
    switch (rng_.Below(27)) {
      case 0:
        p->set_client_ref("");
        break;
      case 1:
        p->set_role("XX");
        break;
      case 2:
        p->set_seniority(0);
        break;
      case 3:
        p->set_seniority(6);
        break;
      case 4:
        p->set_country("ZZ");
        break;
      case 5:
        p->set_country("NA");
        break;
      case 6:
        p->set_country("US-HUB");
        break;
      case 7:
        p->set_country("");
        break;
      case 8:
        p->set_country("US");
        p->set_hub("GB-HUB");
        break;
      case 9:
        p->set_hub("XX-HUB");
        break;
      case 10:
        p->set_hub(p->country());
        break;
      case 11:
        p->set_fte_milli(rng_.Percent(50) ? 0 : -1);
        break;
      case 12:
        p->set_fte_milli(1'000'001);
        break;
      case 13:
        p->set_min_slice_milli(p->fte_milli() + 1);
        break;
      case 14:
        p->set_rate(0);
        break;
      case 15:
        p->set_rate(100'000'001);
        break;
      case 16:
        p->set_available_from(rng_.Pick(kBadDates));
        break;
      case 17:
        p->set_available_until("2023-01-01");
        break;
      case 18:
        p->set_available_until(rng_.Percent(50) ? "2026-02-29" : "31-12-2026");
        break;
      case 19:
        p->set_engagement_model(static_cast<v1::EngagementModel>(7));
        break;
      case 20:
        while (p->tags_size() < 33) p->add_tags("es");
        break;
      case 21:
        p->add_tags(std::string(kMaxBytes + 1, 'x'));
        break;
      case 22:
        p->set_time_in_force(static_cast<v1::TimeInForce>(3));
        break;
      case 23:
        p->set_min_slice_milli(-1);
        break;
      case 24:
        p->set_rate(-4000);
        break;
      case 25:
        p->set_role(std::string(kMaxBytes + 1, 'x'));
        break;
      default:
        p->set_hub(std::string(kMaxBytes + 1, 'x'));
        break;
    }
  }

  void BreakAmend(int64_t* fte, int64_t* rate, std::string* id, std::string* ref) {
    switch (rng_.Below(8)) {
      case 0:
        *fte = -1;
        break;
      case 1:
        *fte = 1'000'001;
        break;
      case 2:
        *rate = -1;
        break;
      case 3:
        *rate = 100'000'001;
        break;
      case 4:
        *ref = "";
        break;
      case 5:
        *ref = std::string(kMaxBytes + 1, 'x');
        break;
      case 6:
        *id = "";
        break;
      default:
        *id = std::string(kMaxBytes + 1, 'x');
        break;
    }
  }

  void BreakContract(v1::UpsertContract* c) {
    v1::RateCardEntry* e = c->add_rates();
    RandomEntry(e);
    switch (rng_.Below(12)) {
      case 0:
        e->set_seniority(0);
        break;
      case 1:
        e->set_country("NA");
        break;
      case 2:
        e->set_role("XX");
        break;
      case 3:
        e->set_max_rate(0);
        break;
      case 4:
        c->set_max_fte_milli(-1);
        break;
      case 5:
        c->set_max_fte_milli(1'000'000'001);
        break;
      case 6:
        c->set_sponsor_id(rng_.Pick(kVendors));
        break;
      case 7:
        c->set_vendor_id(rng_.Pick(kSponsors));
        break;
      case 8:
        c->set_sponsor_id("S9");
        break;
      case 9:
        c->set_contract_id("");
        break;
      case 10:
        e->set_country("US-HUB");
        break;
      default:
        e->set_seniority(6);
        break;
    }
  }

  void BreakPatch(v1::PatchRateCard* p) {
    const uint64_t kind = rng_.Below(8);
    if (kind < 3) {
      v1::RateCardEntry* e = p->add_upserts();
      RandomEntry(e);
      if (kind == 0) e->set_max_rate(-1);
      if (kind == 1) e->set_country("EU");
      if (kind == 2) e->set_role("");
    } else if (kind < 6) {
      v1::RateCardKey* k = p->add_removals();
      RandomKey(k);
      if (kind == 3) k->set_seniority(9);
      if (kind == 4) k->set_country("ZZ");
      if (kind == 5) k->set_role("BIOX");
    } else if (kind == 6) {
      p->set_contract_id("");
    } else {
      p->set_contract_id("C-NOPE");  // NOT_FOUND
    }
  }

  void BreakReferenceData() {
    switch (rng_.Below(14)) {
      case 0:
        DefineLocation(static_cast<v1::LocationKind>(rng_.Percent(50) ? 0 : 4), "FR", "EU");
        break;
      case 1:
        DefineLocation(v1::REGION, "APAC", "NA");
        break;
      case 2:
        DefineLocation(v1::COUNTRY, "FR", "ZZ");
        break;
      case 3:
        DefineLocation(v1::COUNTRY, "FR", "US");
        break;
      case 4:
        DefineLocation(v1::HUB, "FR-HUB", "EU");
        break;
      case 5:
        DefineLocation(v1::COUNTRY, rng_.Percent(50) ? "" : std::string(kMaxBytes + 1, 'x'), "EU");
        break;
      case 6:
        DefineRole("", "Nameless");
        break;
      case 7:
        DefineRole("CRA", std::string(kMaxBytes + 1, 'x'));
        break;
      case 8:
        Participant("", v1::VENDOR, "Nobody");
        break;
      case 9:
        Participant("V6", static_cast<v1::ParticipantKind>(rng_.Percent(50) ? 0 : 3), "Odd");
        break;
      case 10:
        Participant(rng_.Pick(kSponsors), v1::VENDOR, "Turncoat");
        break;
      case 11: {
        v1::UpsertParticipant* p = Add("admin").mutable_upsert_participant();
        p->set_id("S1");
        p->set_kind(v1::SPONSOR);
        p->set_name(std::string(kMaxBytes + 1, 'x'));
        break;
      }
      case 12: {
        auto pair = RandomPair();
        v1::UpsertContract c =
            RandomContract("C-" + pair.first + "-" + pair.second, pair.first, pair.second);
        BreakContract(&c);
        *Add("admin").mutable_upsert_contract() = c;
        break;
      }
      default: {
        v1::PatchRateCard p = RandomPatch();
        BreakPatch(&p);
        *Add("admin").mutable_patch_rate_card() = p;
        break;
      }
    }
  }

  // ---- valid values at the very edge of their ranges ---------------------------

  void EdgeSubmit(v1::SubmitRequest* s) {
    switch (rng_.Below(16)) {
      case 0:
        s->set_fte_milli(1'000'000);
        break;
      case 1:
        s->set_min_slice_milli(s->fte_milli());
        break;
      case 2:
        s->set_max_rate(100'000'000);
        break;
      case 3:
        s->set_min_seniority(5);
        break;
      case 4:
        s->set_end_date(s->start_date());
        break;
      case 5:
        s->set_start_date("2000-01-01");
        s->set_end_date("2199-12-31");
        break;
      case 6:
        while (s->locations_size() < 64) s->add_locations(rng_.Pick(kLocationCodes));
        break;
      case 7:
        while (s->required_tags_size() < 32) s->add_required_tags(rng_.Pick(kTags));
        break;
      case 8:
        while (s->vendor_allowlist_size() < 64) s->add_vendor_allowlist(rng_.Pick(kVendors));
        break;
      case 9:
        while (s->engagement_models_size() < 64) {
          s->add_engagement_models(static_cast<v1::EngagementModel>(rng_.Between(1, 3)));
        }
        break;
      case 10:
        s->set_client_ref(std::string(kMaxBytes, 'k'));
        break;
      case 11:
        s->set_client_ref(Accents(rng_.Percent(50) ? 64 : 65));
        break;
      case 12:
        s->set_max_vendors(1'000'000);
        break;
      case 13:
        s->set_max_rate(1);
        break;
      case 14:
        s->set_start_date("2028-02-29");
        s->set_end_date("2028-03-01");
        break;
      default:
        s->add_required_tags("");
        break;
    }
  }

  void EdgePublish(v1::PublishOffer* p) {
    switch (rng_.Below(12)) {
      case 0:
        p->set_fte_milli(1'000'000);
        break;
      case 1:
        p->set_rate(1);
        break;
      case 2:
        p->set_rate(100'000'000);
        break;
      case 3:
        p->set_seniority(5);
        break;
      case 4:
        p->set_available_until(p->available_from());
        break;
      case 5:
        p->set_available_from("2000-01-01");
        p->set_available_until("2199-12-31");
        break;
      case 6:
        while (p->tags_size() < 32) p->add_tags(rng_.Pick(kTags));
        break;
      case 7:
        p->add_tags(std::string(kMaxBytes, 't'));
        break;
      case 8:
        p->set_min_slice_milli(p->fte_milli());
        break;
      case 9:
        p->set_client_ref(Accents(rng_.Percent(50) ? 64 : 65));
        break;
      case 10:
        p->set_available_until("2000-02-29");
        break;  // before from: invalid
      default:
        p->add_tags("");
        break;
    }
  }

  void EdgeCase() {
    switch (rng_.Below(7)) {
      case 0:
      case 1: {
        const std::string sponsor = rng_.Pick(kSponsors);
        v1::SubmitRequest s = MakeSubmit(sponsor);
        EdgeSubmit(&s);
        if (rng_.Percent(30)) EdgeSubmit(&s);
        *Add("sponsor:" + sponsor).mutable_submit_request() = s;
        break;
      }
      case 2:
      case 3: {
        const std::string vendor = rng_.Pick(kVendors);
        v1::PublishOffer p = MakePublish(vendor);
        EdgePublish(&p);
        if (rng_.Percent(30)) EdgePublish(&p);
        *Add("vendor:" + vendor).mutable_publish_offer() = p;
        break;
      }
      case 4: {
        const bool request = rng_.Percent(50);
        v1::Command& command = request ? AmendRequest() : AmendOffer();
        const int64_t fte = rng_.Percent(50) ? 1'000'000 : 1;
        const int64_t rate = rng_.Percent(50) ? 100'000'000 : 1;
        if (request) {
          command.mutable_amend_request()->set_fte_milli(fte);
          command.mutable_amend_request()->set_max_rate(rate);
        } else {
          command.mutable_amend_offer()->set_fte_milli(fte);
          command.mutable_amend_offer()->set_rate(rate);
        }
        break;
      }
      case 5: {
        auto pair = RandomPair();
        auto it = contracts_.find(pair);
        if (it == contracts_.end()) return NewContract(pair.first, pair.second);
        v1::UpsertContract c = RandomContract(it->second, pair.first, pair.second);
        c.set_max_fte_milli(rng_.Percent(50) ? 1'000'000'000 : 1);
        if (c.rates_size() > 0)
          c.mutable_rates(0)->set_max_rate(rng_.Percent(50) ? 1 : 100'000'000);
        *Add("admin").mutable_upsert_contract() = c;
        break;
      }
      default: {  // the same key removed and upserted: removals go first
        v1::PatchRateCard p = RandomPatch();
        v1::RateCardEntry* e = p.add_upserts();
        RandomEntry(e);
        v1::RateCardKey* k = p.add_removals();
        k->set_role(e->role());
        k->set_seniority(e->seniority());
        k->set_country(e->country());
        *Add("admin").mutable_patch_rate_card() = p;
        break;
      }
    }
  }

  void BadField() {
    switch (rng_.Below(9)) {
      case 0:
      case 1: {
        const std::string sponsor = rng_.Pick(kSponsors);
        v1::SubmitRequest s = MakeSubmit(sponsor);
        BreakSubmit(&s);
        if (rng_.Percent(15)) BreakSubmit(&s);  // two bad fields: the first in order wins
        *Add("sponsor:" + sponsor).mutable_submit_request() = s;
        break;
      }
      case 2:
      case 3: {
        const std::string vendor = rng_.Pick(kVendors);
        v1::PublishOffer p = MakePublish(vendor);
        BreakPublish(&p);
        if (rng_.Percent(15)) BreakPublish(&p);
        *Add("vendor:" + vendor).mutable_publish_offer() = p;
        break;
      }
      case 4: {
        v1::AmendRequest* a = AmendRequest().mutable_amend_request();
        int64_t fte = a->fte_milli(), rate = a->max_rate();
        std::string id = a->request_id(), ref = a->client_ref();
        BreakAmend(&fte, &rate, &id, &ref);
        a->set_fte_milli(fte);
        a->set_max_rate(rate);
        a->set_request_id(id);
        a->set_client_ref(ref);
        break;
      }
      case 5: {
        v1::AmendOffer* a = AmendOffer().mutable_amend_offer();
        int64_t fte = a->fte_milli(), rate = a->rate();
        std::string id = a->offer_id(), ref = a->client_ref();
        BreakAmend(&fte, &rate, &id, &ref);
        a->set_fte_milli(fte);
        a->set_rate(rate);
        a->set_offer_id(id);
        a->set_client_ref(ref);
        break;
      }
      case 6:
        if (rng_.Percent(50)) {
          Add("sponsor:" + rng_.Pick(kSponsors)).mutable_cancel_request()->set_request_id("");
        } else {
          Add(rng_.Pick(kRegions) == "NA" ? "admin" : "ops");  // no body at all
        }
        break;
      default:
        BreakReferenceData();
        break;
    }
  }

  // ---- the mix ------------------------------------------------------------------

  void Step() {
    const uint64_t roll = rng_.Below(1000);
    if (roll < 290) return Submit();
    if (roll < 580) return Publish();
    if (roll < 640) return static_cast<void>(AmendRequest());
    if (roll < 700) return static_cast<void>(AmendOffer());
    if (roll < 750) return Cancel();
    if (roll < 800) return Withdraw();
    if (roll < 850) return BadField();
    if (roll < 875) return ContractChange();
    if (roll < 905) return ReferenceChange();
    if (roll < 935) return WrongPrincipal();
    if (roll < 965) return EdgeCase();
    return Replay();
  }

  Rng rng_;
  uint64_t timestamp_ = 1'767'225'600'000'000'000ULL;  // 2026-01-01T00:00:00Z
  uint64_t ref_counter_ = 0;
  std::vector<v1::Command> out_;
  std::vector<std::pair<std::string, std::string>> requests_;  // (id, owner) of submits
  std::vector<std::pair<std::string, std::string>> offers_;    // (id, owner) of publishes
  std::map<std::string, std::vector<std::string>> refs_;       // participant -> refs used
  std::map<std::pair<std::string, std::string>, std::string> contracts_;  // pair -> id
  std::map<std::string, std::string> hub_parents_;  // hub -> country, as last defined
};

}  // namespace

std::vector<v1::Command> RandomStream(uint64_t seed, size_t commands) {
  return Generator(seed).Generate(commands);
}

}  // namespace market::reference
