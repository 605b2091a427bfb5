// The reference workload generator (see workload.h and shared/spec/WORKLOAD.md).
//
// Prices, all integer (pm = per mille, thousandths):
//   market rate(role, seniority, country) = role base x country cost factor x seniority step
//   vendor usual quote = market rate x the vendor's own factor (0.95 .. 1.05)
//   card cap           = vendor usual quote x (1.00 .. 1.15)
// Most new orders are passive: an offer asks about the vendor's usual quote
// (>= 0.912 x market rate), a request bids 0.70 .. 0.88 x the market rate at
// its min seniority in the cheapest country its locations cover, so passive
// orders never cross one another and the resting book grows. A minority are aggressive:
// a sponsor lifts an offer it believes is resting (a request shaped to be
// compatible with that offer, priced at or above its rate), or a vendor hits
// a resting request (an offer shaped for it, priced at or below its max_rate).
// Those shares (kLiftPerMille, kHitPerMille) set how much of the flow trades.
#include "marketctl/workload.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace market::tools {
namespace {

namespace v1 = marketplace::v1;

// ---------------------------------------------------------------------------
// Knobs. Shares are per mille (pm) unless the name says otherwise.

// Order-flow mix (WORKLOAD.md); invalid commands take what is left (10 = 1%).
constexpr uint64_t kPublishPerMille = 420;
constexpr uint64_t kSubmitPerMille = 420;
constexpr uint64_t kCancelPerMille = 100;
constexpr uint64_t kAmendPerMille = 50;

// Submits: 10% IOC in all; 2% of all submits are IOC all-or-none.
constexpr uint64_t kIocPlainPerMille = 80;
constexpr uint64_t kIocAonPerMille = 20;

// Crossing: the share of new orders that aim at a resting order of the other
// side, and their price relative to that order's price.
constexpr uint64_t kLiftPerMille = 470;     // GTC requests lifting a resting offer
constexpr uint64_t kIocLiftPerMille = 800;  // IOC requests lifting a resting offer
constexpr uint64_t kHitPerMille = 420;      // offers hitting a resting request
constexpr int64_t kLiftLowPm = 1000;        // request max_rate x the offer's rate
constexpr int64_t kLiftHighPm = 1150;
constexpr int64_t kHitLowPm = 850;  // offer rate x the request's max_rate
constexpr int64_t kHitHighPm = 1000;
// Crossing orders sized to the believed remaining of the order they aim at
// (else drawn like any other), so that a trade often closes both.
constexpr uint64_t kLiftSameSizePerMille = 500;
constexpr uint64_t kHitSameSizePerMille = 600;

// Passive prices.
constexpr int64_t kBidLowPm = 700;  // request max_rate x market rate
constexpr int64_t kBidHighPm = 880;
constexpr int64_t kAskLowPm = 960;  // offer rate x vendor usual quote
constexpr int64_t kAskHighPm = 1060;
constexpr int64_t kVendorFactorLowPm = 950;  // vendor usual quote x market rate
constexpr int64_t kVendorFactorHighPm = 1050;
constexpr int64_t kCardPremiumMaxPm = 150;  // card cap up to 15% above the usual quote
constexpr int64_t kRateTickCents = 50;      // quoted prices are whole half-dollars

// Amends: lower FTE / raise FTE / otherwise change the price.
constexpr uint64_t kAmendLowerPerMille = 400;
constexpr uint64_t kAmendRaisePerMille = 250;
constexpr int64_t kAmendLowerLowPm = 200;  // new remaining x believed remaining
constexpr int64_t kAmendLowerHighPm = 900;
constexpr int64_t kAmendBidLowPm = 900;  // new max_rate x old
constexpr int64_t kAmendBidHighPm = 1150;
constexpr int64_t kAmendAskLowPm = 880;  // new rate x old
constexpr int64_t kAmendAskHighPm = 1080;

// Request shape.
constexpr uint64_t kMinSlicePerMille = 300;
constexpr uint64_t kBlendLimitPerMille = 200;
constexpr int kMaxBlendVendors = 3;
constexpr uint64_t kRequiredTagsPerMille = 200;
constexpr uint64_t kOneTagPerMille = 800;     // tagged requests needing one tag, else two
constexpr uint64_t kCommonTagPerMille = 900;  // a required tag that is a common one
constexpr uint64_t kAllowlistPerMille = 100;
constexpr uint64_t kAnyModelPerMille = 650;  // requests accepting every engagement model
constexpr uint64_t kOneModelPerMille = 700;  // the others naming one model, else two
constexpr uint64_t kOwnIdPerMille = 300;     // sponsor_id / vendor_id set to the own id
constexpr std::array<uint64_t, 3> kLocationCountWeight = {50, 30, 20};  // 1, 2, 3 locations
constexpr uint64_t kRegionFirstPerMille = 350;   // first location a region, else country or hub
constexpr uint64_t kHubFirstPerMille = 200;      // first location a hub (when there is one)
constexpr uint64_t kExtraCountryPerMille = 750;  // further locations a country, else a region
constexpr int64_t kStartOffsetDays = 30;         // requests start 30 .. 830 days into 2026
constexpr int64_t kStartSpreadDays = 800;
constexpr int64_t kMinDurationDays = 90;
constexpr int64_t kDurationSpreadDays = 640;

// Offer shape.
constexpr uint64_t kOfferMinSlicePerMille = 100;
constexpr uint64_t kOfferHubPerMille = 350;    // offers in a hub country placed at a hub
constexpr uint64_t kOfferUntilPerMille = 300;  // offers with an end of availability
constexpr int64_t kUntilSpreadDays = 120;      // ... in the last 120 days of 2028
constexpr uint64_t kEarlyOfferPerMille = 850;  // offers available from the first 240 days
constexpr int64_t kEarlyOfferDays = 240;
constexpr int64_t kLateOfferDays = 730;
constexpr int64_t kHitLeadDays = 180;  // hitting offers available up to 180 days before start
constexpr uint64_t kOfferCommonTagPerMille = 800;  // an offer tag that is a common one
constexpr uint64_t kSameSeniorityPerMille = 700;   // hitting offers at the min seniority

// FTE sizes: partial FTEs dominate.
constexpr uint64_t kRequestPartialFtePerMille = 700;  // 0.1 .. 1 FTE
constexpr uint64_t kOfferPartialFtePerMille = 650;
constexpr uint64_t kMidFtePerMille = 250;  // 1 .. 3 FTE; the rest 3 .. 10 FTE
constexpr int64_t kFteStepMilli = 50;
constexpr int64_t kMinOrderFteMilli = 100;  // new orders: 0.1 .. 10 FTE
constexpr int64_t kMaxOrderFteMilli = 10000;
constexpr int64_t kFullFteMilli = 1000;
constexpr int64_t kMidFteMaxMilli = 3000;
constexpr int64_t kMidFteStepMilli = 250;
constexpr int64_t kLargeFteStepMilli = 500;

// Reference data.
constexpr int kMinVendorsPerSponsor = 3;
constexpr int kMaxVendorsPerSponsor = 8;
constexpr uint64_t kCeilingPerMille = 150;
constexpr int64_t kMinCeilingMilli = 10000;
constexpr int64_t kMaxCeilingMilli = 100000;
constexpr int64_t kMinCardEntries = 1000;
constexpr int64_t kMaxCardEntries = 1500;
constexpr int kSeniorityLevels = 5;

// Orders the generator remembers per side for cancels, amends and crossing;
// beyond this it forgets a random one, so memory stays bounded on long runs.
constexpr std::size_t kMaxTrackedOrders = std::size_t{1} << 20;

// Clock and dates.
constexpr uint64_t kNanosPerCommand = 1000;
constexpr int kFirstYear = 2026;
constexpr int kLastYear = 2028;

constexpr std::string_view kAdmin = "admin";

// ---------------------------------------------------------------------------
// Reference tables.

constexpr std::array<std::string_view, 5> kRegions = {"NA", "LATAM", "EU", "APAC", "MEA"};

struct CountryDef {
  std::string_view code;
  int region;       // index into kRegions
  int64_t cost_pm;  // cost factor, 1000 = cheapest
};

// 40 countries: high-cost (US, CH, DK) about 3x the lowest (IN).
constexpr std::array<CountryDef, 40> kCountries = {{
    {"US", 0, 3000}, {"CA", 0, 2500},                                    // NA
    {"MX", 1, 1300}, {"BR", 1, 1400}, {"AR", 1, 1200}, {"CO", 1, 1150},  // LATAM
    {"CL", 1, 1350}, {"PE", 1, 1100},                                    //
    {"GB", 2, 2600}, {"DE", 2, 2800}, {"FR", 2, 2600}, {"ES", 2, 2000},  // EU
    {"IT", 2, 2100}, {"NL", 2, 2700}, {"BE", 2, 2600}, {"PL", 2, 1500},  //
    {"CZ", 2, 1450}, {"HU", 2, 1400}, {"RO", 2, 1250}, {"BG", 2, 1200},  //
    {"SE", 2, 2800}, {"DK", 2, 2950}, {"IE", 2, 2600}, {"CH", 2, 3000},  //
    {"PT", 2, 1800}, {"GR", 2, 1600},                                    //
    {"IN", 3, 1000}, {"CN", 3, 1500}, {"JP", 3, 2700}, {"KR", 3, 2200},  // APAC
    {"AU", 3, 2600}, {"SG", 3, 2500}, {"PH", 3, 1050}, {"MY", 3, 1250},  //
    {"TH", 3, 1200}, {"TW", 3, 1900},                                    //
    {"ZA", 4, 1300}, {"IL", 4, 2400}, {"EG", 4, 1050}, {"AE", 4, 2300},  // MEA
}};

struct HubDef {
  std::string_view code;
  std::string_view country;
};

constexpr std::array<HubDef, 12> kHubs = {{
    {"MX-CTA-HUB", "MX"},
    {"GB-CLINOPS-HUB", "GB"},
    {"IN-DM-HUB", "IN"},
    {"IN-STATPROG-HUB", "IN"},
    {"PL-CRA-HUB", "PL"},
    {"BR-SSU-HUB", "BR"},
    {"PH-PV-HUB", "PH"},
    {"US-BIOSTAT-HUB", "US"},
    {"CN-LAB-HUB", "CN"},
    {"ZA-CRA-HUB", "ZA"},
    {"RO-DM-HUB", "RO"},
    {"AR-CTA-HUB", "AR"},
}};

struct RoleDef {
  std::string_view code;
  std::string_view name;
  std::string_view family;
  int64_t base_cents;   // hourly rate at cost factor 1000, seniority 1
  uint64_t popularity;  // relative demand and supply
};

constexpr std::string_view kClinOps = "Clinical operations";
constexpr std::string_view kDataMgmt = "Data management";
constexpr std::string_view kBiometrics = "Biometrics";
constexpr std::string_view kMedical = "Medical affairs";
constexpr std::string_view kSafety = "Pharmacovigilance";
constexpr std::string_view kRegulatory = "Regulatory and quality";
constexpr std::string_view kLab = "Laboratory";
constexpr std::string_view kImaging = "Imaging";
constexpr std::string_view kBioanalytical = "Bioanalytical";

constexpr std::array<RoleDef, 40> kRoles = {{
    {"CRA", "Clinical Research Associate", kClinOps, 3200, 10},
    {"SR_CRA", "Senior Clinical Research Associate", kClinOps, 3800, 8},
    {"LEAD_CRA", "Lead Clinical Research Associate", kClinOps, 4400, 3},
    {"CTA", "Clinical Trial Assistant", kClinOps, 2000, 8},
    {"CTM", "Clinical Trial Manager", kClinOps, 4800, 5},
    {"SR_CTM", "Senior Clinical Trial Manager", kClinOps, 5600, 2},
    {"CLIN_PM", "Clinical Project Manager", kClinOps, 5800, 3},
    {"SSU_SPEC", "Site Start-Up Specialist", kClinOps, 3000, 5},
    {"TMF_SPEC", "Trial Master File Specialist", kClinOps, 2200, 5},
    {"SITE_CONTRACTS", "Site Contracts and Budgets Specialist", kClinOps, 3000, 3},
    {"FEASIBILITY_SPEC", "Feasibility Specialist", kClinOps, 3200, 2},
    {"PATIENT_RECRUIT", "Patient Recruitment Specialist", kClinOps, 2600, 2},
    {"CENTRAL_MONITOR", "Central Monitoring Analyst", kClinOps, 3400, 3},
    {"DM", "Clinical Data Manager", kDataMgmt, 3000, 7},
    {"SR_DM", "Senior Clinical Data Manager", kDataMgmt, 3800, 4},
    {"CDM_LEAD", "Lead Clinical Data Manager", kDataMgmt, 4600, 2},
    {"DB_PROG", "Clinical Database Programmer", kDataMgmt, 3600, 3},
    {"EDC_BUILDER", "EDC Study Builder", kDataMgmt, 3400, 3},
    {"MED_CODER", "Medical Coder", kDataMgmt, 2400, 2},
    {"STAT_PROG", "Statistical Programmer", kBiometrics, 3800, 7},
    {"SR_STAT_PROG", "Senior Statistical Programmer", kBiometrics, 4600, 4},
    {"BIOSTAT", "Biostatistician", kBiometrics, 5000, 5},
    {"SR_BIOSTAT", "Senior Biostatistician", kBiometrics, 6200, 2},
    {"PK_ANALYST", "Pharmacokinetics Analyst", kBiometrics, 5200, 2},
    {"MED_MON", "Medical Monitor", kMedical, 9000, 3},
    {"MED_WRITER", "Medical Writer", kMedical, 4400, 4},
    {"MSL", "Medical Science Liaison", kMedical, 6500, 1},
    {"PV_SPEC", "Pharmacovigilance Specialist", kSafety, 2800, 5},
    {"PV_PHYSICIAN", "Pharmacovigilance Physician", kSafety, 8500, 1},
    {"SAFETY_SCIENTIST", "Drug Safety Scientist", kSafety, 4800, 2},
    {"REG_AFFAIRS", "Regulatory Affairs Specialist", kRegulatory, 4200, 4},
    {"REG_PUBLISHER", "Regulatory Publishing Specialist", kRegulatory, 3000, 2},
    {"QA_AUDITOR", "GCP Quality Assurance Auditor", kRegulatory, 4800, 2},
    {"LAB_TECH", "Central Laboratory Technician", kLab, 2200, 2},
    {"LAB_SCIENTIST", "Laboratory Scientist", kLab, 3600, 2},
    {"LAB_KIT_COORD", "Laboratory Kit Coordinator", kLab, 1800, 1},
    {"IMAGING_READER", "Independent Imaging Reader", kImaging, 8000, 1},
    {"IMAGING_TECH", "Imaging Technologist", kImaging, 3000, 1},
    {"BIOANALYTICAL_SCI", "Bioanalytical Scientist", kBioanalytical, 4400, 1},
    {"BIOANALYTICAL_TECH", "Bioanalytical Technician", kBioanalytical, 2400, 1},
}};

// Seniority 1..5 rate steps and how often each level is offered / asked for.
constexpr std::array<int64_t, kSeniorityLevels> kSeniorityStepPm = {1000, 1200, 1400, 1650, 1950};
constexpr std::array<uint64_t, kSeniorityLevels> kOfferSeniorityWeight = {15, 25, 30, 20, 10};
constexpr std::array<uint64_t, kSeniorityLevels> kRequestSeniorityWeight = {25, 30, 25, 15, 5};

constexpr std::array<std::string_view, 25> kVendorNames = {
    "Northwind Clinical",   "Meridian Research", "Atlas CRO",          "Bluecrest Trials",
    "Harbor Clinical",      "Summit Biometrics", "Polaris Research",   "Cedar Clinical",
    "Vantage Trials",       "Evergreen CRO",     "Keystone Clinical",  "Lighthouse Research",
    "Orion Clinical",       "Pinnacle Trials",   "Riverbend Research", "Sterling CRO",
    "Tidewater Clinical",   "Unity Research",    "Westgate Trials",    "Zenith Clinical",
    "Aurora Data Sciences", "Beacon Safety",     "Crescent Imaging",   "Delta Bioanalytics",
    "Equinox Regulatory",
};

// Vendors come in tiers, in the order of kVendorNames: a few large CROs that
// most sponsors contract (and that publish most offers), mid-size ones, and
// small or specialty ones. Every tier serves at least 15 roles x 20 countries
// x 5 seniorities = 1,500 card keys, so every card can hold 1,000..1,500.
struct VendorTier {
  std::size_t vendors;
  uint64_t popularity;  // weight when sponsors pick their vendors
  int min_roles;
  int max_roles;
  int min_countries;
  int max_countries;
};
constexpr std::array<VendorTier, 3> kVendorTiers = {{
    {5, 40, 20, 26, 24, 30},
    {7, 12, 16, 22, 20, 26},
    {13, 4, 15, 20, 20, 24},
}};
static_assert(kVendorTiers[0].vendors + kVendorTiers[1].vendors + kVendorTiers[2].vendors ==
              kVendorNames.size());

constexpr std::array<std::string_view, 20> kSponsorPrefixes = {
    "Acadia", "Borealis",  "Caldera", "Driftwood", "Elara",  "Fennec",   "Galena",
    "Helios", "Ionic",     "Juniper", "Kestrel",   "Lumen",  "Marlin",   "Nimbus",
    "Onyx",   "Peregrine", "Quartz",  "Rowan",     "Solace", "Tamarind",
};
constexpr std::array<std::string_view, 10> kSponsorSuffixes = {
    "Therapeutics", "Biosciences", "Pharma",   "Bio",    "Oncology",
    "Medicines",    "Biologics",   "Genomics", "Health", "Life Sciences",
};
constexpr std::size_t kSponsorCount = 200;
static_assert(kSponsorCount == kSponsorPrefixes.size() * kSponsorSuffixes.size());

// Therapeutic areas, languages and skills. The first kCommonTags are the
// common ones: most offers carry some of them, most required tags are one.
constexpr std::size_t kCommonTags = 5;
constexpr std::array<std::string_view, 27> kTags = {
    "ONCOLOGY",
    "ENGLISH",
    "GCP_CERTIFIED",
    "EDC_RAVE",
    "RARE_DISEASE",
    "CNS",
    "CARDIOVASCULAR",
    "INFECTIOUS_DISEASE",
    "IMMUNOLOGY",
    "DERMATOLOGY",
    "PEDIATRICS",
    "VACCINES",
    "CELL_GENE_THERAPY",
    "SPANISH",
    "PORTUGUESE",
    "FRENCH",
    "GERMAN",
    "MANDARIN",
    "JAPANESE",
    "EDC_VEEVA",
    "VEEVA_VAULT",
    "CDISC_SDTM",
    "CDISC_ADAM",
    "SAS",
    "R_PROGRAMMING",
    "RBM",
    "DECENTRALIZED_TRIALS",
};
constexpr int kMaxOfferTags = 4;
constexpr std::array<uint64_t, kMaxOfferTags + 1> kOfferTagCountWeight = {5, 15, 30, 30, 20};

constexpr std::array<v1::EngagementModel, 3> kModels = {v1::FSP, v1::TM, v1::FSO};
constexpr std::array<uint64_t, 3> kModelWeight = {50, 30, 20};

// Invalid commands, one bad field each, taken in turn.
enum class Invalid {
  kUnknownRole,
  kUnknownLocation,
  kZeroFte,
  kFteTooLarge,
  kZeroMaxRate,
  kZeroOfferRate,
  kSeniority7,
  kBadDate,
  kEndBeforeStart,
  kMinSliceAboveFte,
  kAonWithoutIoc,
  kLongString,
  kTooManyTags,
  kWrongPrincipal,
  kForeignSponsorId,
  kHubOutsideCountry,
  kUnknownAllowlistVendor,
  kUntilBeforeFrom,
  kCount,
};
constexpr int kMaxStringBytes = 128;
constexpr int kMaxTags = 32;
constexpr int64_t kMaxFteMilli = 1000000;

// ---------------------------------------------------------------------------
// Deterministic randomness: xoshiro256** seeded by splitmix64.

uint64_t SplitMix64(uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t sm = seed;
    for (uint64_t& word : state_) word = SplitMix64(sm);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n); 0 when n is 0. Rejection sampling, no modulo bias.
  uint64_t Below(uint64_t n) {
    if (n == 0) return 0;
    const uint64_t threshold = (0 - n) % n;
    for (;;) {
      const uint64_t r = Next();
      if (r >= threshold) return r % n;
    }
  }

  // Uniform in [lo, hi]; lo when hi < lo.
  int64_t Between(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }

  bool PerMille(uint64_t per_mille) { return Below(1000) < per_mille; }

  // Index drawn with probability proportional to weights[i]; 0 if all are 0.
  template <typename Weights>
  std::size_t Weighted(const Weights& weights) {
    uint64_t total = 0;
    for (const uint64_t w : weights) total += w;
    uint64_t r = Below(total);
    std::size_t i = 0;
    for (const uint64_t w : weights) {
      if (r < w) return i;
      r -= w;
      ++i;
    }
    return 0;
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::array<uint64_t, 4> state_{};
};

// A fixed table of cumulative weights for repeated draws (binary search).
class WeightedTable {
 public:
  WeightedTable() = default;
  explicit WeightedTable(const std::vector<uint64_t>& weights) {
    cumulative_.reserve(weights.size());
    uint64_t total = 0;
    for (const uint64_t w : weights) {
      total += w;
      cumulative_.push_back(total);
    }
  }

  std::size_t Pick(Rng& rng) const {
    if (cumulative_.empty() || cumulative_.back() == 0) return 0;
    const uint64_t r = rng.Below(cumulative_.back());
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), r);
    return static_cast<std::size_t>(it - cumulative_.begin());
  }

 private:
  std::vector<uint64_t> cumulative_;
};

// k distinct indices drawn without replacement, proportional to weights.
std::vector<std::size_t> DistinctWeighted(Rng& rng, std::vector<uint64_t> weights, int k) {
  std::vector<std::size_t> picked;
  for (int n = 0; n < k; ++n) {
    uint64_t total = 0;
    for (const uint64_t w : weights) total += w;
    if (total == 0) break;
    const std::size_t i = rng.Weighted(weights);
    picked.push_back(i);
    weights[i] = 0;
  }
  return picked;
}

// k distinct indices of [0, n), uniformly (partial Fisher-Yates), sorted.
std::vector<std::size_t> DistinctUniform(Rng& rng, std::size_t n, std::size_t k) {
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  k = std::min(k, n);
  for (std::size_t i = 0; i < k; ++i) {
    const std::size_t j = i + static_cast<std::size_t>(rng.Below(n - i));
    std::swap(all[i], all[j]);
  }
  all.resize(k);
  std::sort(all.begin(), all.end());
  return all;
}

// ---------------------------------------------------------------------------
// Integer helpers.

int64_t ScalePm(int64_t value, int64_t per_mille) { return value * per_mille / 1000; }

// Prices are whole ticks, at least one tick.
int64_t RoundToTick(int64_t cents) {
  return std::max((cents + kRateTickCents / 2) / kRateTickCents * kRateTickCents, kRateTickCents);
}
int64_t FloorToTick(int64_t cents) {
  return std::max(cents / kRateTickCents * kRateTickCents, kRateTickCents);
}
int64_t CeilToTick(int64_t cents) {
  return std::max((cents + kRateTickCents - 1) / kRateTickCents * kRateTickCents, kRateTickCents);
}

std::string Padded(std::string_view prefix, uint64_t n, std::size_t width) {
  std::string digits = std::to_string(n);
  std::string out(prefix);
  if (digits.size() < width) out.append(width - digits.size(), '0');
  out += digits;
  return out;
}

std::string Numbered(std::string_view prefix, uint64_t n) {
  return std::string(prefix) + std::to_string(n);
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
constexpr int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string IsoDate(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  std::string out = Padded("", static_cast<uint64_t>(y), 4);
  out += Padded("-", static_cast<uint64_t>(m), 2);
  out += Padded("-", static_cast<uint64_t>(d), 2);
  return out;
}

constexpr int64_t kFirstDay = DaysFromCivil(kFirstYear, 1, 1);
constexpr int64_t kLastDay = DaysFromCivil(kLastYear, 12, 31);

const VendorTier& TierOf(std::size_t vendor) {
  std::size_t first = 0;
  for (const VendorTier& tier : kVendorTiers) {
    if (vendor < first + tier.vendors) return tier;
    first += tier.vendors;
  }
  return kVendorTiers.back();
}

// ---------------------------------------------------------------------------
// The generator.

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// Bit sets over small tables (tags, vendors, engagement models).
static_assert(kTags.size() <= 32 && kVendorNames.size() <= 32 && kModels.size() <= 32);
constexpr uint32_t Bit(std::size_t i) { return uint32_t{1} << i; }

struct Vendor {
  std::string id;
  int64_t factor_pm = 1000;            // usual quote x market rate
  uint64_t popularity = 1;             // weight when sponsors pick their vendors
  std::vector<std::size_t> roles;      // served roles (indices into kRoles), sorted
  std::vector<std::size_t> countries;  // served countries (indices into kCountries), sorted
  WeightedTable role_table;            // its roles by popularity
  std::vector<std::size_t> sponsors;   // contracted sponsors, sorted
  WeightedTable sponsor_table;         // its sponsors by activity
};

struct Sponsor {
  std::string id;
  uint64_t activity = 1;             // relative share of the order flow
  std::vector<std::size_t> vendors;  // contracted vendors, in contracting order
  WeightedTable vendor_table;        // its vendors by their share of the offer flow
};

// A request's first location: a region, a country or a hub.
struct Place {
  v1::LocationKind kind = v1::COUNTRY;
  std::size_t index = 0;  // into kRegions, kCountries or kHubs
};

// A request the generator placed and believes to be open.
struct OpenRequest {
  uint64_t sequence = 0;
  std::size_t sponsor = 0;
  int64_t remaining_milli = 0;
  int64_t max_rate = 0;
  std::size_t role = 0;
  int min_seniority = 1;
  Place place;
  int64_t start_day = 0;
  int64_t end_day = 0;
  uint32_t models = 0;     // Bit(i): kModels[i] accepted; 0 = every model
  uint32_t tags = 0;       // Bit(i): kTags[i] required
  uint32_t allowlist = 0;  // Bit(v): vendor v allowed; 0 = every contracted vendor
};

// An offer the generator placed and believes to be open.
struct OpenOffer {
  uint64_t sequence = 0;
  std::size_t vendor = 0;
  int64_t remaining_milli = 0;
  int64_t rate = 0;
  std::size_t role = 0;
  int seniority = 1;
  std::size_t country = 0;
  std::size_t hub = kNone;
  int64_t from_day = 0;
  int64_t until_day = 0;  // 0 = open ended
  std::size_t model = 0;  // index into kModels
  uint32_t tags = 0;      // Bit(i): kTags[i]
};

class Generator {
 public:
  Generator(const WorkloadOptions& options, const std::function<void(const v1::Command&)>& emit)
      : options_(options), emit_(emit), rng_(options.seed) {}

  void Run() {
    BuildMarket();
    EmitLocations();
    EmitRoles();
    EmitParticipants();
    EmitContracts();
    for (uint64_t i = 0; i < options_.commands; ++i) EmitOrderFlow();
  }

 private:
  // --- Market construction (draws, no output) -----------------------------

  void BuildMarket() {
    for (std::size_t c = 0; c < kCountries.size(); ++c) {
      const std::size_t region = static_cast<std::size_t>(kCountries[c].region);
      region_countries_[region].push_back(c);
      int64_t& min = region_min_cost_[region];
      if (min == 0 || kCountries[c].cost_pm < min) min = kCountries[c].cost_pm;
      for (std::size_t h = 0; h < kHubs.size(); ++h) {
        if (kHubs[h].country == kCountries[c].code) country_hubs_[c].push_back(h);
      }
    }
    for (std::size_t h = 0; h < kHubs.size(); ++h) {
      for (std::size_t c = 0; c < kCountries.size(); ++c) {
        if (kHubs[h].country == kCountries[c].code) hub_country_[h] = c;
      }
    }

    std::vector<uint64_t> role_weights;
    for (const RoleDef& role : kRoles) role_weights.push_back(role.popularity);

    vendors_.resize(kVendorNames.size());
    std::vector<uint64_t> vendor_popularity;
    for (std::size_t v = 0; v < vendors_.size(); ++v) {
      Vendor& vendor = vendors_[v];
      const VendorTier& tier = TierOf(v);
      vendor.id = Padded("V", v + 1, 2);
      vendor.factor_pm = rng_.Between(kVendorFactorLowPm, kVendorFactorHighPm);
      vendor.popularity = tier.popularity;
      vendor.roles = DistinctWeighted(
          rng_, role_weights, static_cast<int>(rng_.Between(tier.min_roles, tier.max_roles)));
      std::sort(vendor.roles.begin(), vendor.roles.end());
      std::vector<uint64_t> served_weights;
      for (const std::size_t r : vendor.roles) served_weights.push_back(kRoles[r].popularity);
      vendor.role_table = WeightedTable(served_weights);
      vendor.countries = DistinctUniform(
          rng_, kCountries.size(),
          static_cast<std::size_t>(rng_.Between(tier.min_countries, tier.max_countries)));
      vendor_popularity.push_back(vendor.popularity);
    }

    sponsors_.resize(kSponsorCount);
    std::vector<uint64_t> sponsor_activity;
    for (std::size_t s = 0; s < sponsors_.size(); ++s) {
      Sponsor& sponsor = sponsors_[s];
      sponsor.id = Padded("S", s + 1, 3);
      sponsor.activity = 1 + rng_.Below(10);
      sponsor.vendors = DistinctWeighted(
          rng_, vendor_popularity,
          static_cast<int>(rng_.Between(kMinVendorsPerSponsor, kMaxVendorsPerSponsor)));
      for (const std::size_t v : sponsor.vendors) vendors_[v].sponsors.push_back(s);
      sponsor_activity.push_back(sponsor.activity);
    }
    sponsor_table_ = WeightedTable(sponsor_activity);

    // Vendors publish in proportion to how many sponsors can buy from them.
    std::vector<uint64_t> offer_weights;
    for (Vendor& vendor : vendors_) {
      offer_weights.push_back(vendor.sponsors.size());
      std::vector<uint64_t> weights;
      for (const std::size_t s : vendor.sponsors) weights.push_back(sponsors_[s].activity);
      vendor.sponsor_table = WeightedTable(weights);
    }
    vendor_table_ = WeightedTable(offer_weights);
    for (Sponsor& sponsor : sponsors_) {
      std::vector<uint64_t> weights;
      for (const std::size_t v : sponsor.vendors) weights.push_back(vendors_[v].sponsors.size());
      sponsor.vendor_table = WeightedTable(weights);
    }
  }

  // --- Rates ---------------------------------------------------------------

  static int64_t MarketRate(std::size_t role, int seniority, int64_t cost_pm) {
    const auto level = static_cast<std::size_t>(std::clamp(seniority, 1, kSeniorityLevels) - 1);
    return ScalePm(ScalePm(kRoles[role].base_cents, cost_pm), kSeniorityStepPm[level]);
  }

  int64_t UsualQuote(std::size_t vendor, std::size_t role, int seniority,
                     std::size_t country) const {
    return ScalePm(MarketRate(role, seniority, kCountries[country].cost_pm),
                   vendors_[vendor].factor_pm);
  }

  // --- Emission ------------------------------------------------------------

  uint64_t NextSequence() const { return sequence_ + 1; }

  void Emit(v1::Command& command) {
    ++sequence_;
    command.set_timestamp_unix_nanos(options_.start_timestamp_unix_nanos +
                                     sequence_ * kNanosPerCommand);
    emit_(command);
  }

  std::string SponsorPrincipal(std::size_t s) const { return "sponsor:" + sponsors_[s].id; }
  std::string VendorPrincipal(std::size_t v) const { return "vendor:" + vendors_[v].id; }

  void EmitLocation(v1::LocationKind kind, std::string_view code, std::string_view parent) {
    v1::Command command;
    command.set_principal(std::string(kAdmin));
    v1::DefineLocation* body = command.mutable_define_location();
    body->set_kind(kind);
    body->set_code(std::string(code));
    body->set_parent(std::string(parent));
    Emit(command);
  }

  void EmitLocations() {
    for (const std::string_view region : kRegions) EmitLocation(v1::REGION, region, "");
    for (const CountryDef& country : kCountries) {
      EmitLocation(v1::COUNTRY, country.code, kRegions[static_cast<std::size_t>(country.region)]);
    }
    for (const HubDef& hub : kHubs) EmitLocation(v1::HUB, hub.code, hub.country);
  }

  void EmitRoles() {
    for (const RoleDef& role : kRoles) {
      v1::Command command;
      command.set_principal(std::string(kAdmin));
      v1::DefineRole* body = command.mutable_define_role();
      body->set_code(std::string(role.code));
      body->set_name(std::string(role.name));
      body->set_family(std::string(role.family));
      Emit(command);
    }
  }

  void EmitParticipants() {
    for (std::size_t v = 0; v < vendors_.size(); ++v) {
      v1::Command command;
      command.set_principal(std::string(kAdmin));
      v1::UpsertParticipant* body = command.mutable_upsert_participant();
      body->set_id(vendors_[v].id);
      body->set_kind(v1::VENDOR);
      body->set_name(std::string(kVendorNames[v]));
      Emit(command);
    }
    for (std::size_t s = 0; s < sponsors_.size(); ++s) {
      v1::Command command;
      command.set_principal(std::string(kAdmin));
      v1::UpsertParticipant* body = command.mutable_upsert_participant();
      body->set_id(sponsors_[s].id);
      body->set_kind(v1::SPONSOR);
      body->set_name(std::string(kSponsorPrefixes[s % kSponsorPrefixes.size()]) + " " +
                     std::string(kSponsorSuffixes[s / kSponsorPrefixes.size()]));
      Emit(command);
    }
  }

  // One contract per (sponsor, vendor) pair. The card walks the vendor's
  // countries in a per-contract order, country by country (roles x
  // seniorities within each), and stops at 1,000..1,500 entries.
  void EmitContracts() {
    for (const Sponsor& sponsor : sponsors_) {
      for (const std::size_t v : sponsor.vendors) {
        const Vendor& vendor = vendors_[v];
        v1::Command command;
        command.set_principal(std::string(kAdmin));
        v1::UpsertContract* body = command.mutable_upsert_contract();
        body->set_contract_id("C-" + sponsor.id + "-" + vendor.id);
        body->set_sponsor_id(sponsor.id);
        body->set_vendor_id(vendor.id);
        body->set_active(true);
        if (rng_.PerMille(kCeilingPerMille)) {
          body->set_max_fte_milli(kFteStepMilli * rng_.Between(kMinCeilingMilli / kFteStepMilli,
                                                               kMaxCeilingMilli / kFteStepMilli));
        }
        const int64_t entries = rng_.Between(kMinCardEntries, kMaxCardEntries);
        std::vector<std::size_t> countries = vendor.countries;
        for (std::size_t i = countries.size(); i > 1; --i) {
          std::swap(countries[i - 1], countries[static_cast<std::size_t>(rng_.Below(i))]);
        }
        for (const std::size_t c : countries) {
          for (const std::size_t r : vendor.roles) {
            for (int seniority = 1; seniority <= kSeniorityLevels; ++seniority) {
              if (body->rates_size() >= entries) break;
              v1::RateCardEntry* entry = body->add_rates();
              entry->set_role(std::string(kRoles[r].code));
              entry->set_seniority(seniority);
              entry->set_country(std::string(kCountries[c].code));
              entry->set_max_rate(ScalePm(UsualQuote(v, r, seniority, c),
                                          1000 + rng_.Between(0, kCardPremiumMaxPm)));
            }
          }
        }
        Emit(command);
      }
    }
  }

  // --- Order flow: shared pieces -------------------------------------------

  void EmitOrderFlow() {
    uint64_t roll = rng_.Below(1000);
    if (roll < kPublishPerMille) return EmitPublish();
    roll -= kPublishPerMille;
    if (roll < kSubmitPerMille) return EmitSubmit();
    roll -= kSubmitPerMille;
    if (roll < kCancelPerMille) return EmitCancel();
    roll -= kCancelPerMille;
    if (roll < kAmendPerMille) return EmitAmend();
    EmitInvalid();
  }

  // lo, lo + step, ... up to hi.
  int64_t Stepped(int64_t lo, int64_t hi, int64_t step) {
    return lo + step * rng_.Between(0, (hi - lo) / step);
  }

  int64_t DrawFte(uint64_t partial_per_mille) {
    const uint64_t roll = rng_.Below(1000);
    if (roll < partial_per_mille) return Stepped(kMinOrderFteMilli, kFullFteMilli, kFteStepMilli);
    if (roll < partial_per_mille + kMidFtePerMille) {
      return Stepped(kFullFteMilli, kMidFteMaxMilli, kMidFteStepMilli);
    }
    return Stepped(kMidFteMaxMilli, kMaxOrderFteMilli, kLargeFteStepMilli);
  }

  // A believed remaining as the size of a new order: whole steps, 0.1 .. 10 FTE.
  static int64_t OrderSize(int64_t remaining_milli) {
    return std::clamp(remaining_milli / kFteStepMilli * kFteStepMilli, kMinOrderFteMilli,
                      kMaxOrderFteMilli);
  }

  // kFteStepMilli .. fte_milli / 2, never above fte_milli.
  int64_t DrawMinSlice(int64_t fte_milli) {
    const int64_t steps = std::max<int64_t>(1, fte_milli / (2 * kFteStepMilli));
    return std::min(fte_milli, kFteStepMilli * rng_.Between(1, steps));
  }

  std::size_t DrawTag(uint64_t common_per_mille) {
    if (rng_.PerMille(common_per_mille)) return static_cast<std::size_t>(rng_.Below(kCommonTags));
    return static_cast<std::size_t>(rng_.Below(kTags.size()));
  }

  // Adds up to `count` more distinct tags to `mask`.
  uint32_t DrawTags(uint32_t mask, int count, uint64_t common_per_mille) {
    constexpr int kTriesPerTag = 4;
    for (int i = 0; i < count * kTriesPerTag && std::popcount(mask) < count; ++i) {
      mask |= Bit(DrawTag(common_per_mille));
    }
    return mask;
  }

  // Index of a uniformly drawn set bit of a non-zero mask (0 for 0).
  std::size_t DrawBit(uint32_t mask) {
    uint64_t n = rng_.Below(static_cast<uint64_t>(std::popcount(mask)));
    for (std::size_t i = 0; i < 32; ++i) {
      if ((mask & Bit(i)) != 0 && n-- == 0) return i;
    }
    return 0;
  }

  template <typename Field>
  static void AddTagsFromMask(uint32_t mask, Field* field) {
    for (std::size_t i = 0; i < kTags.size(); ++i) {
      if ((mask & Bit(i)) != 0) field->Add(std::string(kTags[i]));
    }
  }

  // Remembers an order; past the bound it forgets a random one instead.
  template <typename Order>
  void Track(std::vector<Order>& orders, const Order& order) {
    if (orders.size() < kMaxTrackedOrders) {
      orders.push_back(order);
    } else {
      orders[static_cast<std::size_t>(rng_.Below(orders.size()))] = order;
    }
  }

  template <typename Order>
  Order TakeRandom(std::vector<Order>& orders) {
    const auto i = static_cast<std::size_t>(rng_.Below(orders.size()));
    const Order order = orders[i];
    orders[i] = orders.back();
    orders.pop_back();
    return order;
  }

  // --- Requests ------------------------------------------------------------

  // Owner, client_ref, role, seniority, size (drawn when `fte` is 0), slice
  // and blend limit.
  v1::SubmitRequest StartRequest(std::size_t s, std::size_t role, int min_seniority, int64_t fte,
                                 OpenRequest* tracked) {
    v1::SubmitRequest request;
    if (rng_.PerMille(kOwnIdPerMille)) request.set_sponsor_id(sponsors_[s].id);
    request.set_client_ref(Numbered("r", NextSequence()));
    request.set_role(std::string(kRoles[role].code));
    request.set_min_seniority(min_seniority);
    if (fte == 0) fte = DrawFte(kRequestPartialFtePerMille);
    request.set_fte_milli(fte);
    if (rng_.PerMille(kMinSlicePerMille)) request.set_min_slice_milli(DrawMinSlice(fte));
    if (rng_.PerMille(kBlendLimitPerMille)) {
      request.set_max_vendors(static_cast<int>(rng_.Between(1, kMaxBlendVendors)));
    }
    tracked->sequence = NextSequence();
    tracked->sponsor = s;
    tracked->remaining_milli = fte;
    tracked->role = role;
    tracked->min_seniority = min_seniority;
    return request;
  }

  // 1..3 distinct locations, the first covering `country` (or `hub` when it
  // is not kNone and drawn). Returns the cheapest cost factor they cover.
  int64_t AddLocations(const Vendor& vendor, std::size_t country, std::size_t hub,
                       v1::SubmitRequest* request, OpenRequest* tracked) {
    const auto region = static_cast<std::size_t>(kCountries[country].region);
    const uint64_t roll = rng_.Below(1000);
    if (roll < kRegionFirstPerMille) {
      tracked->place = {v1::REGION, region};
    } else if (roll < kRegionFirstPerMille + kHubFirstPerMille && hub != kNone) {
      tracked->place = {v1::HUB, hub};
    } else {
      tracked->place = {v1::COUNTRY, country};
    }
    int64_t min_cost = kCountries[country].cost_pm;
    switch (tracked->place.kind) {
      case v1::REGION:
        request->add_locations(std::string(kRegions[region]));
        min_cost = region_min_cost_[region];
        break;
      case v1::HUB:
        request->add_locations(std::string(kHubs[hub].code));
        break;
      default:
        request->add_locations(std::string(kCountries[country].code));
        break;
    }
    const std::size_t count = rng_.Weighted(kLocationCountWeight) + 1;
    constexpr int kTries = 6;
    for (int i = 0; i < kTries && static_cast<std::size_t>(request->locations_size()) < count;
         ++i) {
      std::string code;
      int64_t cost = 0;
      if (rng_.PerMille(kExtraCountryPerMille)) {
        const std::size_t c = vendor.countries[rng_.Below(vendor.countries.size())];
        code = std::string(kCountries[c].code);
        cost = kCountries[c].cost_pm;
      } else {
        const auto r = static_cast<std::size_t>(rng_.Below(kRegions.size()));
        code = std::string(kRegions[r]);
        cost = region_min_cost_[r];
      }
      const auto& listed = request->locations();
      if (std::find(listed.begin(), listed.end(), code) != listed.end()) continue;
      request->add_locations(std::move(code));
      min_cost = std::min(min_cost, cost);
    }
    return min_cost;
  }

  // Dates; engagement models (always accepting `model` when it is not kNone);
  // required tags drawn from `tag_pool` (every tag when 0); allowlist naming
  // `vendor` first.
  void FinishRequest(int64_t start, int64_t end, std::size_t model, uint32_t tag_pool,
                     std::size_t vendor, v1::SubmitRequest* request, OpenRequest* tracked) {
    request->set_start_date(IsoDate(start));
    request->set_end_date(IsoDate(end));
    tracked->start_day = start;
    tracked->end_day = end;

    if (!rng_.PerMille(kAnyModelPerMille)) {
      const int count = rng_.PerMille(kOneModelPerMille) ? 1 : 2;
      uint32_t models = model == kNone ? 0 : Bit(model);
      while (std::popcount(models) < count) models |= Bit(rng_.Weighted(kModelWeight));
      for (std::size_t m = 0; m < kModels.size(); ++m) {
        if ((models & Bit(m)) != 0) request->add_engagement_models(kModels[m]);
      }
      tracked->models = models;
    }
    if (rng_.PerMille(kRequiredTagsPerMille)) {
      const int count = rng_.PerMille(kOneTagPerMille) ? 1 : 2;
      uint32_t tags = 0;
      if (tag_pool == 0) {
        tags = DrawTags(0, count, kCommonTagPerMille);
      } else {
        for (int i = 0; i < count; ++i) tags |= Bit(DrawBit(tag_pool));
      }
      AddTagsFromMask(tags, request->mutable_required_tags());
      tracked->tags = tags;
    }
    if (rng_.PerMille(kAllowlistPerMille)) {
      const Sponsor& sponsor = sponsors_[tracked->sponsor];
      uint32_t allowed = Bit(vendor);
      request->add_vendor_allowlist(vendors_[vendor].id);
      const uint64_t extra = rng_.Below(kMaxBlendVendors);
      for (uint64_t i = 0; i < extra; ++i) {
        const std::size_t other = sponsor.vendors[rng_.Below(sponsor.vendors.size())];
        if ((allowed & Bit(other)) != 0) continue;
        allowed |= Bit(other);
        request->add_vendor_allowlist(vendors_[other].id);
      }
      tracked->allowlist = allowed;
    }
  }

  int64_t DrawStartDay() {
    return kFirstDay + kStartOffsetDays + rng_.Between(0, kStartSpreadDays);
  }
  int64_t DrawDurationDays() { return kMinDurationDays + rng_.Between(0, kDurationSpreadDays); }

  // A passive request: a role and a country one of the sponsor's vendors
  // serves (mostly the busy ones), priced below the asks of its locations.
  v1::SubmitRequest PassiveRequest(std::size_t s, OpenRequest* tracked) {
    const Sponsor& sponsor = sponsors_[s];
    const std::size_t v = sponsor.vendors[sponsor.vendor_table.Pick(rng_)];
    const Vendor& vendor = vendors_[v];
    const std::size_t role = vendor.roles[vendor.role_table.Pick(rng_)];
    const std::size_t country = vendor.countries[rng_.Below(vendor.countries.size())];
    const std::vector<std::size_t>& hubs = country_hubs_[country];
    const std::size_t hub = hubs.empty() ? kNone : hubs[rng_.Below(hubs.size())];
    const int min_seniority = static_cast<int>(rng_.Weighted(kRequestSeniorityWeight)) + 1;

    v1::SubmitRequest request = StartRequest(s, role, min_seniority, 0, tracked);
    const int64_t min_cost = AddLocations(vendor, country, hub, &request, tracked);
    request.set_max_rate(RoundToTick(
        ScalePm(MarketRate(role, min_seniority, min_cost), rng_.Between(kBidLowPm, kBidHighPm))));
    tracked->max_rate = request.max_rate();
    const int64_t start = DrawStartDay();
    FinishRequest(start, std::min(kLastDay, start + DrawDurationDays()), kNone, 0, v, &request,
                  tracked);
    return request;
  }

  // A request lifting `target`: one of the vendor's sponsors, shaped so that
  // the offer is compatible, priced at or above its rate.
  v1::SubmitRequest LiftingRequest(const OpenOffer& target, OpenRequest* tracked) {
    const Vendor& vendor = vendors_[target.vendor];
    const std::size_t s = vendor.sponsors[vendor.sponsor_table.Pick(rng_)];
    const int min_seniority =
        static_cast<int>(rng_.Between(std::max(1, target.seniority - 1), target.seniority));

    const int64_t fte =
        rng_.PerMille(kLiftSameSizePerMille) ? OrderSize(target.remaining_milli) : 0;
    v1::SubmitRequest request = StartRequest(s, target.role, min_seniority, fte, tracked);
    AddLocations(vendor, target.country, target.hub, &request, tracked);
    request.set_max_rate(CeilToTick(ScalePm(target.rate, rng_.Between(kLiftLowPm, kLiftHighPm))));
    tracked->max_rate = request.max_rate();
    const int64_t until = target.until_day == 0 ? kLastDay : target.until_day;
    // At least kMinDurationDays inside the offer's availability (its window is
    // always that long).
    const int64_t start =
        std::max(target.from_day, std::min(DrawStartDay(), until - kMinDurationDays));
    FinishRequest(start, std::min(until, start + DrawDurationDays()), target.model, target.tags,
                  target.vendor, &request, tracked);
    return request;
  }

  void EmitSubmit() {
    const uint64_t tif_roll = rng_.Below(1000);
    const bool ioc = tif_roll < kIocPlainPerMille + kIocAonPerMille;
    const bool lift = rng_.PerMille(ioc ? kIocLiftPerMille : kLiftPerMille);
    OpenRequest tracked;
    v1::Command command;
    v1::SubmitRequest* request = command.mutable_submit_request();
    const OpenOffer* target = nullptr;
    if (lift && !open_offers_.empty()) target = &open_offers_[rng_.Below(open_offers_.size())];
    if (target != nullptr && !vendors_[target->vendor].sponsors.empty()) {
      *request = LiftingRequest(*target, &tracked);
    } else {
      *request = PassiveRequest(sponsor_table_.Pick(rng_), &tracked);
    }
    request->set_time_in_force(ioc ? v1::IOC : v1::GTC);
    if (tif_roll < kIocAonPerMille) request->set_all_or_none(true);
    command.set_principal(SponsorPrincipal(tracked.sponsor));
    if (!ioc) Track(open_requests_, tracked);
    Emit(command);
  }

  // --- Offers --------------------------------------------------------------

  // Everything but the price and the availability dates; the size is drawn
  // when `fte` is 0.
  v1::PublishOffer StartOffer(std::size_t v, std::size_t role, int seniority, std::size_t country,
                              std::size_t hub, std::size_t model, uint32_t tags, int64_t fte,
                              OpenOffer* tracked) {
    const Vendor& vendor = vendors_[v];
    v1::PublishOffer offer;
    if (rng_.PerMille(kOwnIdPerMille)) offer.set_vendor_id(vendor.id);
    offer.set_client_ref(Numbered("o", NextSequence()));
    offer.set_role(std::string(kRoles[role].code));
    offer.set_seniority(seniority);
    offer.set_country(std::string(kCountries[country].code));
    if (hub != kNone) offer.set_hub(std::string(kHubs[hub].code));
    if (fte == 0) fte = DrawFte(kOfferPartialFtePerMille);
    offer.set_fte_milli(fte);
    if (rng_.PerMille(kOfferMinSlicePerMille)) offer.set_min_slice_milli(DrawMinSlice(fte));
    offer.set_engagement_model(kModels[model]);
    AddTagsFromMask(tags, offer.mutable_tags());
    offer.set_time_in_force(v1::GTC);

    tracked->sequence = NextSequence();
    tracked->vendor = v;
    tracked->remaining_milli = fte;
    tracked->role = role;
    tracked->seniority = seniority;
    tracked->country = country;
    tracked->hub = hub;
    tracked->model = model;
    tracked->tags = tags;
    return offer;
  }

  std::size_t MaybeHub(std::size_t country) {
    const std::vector<std::size_t>& hubs = country_hubs_[country];
    if (hubs.empty() || !rng_.PerMille(kOfferHubPerMille)) return kNone;
    return hubs[rng_.Below(hubs.size())];
  }

  int DrawOfferTagCount() { return static_cast<int>(rng_.Weighted(kOfferTagCountWeight)); }

  void SetAvailability(int64_t from, int64_t until, v1::PublishOffer* offer, OpenOffer* tracked) {
    offer->set_available_from(IsoDate(from));
    if (until != 0) offer->set_available_until(IsoDate(until));
    tracked->from_day = from;
    tracked->until_day = until;
  }

  // A passive offer: a role and a country the vendor serves, at about its
  // usual quote, available from early on.
  v1::PublishOffer PassiveOffer(std::size_t v, OpenOffer* tracked) {
    const Vendor& vendor = vendors_[v];
    const std::size_t role = vendor.roles[vendor.role_table.Pick(rng_)];
    const std::size_t country = vendor.countries[rng_.Below(vendor.countries.size())];
    const int seniority = static_cast<int>(rng_.Weighted(kOfferSeniorityWeight)) + 1;
    const std::size_t hub = MaybeHub(country);
    const std::size_t model = rng_.Weighted(kModelWeight);
    const uint32_t tags = DrawTags(0, DrawOfferTagCount(), kOfferCommonTagPerMille);

    v1::PublishOffer offer = StartOffer(v, role, seniority, country, hub, model, tags, 0, tracked);
    offer.set_rate(RoundToTick(
        ScalePm(UsualQuote(v, role, seniority, country), rng_.Between(kAskLowPm, kAskHighPm))));
    tracked->rate = offer.rate();
    const int64_t from =
        kFirstDay +
        rng_.Between(0, rng_.PerMille(kEarlyOfferPerMille) ? kEarlyOfferDays : kLateOfferDays);
    const int64_t until =
        rng_.PerMille(kOfferUntilPerMille) ? kLastDay - rng_.Between(0, kUntilSpreadDays) : 0;
    SetAvailability(from, until, &offer, tracked);
    return offer;
  }

  // An offer hitting `target`: from a vendor the sponsor may buy from, shaped
  // so that the request is compatible, priced at or below its max_rate.
  v1::PublishOffer HittingOffer(const OpenRequest& target, OpenOffer* tracked) {
    const Sponsor& sponsor = sponsors_[target.sponsor];
    const std::size_t v = target.allowlist != 0 ? DrawBit(target.allowlist)
                                                : sponsor.vendors[sponsor.vendor_table.Pick(rng_)];
    const Vendor& vendor = vendors_[v];
    const int seniority = std::min(
        kSeniorityLevels, target.min_seniority + (rng_.PerMille(kSameSeniorityPerMille) ? 0 : 1));
    std::size_t country = 0;
    std::size_t hub = kNone;
    switch (target.place.kind) {
      case v1::REGION: {
        std::vector<std::size_t> served;
        for (const std::size_t c : vendor.countries) {
          if (static_cast<std::size_t>(kCountries[c].region) == target.place.index) {
            served.push_back(c);
          }
        }
        const std::vector<std::size_t>& pool =
            served.empty() ? region_countries_[target.place.index] : served;
        country = pool[rng_.Below(pool.size())];
        hub = MaybeHub(country);
        break;
      }
      case v1::HUB:
        hub = target.place.index;
        country = hub_country_[hub];
        break;
      default:
        country = target.place.index;
        hub = MaybeHub(country);
        break;
    }
    const std::size_t model =
        target.models != 0 ? DrawBit(target.models) : rng_.Weighted(kModelWeight);
    const uint32_t tags =
        DrawTags(target.tags, std::max(DrawOfferTagCount(), std::popcount(target.tags)),
                 kOfferCommonTagPerMille);

    v1::PublishOffer offer = StartOffer(
        v, target.role, seniority, country, hub, model, tags,
        rng_.PerMille(kHitSameSizePerMille) ? OrderSize(target.remaining_milli) : 0, tracked);
    offer.set_rate(FloorToTick(ScalePm(target.max_rate, rng_.Between(kHitLowPm, kHitHighPm))));
    tracked->rate = offer.rate();
    const int64_t from = std::max(kFirstDay, target.start_day - rng_.Between(0, kHitLeadDays));
    const int64_t until =
        rng_.PerMille(kOfferUntilPerMille) ? rng_.Between(target.end_day, kLastDay) : 0;
    SetAvailability(from, until, &offer, tracked);
    return offer;
  }

  void EmitPublish() {
    const bool hit = rng_.PerMille(kHitPerMille) && !open_requests_.empty();
    OpenOffer tracked;
    v1::Command command;
    v1::PublishOffer* offer = command.mutable_publish_offer();
    if (hit) {
      *offer = HittingOffer(open_requests_[rng_.Below(open_requests_.size())], &tracked);
    } else {
      *offer = PassiveOffer(vendor_table_.Pick(rng_), &tracked);
    }
    command.set_principal(VendorPrincipal(tracked.vendor));
    Track(open_offers_, tracked);
    Emit(command);
  }

  // --- Cancels and amends of the generator's own believed-open orders ------

  // Which book an amend or cancel works on.
  enum class Side { kRequest, kOffer, kNoOrders };

  Side PickSide() {
    if (open_requests_.empty() && open_offers_.empty()) return Side::kNoOrders;
    if (open_requests_.empty()) return Side::kOffer;
    if (open_offers_.empty()) return Side::kRequest;
    return rng_.PerMille(500) ? Side::kRequest : Side::kOffer;
  }

  void EmitCancel() {
    v1::Command command;
    switch (PickSide()) {
      case Side::kRequest: {
        const OpenRequest order = TakeRandom(open_requests_);
        command.set_principal(SponsorPrincipal(order.sponsor));
        command.mutable_cancel_request()->set_request_id(Numbered("R", order.sequence));
        break;
      }
      case Side::kOffer: {
        const OpenOffer order = TakeRandom(open_offers_);
        command.set_principal(VendorPrincipal(order.vendor));
        command.mutable_withdraw_offer()->set_offer_id(Numbered("O", order.sequence));
        break;
      }
      case Side::kNoOrders:
        return EmitPublish();
    }
    Emit(command);
  }

  // New remaining and price of an amend (0 = unchanged); updates the belief.
  std::pair<int64_t, int64_t> DrawAmend(int64_t* remaining, int64_t* price, int64_t price_low_pm,
                                        int64_t price_high_pm) {
    const uint64_t roll = rng_.Below(1000);
    if (roll < kAmendLowerPerMille) {
      const int64_t lower = ScalePm(*remaining, rng_.Between(kAmendLowerLowPm, kAmendLowerHighPm));
      *remaining = std::max(kFteStepMilli, lower / kFteStepMilli * kFteStepMilli);
      return {*remaining, 0};
    }
    if (roll < kAmendLowerPerMille + kAmendRaisePerMille) {
      *remaining = std::min(kMaxFteMilli, *remaining + kFteStepMilli * rng_.Between(2, 20));
      return {*remaining, 0};
    }
    *price = RoundToTick(ScalePm(*price, rng_.Between(price_low_pm, price_high_pm)));
    return {0, *price};
  }

  void EmitAmend() {
    v1::Command command;
    const std::string client_ref = Numbered("m", NextSequence());
    switch (PickSide()) {
      case Side::kRequest: {
        OpenRequest& order = open_requests_[rng_.Below(open_requests_.size())];
        const auto [fte, price] =
            DrawAmend(&order.remaining_milli, &order.max_rate, kAmendBidLowPm, kAmendBidHighPm);
        command.set_principal(SponsorPrincipal(order.sponsor));
        v1::AmendRequest* amend = command.mutable_amend_request();
        amend->set_request_id(Numbered("R", order.sequence));
        amend->set_client_ref(client_ref);
        amend->set_fte_milli(fte);
        amend->set_max_rate(price);
        break;
      }
      case Side::kOffer: {
        OpenOffer& order = open_offers_[rng_.Below(open_offers_.size())];
        const auto [fte, price] =
            DrawAmend(&order.remaining_milli, &order.rate, kAmendAskLowPm, kAmendAskHighPm);
        command.set_principal(VendorPrincipal(order.vendor));
        v1::AmendOffer* amend = command.mutable_amend_offer();
        amend->set_offer_id(Numbered("O", order.sequence));
        amend->set_client_ref(client_ref);
        amend->set_fte_milli(fte);
        amend->set_rate(price);
        break;
      }
      case Side::kNoOrders:
        return EmitPublish();
    }
    Emit(command);
  }

  // --- Invalid commands ----------------------------------------------------

  // A passive submit or publish with exactly one bad field, client_ref "x<seq>".
  void EmitInvalid() {
    const auto kind = static_cast<Invalid>(invalid_count_ % static_cast<uint64_t>(Invalid::kCount));
    ++invalid_count_;
    const std::size_t s = sponsor_table_.Pick(rng_);
    const std::size_t v = vendor_table_.Pick(rng_);
    const std::string client_ref = Numbered("x", NextSequence());
    OpenRequest unused_request;
    OpenOffer unused_offer;
    v1::Command command;
    command.set_principal(SponsorPrincipal(s));
    v1::SubmitRequest* request = command.mutable_submit_request();
    *request = PassiveRequest(s, &unused_request);
    request->set_time_in_force(v1::GTC);
    request->set_client_ref(client_ref);

    auto to_offer = [&]() -> v1::PublishOffer* {
      command.set_principal(VendorPrincipal(v));
      v1::PublishOffer* offer = command.mutable_publish_offer();
      *offer = PassiveOffer(v, &unused_offer);
      offer->set_client_ref(client_ref);
      return offer;
    };

    switch (kind) {
      case Invalid::kUnknownRole:
        request->set_role("UNKNOWN_ROLE");
        break;
      case Invalid::kUnknownLocation:
        request->set_locations(request->locations_size() - 1, "ZZ-NOWHERE");
        break;
      case Invalid::kZeroFte:
        request->set_fte_milli(0);
        request->set_min_slice_milli(0);
        break;
      case Invalid::kFteTooLarge:
        to_offer()->set_fte_milli(kMaxFteMilli + 1);
        break;
      case Invalid::kZeroMaxRate:
        request->set_max_rate(0);
        break;
      case Invalid::kZeroOfferRate:
        to_offer()->set_rate(0);
        break;
      case Invalid::kSeniority7:
        to_offer()->set_seniority(kSeniorityLevels + 2);
        break;
      case Invalid::kBadDate:
        request->set_start_date(std::to_string(kFirstYear + 1) + "-02-30");
        break;
      case Invalid::kEndBeforeStart:
        request->set_start_date(IsoDate(kFirstDay + 2));
        request->set_end_date(IsoDate(kFirstDay + 1));
        break;
      case Invalid::kMinSliceAboveFte:
        request->set_min_slice_milli(request->fte_milli() + kFteStepMilli);
        break;
      case Invalid::kAonWithoutIoc:
        request->set_all_or_none(true);
        break;
      case Invalid::kLongString:
        to_offer()->add_tags(std::string(kMaxStringBytes + 1, 'X'));
        break;
      case Invalid::kTooManyTags: {
        v1::PublishOffer* offer = to_offer();
        offer->clear_tags();
        for (int i = 1; i <= kMaxTags + 1; ++i) {
          offer->add_tags(Padded("SKILL_", static_cast<uint64_t>(i), 2));
        }
        break;
      }
      case Invalid::kWrongPrincipal:
        request->clear_sponsor_id();
        command.set_principal(VendorPrincipal(v));
        break;
      case Invalid::kForeignSponsorId:
        request->set_sponsor_id(sponsors_[(s + 1) % sponsors_.size()].id);
        break;
      case Invalid::kHubOutsideCountry: {
        v1::PublishOffer* offer = to_offer();
        for (const HubDef& hub : kHubs) {
          if (hub.country != offer->country()) {
            offer->set_hub(std::string(hub.code));
            break;
          }
        }
        break;
      }
      case Invalid::kUnknownAllowlistVendor:
        request->add_vendor_allowlist(Padded("V", 99, 2));
        break;
      case Invalid::kUntilBeforeFrom: {
        v1::PublishOffer* offer = to_offer();
        offer->set_available_from(IsoDate(kFirstDay + 10));
        offer->set_available_until(IsoDate(kFirstDay + 9));
        break;
      }
      case Invalid::kCount:
        break;
    }
    Emit(command);
  }

  const WorkloadOptions& options_;
  const std::function<void(const v1::Command&)>& emit_;
  Rng rng_;
  uint64_t sequence_ = 0;
  uint64_t invalid_count_ = 0;

  std::array<int64_t, kRegions.size()> region_min_cost_{};
  std::array<std::vector<std::size_t>, kRegions.size()> region_countries_{};
  std::array<std::vector<std::size_t>, kCountries.size()> country_hubs_{};
  std::array<std::size_t, kHubs.size()> hub_country_{};
  std::vector<Vendor> vendors_;
  std::vector<Sponsor> sponsors_;
  WeightedTable sponsor_table_;
  WeightedTable vendor_table_;
  std::vector<OpenRequest> open_requests_;
  std::vector<OpenOffer> open_offers_;
};

}  // namespace

void GenerateWorkload(const WorkloadOptions& options,
                      const std::function<void(const marketplace::v1::Command&)>& emit) {
  Generator(options, emit).Run();
}

}  // namespace market::tools
