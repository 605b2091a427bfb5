// Test support: a deterministic generator of matcher commands for the
// randomized property tests (property_test.cc).
//
// The universe is deliberately small so that orders collide: 3 regions, 5
// countries, 2 hubs, 3 roles, 4 sponsors, 5 vendors, contracts for most
// sponsor-vendor pairs (some inactive, some with FTE ceilings of a few
// thousand milli-FTE, rate cards of a few entries, some below typical offer
// rates), prices in a narrow band so that they tie, dates that are sometimes
// incompatible and tags from a set of 3 (rarely one of 100 others). The
// stream mixes submits and publishes with amends, cancels and withdraws
// (mostly of the principal's own open orders, sometimes of others', closed or
// unknown orders), reused client_refs, about 3% commands with one bad field,
// wrong principals, contract re-upserts, rate-card patches and, rarely, a
// country or hub moved to another parent.
//
// Only its own PRNG (splitmix64) and integers: the same seed and the same
// feedback give the same commands on every platform. The generator sequences
// its commands itself (the n-th command it returns takes sequence n), so it
// knows the id an accepted submit or publish gets; the test tells it which
// orders are open, with their remaining FTE and price (OnOrderOpen /
// OnOrderClosed), so that amends and cancels mostly hit live orders.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "matcher/command.h"
#include "matcher/units.h"

namespace market::matcher::testing {

// splitmix64 (Steele, Lea, Flood): tiny, full period, good enough mixing.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // In [0, n), n > 0. The modulo bias is irrelevant for tests.
  uint64_t Below(uint64_t n) { return Next() % n; }
  size_t Index(size_t n) { return static_cast<size_t>(Below(n)); }
  // In [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  bool Percent(uint64_t p) { return Below(100) < p; }
  bool PerMille(uint64_t p) { return Below(1000) < p; }

 private:
  uint64_t state_;
};

namespace universe {

inline constexpr std::array<std::string_view, 3> kRegions = {"NA", "EU", "LATAM"};
inline constexpr std::array<std::string_view, 5> kCountries = {"US", "CA", "DE", "FR", "MX"};
// Initial region of each country (index into kRegions).
inline constexpr std::array<size_t, 5> kCountryRegion = {0, 0, 1, 1, 2};
inline constexpr std::array<std::string_view, 2> kHubs = {"US-BOS-HUB", "DE-BER-HUB"};
// Initial country of each hub (index into kCountries).
inline constexpr std::array<size_t, 2> kHubCountry = {0, 2};
inline constexpr std::array<std::string_view, 3> kRoles = {"CRA", "CTA", "TMF_SPEC"};
inline constexpr std::array<std::string_view, 4> kSponsors = {"S1", "S2", "S3", "S4"};
inline constexpr std::array<std::string_view, 5> kVendors = {"V1", "V2", "V3", "V4", "V5"};
inline constexpr std::array<std::string_view, 3> kTags = {"oncology", "spanish", "gcp"};

// Rates in cents/hour: offers in 9000..11000, requests bid 9000..11500, cards
// cap at 9000..10500, all in steps of 250 so that prices tie often.
inline constexpr int64_t kRateStep = 250;
inline constexpr int64_t kLowRate = 9000;

inline std::string ContractId(size_t sponsor, size_t vendor) {
  return "K-" + std::string(kSponsors[sponsor]) + "-" + std::string(kVendors[vendor]);
}

}  // namespace universe

class RandomCommandGenerator {
 public:
  explicit RandomCommandGenerator(uint64_t seed) : rng_(seed ^ 0x5eed5eed5eed5eedULL) {
    for (size_t i = 0; i < country_region_.size(); ++i) {
      country_region_[i] = universe::kCountryRegion[i];
    }
    for (size_t i = 0; i < hub_country_.size(); ++i) hub_country_[i] = universe::kHubCountry[i];
  }

  // Reference data and the initial contracts; run them before Next().
  std::vector<Command> Setup() {
    using namespace universe;
    std::vector<Command> out;
    for (std::string_view role : kRoles) {
      out.push_back(Admin(DefineRole{std::string(role), "Role " + std::string(role), "clinical"}));
    }
    for (std::string_view region : kRegions) {
      out.push_back(Admin(DefineLocation{1, std::string(region), ""}));
    }
    for (size_t i = 0; i < kCountries.size(); ++i) {
      out.push_back(Admin(
          DefineLocation{2, std::string(kCountries[i]), std::string(kRegions[kCountryRegion[i]])}));
    }
    for (size_t i = 0; i < kHubs.size(); ++i) {
      out.push_back(
          Admin(DefineLocation{3, std::string(kHubs[i]), std::string(kCountries[kHubCountry[i]])}));
    }
    for (std::string_view s : kSponsors) {
      out.push_back(Admin(UpsertParticipant{std::string(s), 1, "Sponsor " + std::string(s)}));
    }
    for (std::string_view v : kVendors) {
      out.push_back(Admin(UpsertParticipant{std::string(v), 2, "Vendor " + std::string(v)}));
    }
    for (size_t s = 0; s < kSponsors.size(); ++s) {
      for (size_t v = 0; v < kVendors.size(); ++v) {
        if (rng_.Percent(15)) continue;  // this pair has no contract (yet)
        ContractState& k = contracts_[s][v];
        k.exists = true;
        k.id = ContractId(s, v);
        k.active = !rng_.Percent(15);
        k.max_fte_milli = rng_.Percent(35) ? 500 * rng_.Between(3, 10) : 0;
        k.card = RandomCard();
        out.push_back(
            Admin(UpsertContract{k.id, std::string(kSponsors[s]), std::string(kVendors[v]),
                                 k.active, k.max_fte_milli, k.card}));
      }
    }
    return out;
  }

  // The next command of the mixed stream.
  Command Next() {
    const uint64_t open = open_requests_.size() + open_offers_.size();
    // Cancels and withdraws grow with the book, which keeps it under about 200 orders.
    const uint64_t cancel_weight = 40 + (open > 100 ? (open - 100) * 3 : 0);
    const uint64_t weights[] = {
        300,            // submit
        300,            // publish
        75,             // amend request
        75,             // amend offer
        cancel_weight,  // cancel request
        cancel_weight,  // withdraw offer
        12,             // upsert contract
        12,             // patch rate card
        3,              // move a country or a hub
        10,             // a wrong principal
    };
    uint64_t total = 0;
    for (uint64_t w : weights) total += w;
    uint64_t roll = rng_.Below(total);
    size_t kind = 0;
    while (roll >= weights[kind]) roll -= weights[kind++];
    switch (kind) {
      case 0:
        return NextSubmit();
      case 1:
        return NextPublish();
      case 2:
        return NextAmend(/*request=*/true);
      case 3:
        return NextAmend(/*request=*/false);
      case 4:
        return NextCancel(/*request=*/true);
      case 5:
        return NextCancel(/*request=*/false);
      case 6:
        return NextUpsertContract();
      case 7:
        return NextPatch();
      case 8:
        return NextMove();
      default:
        return NextWrongPrincipal();
    }
  }

  // Feedback from the test: `id` is open with this remaining FTE and price.
  void OnOrderOpen(uint64_t id, int64_t remaining, int64_t price) {
    auto it = orders_.find(id);
    if (it == orders_.end()) return;
    OrderState& o = it->second;
    if (!o.open) {
      o.open = true;
      (o.request ? open_requests_ : open_offers_).push_back(id);
    }
    o.remaining = remaining;
    o.price = price;
  }

  // Feedback from the test: `id` is closed.
  void OnOrderClosed(uint64_t id) {
    auto it = orders_.find(id);
    if (it == orders_.end() || !it->second.open) return;
    it->second.open = false;
    std::vector<uint64_t>& list = it->second.request ? open_requests_ : open_offers_;
    list.erase(std::find(list.begin(), list.end(), id));
  }

  uint64_t last_sequence() const { return sequence_; }

 private:
  struct ContractState {
    bool exists = false;
    std::string id;
    bool active = false;
    int64_t max_fte_milli = 0;
    std::vector<RateCardEntry> card;
  };
  struct OrderState {
    bool request = true;
    size_t owner = 0;  // index into kSponsors or kVendors
    bool open = false;
    int64_t remaining = 0;
    int64_t price = 0;
  };

  // ---- Building blocks.
  template <typename Body>
  Command Make(std::string principal, Body body) {
    ++sequence_;
    timestamp_ += 1 + rng_.Below(5'000'000'000ULL);
    return Command{timestamp_, std::move(principal), CommandBody(std::move(body))};
  }
  template <typename Body>
  Command Admin(Body body) {
    return Make("admin", std::move(body));
  }
  static std::string SponsorPrincipal(size_t s) {
    return "sponsor:" + std::string(universe::kSponsors[s]);
  }
  static std::string VendorPrincipal(size_t v) {
    return "vendor:" + std::string(universe::kVendors[v]);
  }

  template <typename Array>
  std::string PickOf(const Array& a) {
    return std::string(a[rng_.Index(a.size())]);
  }

  // A fresh client_ref, or now and then one this participant used before
  // (a duplicate if that command was accepted, a retry if it was rejected).
  std::string ClientRef(bool vendor, size_t who) {
    std::vector<std::string>& used = client_refs_[vendor ? 4 + who : who];
    if (!used.empty() && rng_.Percent(4)) return used[rng_.Index(used.size())];
    std::string ref = "c" + std::to_string(++client_ref_counter_);
    used.push_back(ref);
    return ref;
  }

  int64_t Fte() { return 100 * rng_.Between(1, 30); }
  // 0 about half the time, else a multiple of 100 up to `fte`.
  int64_t Slice(int64_t fte) { return rng_.Percent(55) ? 0 : 100 * rng_.Between(1, fte / 100); }
  int64_t Rate(int64_t steps) {
    return universe::kLowRate + universe::kRateStep * rng_.Between(0, steps);
  }

  std::string Date(Day base_offset, int64_t choices, Day step) {
    static const Day kBase = *ParseDate("2025-01-01");
    return FormatDate(kBase + base_offset +
                      static_cast<Day>(rng_.Below(static_cast<uint64_t>(choices))) * step);
  }

  std::vector<RateCardEntry> RandomCard() {
    std::vector<RateCardEntry> card;
    const size_t n = rng_.Index(11);
    for (size_t i = 0; i < n; ++i) card.push_back(RandomCardEntry());
    return card;
  }
  RateCardEntry RandomCardEntry() {
    return RateCardEntry{PickOf(universe::kRoles), static_cast<int32_t>(rng_.Between(2, 4)),
                         PickOf(universe::kCountries),
                         universe::kLowRate + universe::kRateStep * 2 * rng_.Between(0, 3)};
  }

  // One of 100 rarer tags: with more than 64 tags in use, tag ids collide
  // modulo 64 (the engine keeps 64-bit tag masks as a first filter).
  std::string RareTag() { return "skill-" + std::to_string(rng_.Below(100)); }

  // A location code of any kind, for a request's list.
  std::string AnyLocation() {
    const uint64_t roll = rng_.Below(10);
    if (roll < 3) return PickOf(universe::kRegions);
    if (roll < 8) return PickOf(universe::kCountries);
    return PickOf(universe::kHubs);
  }

  // ---- Submits and publishes.
  Command NextSubmit() {
    const size_t s = rng_.Index(universe::kSponsors.size());
    SubmitRequest r;
    if (rng_.Percent(50)) r.sponsor_id = std::string(universe::kSponsors[s]);
    r.client_ref = ClientRef(false, s);
    r.role = PickOf(universe::kRoles);
    r.min_seniority = static_cast<int32_t>(rng_.Below(3) + rng_.Below(3));  // 0..4, mostly 1..3
    const size_t n = 1 + rng_.Index(3);
    for (size_t i = 0; i < n; ++i) r.locations.push_back(AnyLocation());
    r.fte_milli = Fte();
    r.min_slice_milli = Slice(r.fte_milli);
    r.max_vendors = static_cast<int32_t>(rng_.Percent(40) ? 0 : rng_.Between(1, 3));
    r.max_rate = Rate(10);
    r.start_date = Date(0, 3, 60);                             // 2025-01-01 .. 2025-05-01
    r.end_date = Date(120, 4, 90);                             // 2025-05-01 .. 2026-01-26
    if (rng_.Percent(3)) std::swap(r.start_date, r.end_date);  // mostly end < start: invalid
    if (rng_.Percent(35)) {
      const size_t m = 1 + rng_.Index(2);
      for (size_t i = 0; i < m; ++i) {
        r.engagement_models.push_back(static_cast<int32_t>(rng_.Between(1, 3)));
      }
    }
    const uint64_t tags = rng_.Below(10);
    if (tags >= 7) r.required_tags.push_back(PickOf(universe::kTags));
    if (tags >= 9) r.required_tags.push_back(PickOf(universe::kTags));
    if (rng_.Percent(3)) r.required_tags.push_back(RareTag());
    if (rng_.Percent(20)) {
      const size_t m = 1 + rng_.Index(2);
      for (size_t i = 0; i < m; ++i) r.vendor_allowlist.push_back(PickOf(universe::kVendors));
    }
    const uint64_t tif = rng_.Below(100);
    if (tif < 28) {
      r.time_in_force = 0;  // GTC by default
    } else if (tif < 55) {
      r.time_in_force = 1;
    } else if (tif < 80) {
      r.time_in_force = 2;
    } else {
      r.time_in_force = 2;
      r.all_or_none = true;
    }
    if (rng_.Percent(3)) CorruptSubmit(r);
    orders_[sequence_ + 1] = OrderState{true, s, false, 0, 0};
    return Make(SponsorPrincipal(s), std::move(r));
  }

  Command NextPublish() {
    const size_t v = rng_.Index(universe::kVendors.size());
    PublishOffer o;
    if (rng_.Percent(50)) o.vendor_id = std::string(universe::kVendors[v]);
    o.client_ref = ClientRef(true, v);
    o.role = PickOf(universe::kRoles);
    o.seniority = static_cast<int32_t>(rng_.Percent(15) ? 1 : rng_.Between(2, 5));
    const size_t country = rng_.Index(universe::kCountries.size());
    o.country = std::string(universe::kCountries[country]);
    for (size_t h = 0; h < universe::kHubs.size(); ++h) {
      if (hub_country_[h] == country && rng_.Percent(50)) o.hub = std::string(universe::kHubs[h]);
    }
    o.fte_milli = 100 * rng_.Between(1, 15);
    o.min_slice_milli = Slice(o.fte_milli);
    o.rate = Rate(8);
    // Mostly before every request's start_date (2025-01-01 at the earliest).
    o.available_from = rng_.Percent(60) ? "2024-12-01" : Date(0, 4, 45);  // .. 2025-05-06
    if (rng_.Percent(50)) o.available_until = Date(150, 4, 120);  // 2025-05-31 .. 2026-05-26
    o.engagement_model = static_cast<int32_t>(rng_.Between(0, 3));
    for (std::string_view tag : universe::kTags) {
      if (rng_.Percent(60)) o.tags.emplace_back(tag);
    }
    if (rng_.Percent(5)) o.tags.push_back(RareTag());
    o.time_in_force = rng_.Percent(80) ? static_cast<int32_t>(rng_.Between(0, 1)) : 2;
    if (rng_.Percent(3)) CorruptPublish(o);
    orders_[sequence_ + 1] = OrderState{false, v, false, 0, 0};
    return Make(VendorPrincipal(v), std::move(o));
  }

  // One bad field (sometimes more, the first one in field order decides).
  void CorruptSubmit(SubmitRequest& r) {
    switch (rng_.Below(20)) {
      case 0:
        r.client_ref.clear();
        break;
      case 1:
        r.client_ref = std::string(129, 'x');
        break;
      case 2:
        r.role = "NO_SUCH_ROLE";
        break;
      case 3:
        r.min_seniority = rng_.Percent(50) ? 6 : -1;
        break;
      case 4:
        r.locations.clear();
        break;
      case 5:
        r.locations.assign(65, "US");
        break;
      case 6:
        r.locations.push_back(rng_.Percent(50) ? "ZZ" : "");
        break;
      case 7:
        r.fte_milli = rng_.Percent(50) ? 0 : 1'000'001;
        break;
      case 8:
        r.min_slice_milli = rng_.Percent(50) ? r.fte_milli + 100 : -100;
        break;
      case 9:
        r.max_vendors = -1;
        break;
      case 10:
        r.max_rate = rng_.Percent(50) ? 0 : 100'000'001;
        break;
      case 11:
        r.start_date = rng_.Percent(50) ? "2025-02-30" : "1999-12-31";
        break;
      case 12:
        r.end_date = rng_.Percent(50) ? "2025/12/31" : "2200-01-01";
        break;
      case 13:
        r.engagement_models.push_back(rng_.Percent(50) ? 0 : 4);
        break;
      case 14:
        r.required_tags.assign(33, "gcp");
        break;
      case 15:
        r.required_tags.push_back(std::string(129, 't'));
        break;
      case 16:
        r.vendor_allowlist.push_back(rng_.Percent(50) ? "S1" : "V9");
        break;
      case 17:
        r.time_in_force = 3;
        break;
      case 18:
        r.time_in_force = 1;
        r.all_or_none = true;
        break;
      default:
        r.fte_milli = 0;
        r.max_rate = 0;  // two bad fields: fte_milli decides
        break;
    }
  }

  void CorruptPublish(PublishOffer& o) {
    switch (rng_.Below(17)) {
      case 0:
        o.client_ref.clear();
        break;
      case 1:
        o.role = "cra";  // codes are case-sensitive
        break;
      case 2:
        o.seniority = rng_.Percent(50) ? 0 : 6;
        break;
      case 3:
        o.country = rng_.Percent(50) ? "NA" : "ZZ";  // a region, an unknown code
        break;
      case 4:
        o.country.clear();
        break;
      case 5:  // a hub of another country, or a country as hub
        o.hub = rng_.Percent(50) ? (o.country == "FR" ? "US-BOS-HUB" : "FR") : "NOWHERE-HUB";
        break;
      case 6:
        o.fte_milli = rng_.Percent(50) ? -100 : 1'000'001;
        break;
      case 7:
        o.min_slice_milli = o.fte_milli + 1;
        break;
      case 8:
        o.rate = rng_.Percent(50) ? 0 : 100'000'001;
        break;
      case 9:
        o.available_from.clear();
        break;
      case 10:
        o.available_until = "2024-11-30";  // before available_from
        break;
      case 11:
        o.available_until = "2025-13-01";
        break;
      case 12:
        o.engagement_model = rng_.Percent(50) ? 4 : -1;
        break;
      case 13:
        o.tags.assign(33, "oncology");
        break;
      case 14:
        o.tags.push_back(std::string(200, 'g'));
        break;
      case 15:
        o.time_in_force = -1;
        break;
      default:
        o.seniority = 9;
        o.rate = 0;  // two bad fields: seniority decides
        break;
    }
  }

  // ---- Amends, cancels and withdraws.

  // Chooses the order an amend, cancel or withdraw names and who sends it:
  // mostly an open order of its owner; sometimes a closed or never accepted
  // one, someone else's, or an id that never existed.
  std::pair<std::string, std::string> Target(bool request) {
    const char prefix = request ? 'R' : 'O';
    const char other_prefix = request ? 'O' : 'R';
    const std::vector<uint64_t>& open = request ? open_requests_ : open_offers_;
    const size_t parties = request ? universe::kSponsors.size() : universe::kVendors.size();
    auto principal = [request](size_t who) {
      return request ? SponsorPrincipal(who) : VendorPrincipal(who);
    };
    const uint64_t roll = rng_.Below(100);
    if (roll < 80 && !open.empty()) {
      const uint64_t id = open[rng_.Index(open.size())];
      return {prefix + std::to_string(id), principal(orders_.at(id).owner)};
    }
    if (roll < 88 && !orders_.empty()) {
      // Any order this generator ever sent of that side: mostly closed.
      for (int attempt = 0; attempt < 8; ++attempt) {
        auto it = orders_.lower_bound(1 + rng_.Below(sequence_));
        if (it == orders_.end() || it->second.request != request) continue;
        return {prefix + std::to_string(it->first), principal(it->second.owner)};
      }
    }
    if (roll < 94 && !open.empty()) {
      const uint64_t id = open[rng_.Index(open.size())];
      const size_t owner = orders_.at(id).owner;
      return {prefix + std::to_string(id),
              principal((owner + 1 + rng_.Index(parties - 1)) % parties)};
    }
    const std::string who = principal(rng_.Index(parties));
    switch (rng_.Below(5)) {
      case 0:
        return {prefix + std::to_string(sequence_ + 1000), who};  // in the future
      case 1:
        return {std::string(1, prefix) + "0", who};
      case 2:  // not canonical: a leading zero
        return {std::string(1, prefix) + "0" + std::to_string(1 + rng_.Below(sequence_)), who};
      case 3:  // ids are typed: the other side's prefix
        return {other_prefix + std::to_string(1 + rng_.Below(sequence_)), who};
      default:
        return {"X" + std::to_string(1 + rng_.Below(sequence_)), who};
    }
  }

  Command NextAmend(bool request) {
    auto [id, principal] = Target(request);
    const bool vendor = !request;
    const size_t who = OwnerIndex(principal);
    int64_t remaining = 1000;
    int64_t price = request ? Rate(10) : Rate(8);
    const uint64_t seq = ParseId(id);
    if (auto it = orders_.find(seq); it != orders_.end() && it->second.open) {
      remaining = it->second.remaining;
      price = it->second.price;
    }
    int64_t fte = 0;
    int64_t new_price = 0;
    switch (rng_.Below(8)) {
      case 0:
      case 1:  // decrease: keeps priority
        fte = remaining > 100 ? 100 * rng_.Between(1, (remaining - 1) / 100) : remaining;
        break;
      case 2:  // raise: cancel-replace
        fte = remaining + 100 * rng_.Between(1, 10);
        break;
      case 3:  // price change: cancel-replace
        new_price = request ? Rate(10) : Rate(8);
        break;
      case 4:  // both zero: a no-change amend
        break;
      case 5:  // the same values: keeps priority
        fte = remaining;
        new_price = rng_.Percent(50) ? price : 0;
        break;
      case 6:  // decrease and price change
        fte = remaining > 100 ? 100 * rng_.Between(1, (remaining - 1) / 100) : remaining;
        new_price = request ? Rate(10) : Rate(8);
        break;
      default:  // an odd size
        fte = rng_.Between(1, 3000);
        break;
    }
    std::string client_ref = ClientRef(vendor, who);
    if (rng_.Percent(3)) {
      switch (rng_.Below(5)) {
        case 0:
          id.clear();
          break;
        case 1:
          client_ref.clear();
          break;
        case 2:
          fte = rng_.Percent(50) ? -100 : 1'000'001;
          break;
        case 3:
          new_price = rng_.Percent(50) ? -1 : 100'000'001;
          break;
        default:
          client_ref = std::string(129, 'r');
          break;
      }
    }
    if (request) return Make(principal, AmendRequest{id, client_ref, fte, new_price});
    return Make(principal, AmendOffer{id, client_ref, fte, new_price});
  }

  Command NextCancel(bool request) {
    auto [id, principal] = Target(request);
    if (rng_.Percent(2)) id.clear();
    if (request) return Make(principal, CancelRequest{id});
    return Make(principal, WithdrawOffer{id});
  }

  // ---- Reference data and contracts.
  Command NextUpsertContract() {
    const size_t s = rng_.Index(universe::kSponsors.size());
    const size_t v = rng_.Index(universe::kVendors.size());
    ContractState& k = contracts_[s][v];
    UpsertContract c;
    c.sponsor_id = std::string(universe::kSponsors[s]);
    c.vendor_id = std::string(universe::kVendors[v]);
    c.active = !rng_.Percent(20);
    const uint64_t ceiling = rng_.Below(10);
    c.max_fte_milli = ceiling < 4 ? 0 : 500 * rng_.Between(1, 16);  // may fall below what is used
    c.rates = RandomCard();
    const uint64_t roll = rng_.Below(100);
    if (k.exists && roll < 8) {
      c.contract_id = "K-NEW-" + std::to_string(sequence_ + 1);  // ALREADY_EXISTS
    } else if (k.exists && roll < 12) {
      c.contract_id = k.id;  // the sponsor of a contract never changes
      c.sponsor_id = std::string(universe::kSponsors[(s + 1) % universe::kSponsors.size()]);
    } else if (roll < 16) {
      c.contract_id = k.exists ? k.id : universe::ContractId(s, v);
      switch (rng_.Below(5)) {
        case 0:
          c.vendor_id = "S2";  // a sponsor as vendor
          break;
        case 1:
          c.max_fte_milli = -5;
          break;
        case 2:
          c.rates.push_back(RateCardEntry{"CRA", 0, "US", 9000});
          break;
        case 3:
          c.rates.push_back(RateCardEntry{"CRA", 3, "EU", 9000});  // a region, not a country
          break;
        default:
          c.rates.push_back(RateCardEntry{"CTA", 3, "DE", 0});
          break;
      }
    } else {
      c.contract_id = k.exists ? k.id : universe::ContractId(s, v);
      k.exists = true;
      k.id = c.contract_id;
      k.active = c.active;
      k.max_fte_milli = c.max_fte_milli;
      k.card = c.rates;
    }
    return Admin(std::move(c));
  }

  Command NextPatch() {
    std::vector<std::pair<size_t, size_t>> existing;
    for (size_t s = 0; s < contracts_.size(); ++s) {
      for (size_t v = 0; v < contracts_[s].size(); ++v) {
        if (contracts_[s][v].exists) existing.emplace_back(s, v);
      }
    }
    PatchRateCard p;
    if (existing.empty() || rng_.Percent(8)) {
      p.contract_id = "K-UNKNOWN";  // NOT_FOUND
      return Admin(std::move(p));
    }
    const auto [s, v] = existing[rng_.Index(existing.size())];
    ContractState& k = contracts_[s][v];
    p.contract_id = k.id;
    const size_t removals = rng_.Index(3);
    for (size_t i = 0; i < removals; ++i) {
      if (!k.card.empty() && rng_.Percent(60)) {
        const RateCardEntry& e = k.card[rng_.Index(k.card.size())];
        p.removals.push_back(RateCardKey{e.role, e.seniority, e.country});
      } else {
        const RateCardEntry e = RandomCardEntry();  // probably absent: not an error
        p.removals.push_back(RateCardKey{e.role, e.seniority, e.country});
      }
    }
    const size_t upserts = rng_.Index(4);
    for (size_t i = 0; i < upserts; ++i) p.upserts.push_back(RandomCardEntry());
    if (rng_.Percent(5)) {
      if (rng_.Percent(50)) {
        p.upserts.push_back(RateCardEntry{"NOPE", 2, "US", 9000});
      } else {
        p.removals.push_back(RateCardKey{"CRA", 7, "US"});
      }
      return Admin(std::move(p));
    }
    for (const RateCardKey& key : p.removals) {
      std::erase_if(k.card, [&key](const RateCardEntry& e) {
        return e.role == key.role && e.seniority == key.seniority && e.country == key.country;
      });
    }
    for (const RateCardEntry& e : p.upserts) k.card.push_back(e);
    return Admin(std::move(p));
  }

  // Moves a country to another region or a hub to another country (affects
  // later matching only), or tries to redefine a code with another kind.
  Command NextMove() {
    const uint64_t roll = rng_.Below(10);
    if (roll < 5) {
      const size_t c = rng_.Index(universe::kCountries.size());
      country_region_[c] = rng_.Index(universe::kRegions.size());
      return Admin(DefineLocation{2, std::string(universe::kCountries[c]),
                                  std::string(universe::kRegions[country_region_[c]])});
    }
    if (roll < 9) {
      const size_t h = rng_.Index(universe::kHubs.size());
      hub_country_[h] = rng_.Index(universe::kCountries.size());
      return Admin(DefineLocation{3, std::string(universe::kHubs[h]),
                                  std::string(universe::kCountries[hub_country_[h]])});
    }
    return Admin(DefineLocation{3, "MX", "US"});  // a country keeps its kind
  }

  // Commands the principal may not send.
  Command NextWrongPrincipal() {
    switch (rng_.Below(7)) {
      case 0: {  // a vendor submitting a request
        Command c = NextSubmit();
        c.principal = "vendor:V1";
        return c;
      }
      case 1: {  // an unknown sponsor
        Command c = NextSubmit();
        c.principal = "sponsor:S9";
        return c;
      }
      case 2: {  // sponsor_id of another sponsor
        Command c = NextSubmit();
        std::get<SubmitRequest>(c.body).sponsor_id = c.principal == "sponsor:S1" ? "S2" : "S1";
        return c;
      }
      case 3: {  // vendor_id of another vendor
        Command c = NextPublish();
        std::get<PublishOffer>(c.body).vendor_id = c.principal == "vendor:V1" ? "V2" : "V1";
        return c;
      }
      case 4: {  // ops or admin trading
        Command c = NextPublish();
        c.principal = rng_.Percent(50) ? "ops" : "admin";
        return c;
      }
      case 5: {  // a sponsor changing reference data
        Command c = NextPatch();
        c.principal = "sponsor:S2";
        return c;
      }
      default: {  // a sponsor withdrawing an offer
        Command c = NextCancel(/*request=*/false);
        c.principal = "sponsor:S3";
        return c;
      }
    }
  }

  // ---- Helpers.
  static size_t OwnerIndex(std::string_view principal) {
    const size_t colon = principal.find(':');
    const std::string_view id = principal.substr(colon + 1);
    for (size_t i = 0; i < universe::kSponsors.size(); ++i) {
      if (universe::kSponsors[i] == id) return i;
    }
    for (size_t i = 0; i < universe::kVendors.size(); ++i) {
      if (universe::kVendors[i] == id) return i;
    }
    return 0;
  }
  static uint64_t ParseId(std::string_view id) {
    uint64_t v = 0;
    for (char c : id.substr(id.empty() ? 0 : 1)) {
      if (c < '0' || c > '9') return 0;
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    return v;
  }

  SplitMix64 rng_;
  uint64_t sequence_ = 0;
  uint64_t timestamp_ = 1'735'689'600'000'000'000ULL;  // 2025-01-01T00:00:00Z
  uint64_t client_ref_counter_ = 0;
  std::array<size_t, 5> country_region_{};
  std::array<size_t, 2> hub_country_{};
  std::array<std::array<ContractState, 5>, 4> contracts_{};
  std::map<uint64_t, OrderState> orders_;  // every submit and publish, by its sequence
  std::vector<uint64_t> open_requests_;
  std::vector<uint64_t> open_offers_;
  std::array<std::vector<std::string>, 9> client_refs_{};  // sponsors 0..3, vendors 4..8
};

}  // namespace market::matcher::testing
