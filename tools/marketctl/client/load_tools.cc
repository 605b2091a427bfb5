#include "marketctl/client/load_tools.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <set>

#include "codec/json_lines.h"

namespace market::tools {
namespace {

namespace pb = marketplace::v1;

void AppendSuffix(std::string* client_ref, std::string_view suffix) {
  if (!client_ref->empty()) client_ref->append(suffix);
}

void Place(Workload* workload, PositionedCommand positioned) {
  if (workload->flow.empty() && IsReferenceData(positioned.command)) {
    workload->reference.push_back(std::move(positioned));
  } else {
    workload->flow.push_back(std::move(positioned));
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// LatencyHistogram

LatencyHistogram::LatencyHistogram()
    : counts_(std::make_unique<std::array<std::atomic<uint64_t>, kBuckets>>()) {
  for (auto& c : *counts_) c.store(0, std::memory_order_relaxed);
}

size_t LatencyHistogram::BucketOf(uint64_t nanos) {
  if (nanos < kSub) return static_cast<size_t>(nanos);
  const int exponent = std::bit_width(nanos) - 1;  // >= kSubBits
  const uint64_t sub = (nanos >> (exponent - kSubBits)) & (kSub - 1);
  return static_cast<size_t>(exponent - kSubBits + 1) * kSub + static_cast<size_t>(sub);
}

uint64_t LatencyHistogram::BucketUpperBound(size_t bucket) {
  if (bucket < kSub) return bucket;
  const int exponent = static_cast<int>(bucket / kSub) + kSubBits - 1;
  const uint64_t sub = bucket % kSub;
  const int shift = exponent - kSubBits;
  const uint64_t lower = (kSub + sub) << shift;
  return lower + ((uint64_t{1} << shift) - 1);
}

void LatencyHistogram::Record(uint64_t nanos) {
  (*counts_)[BucketOf(nanos)].fetch_add(1, std::memory_order_relaxed);
  uint64_t seen = max_.load(std::memory_order_relaxed);
  while (nanos > seen && !max_.compare_exchange_weak(seen, nanos, std::memory_order_relaxed)) {
  }
}

uint64_t LatencyHistogram::count() const {
  uint64_t total = 0;
  for (const auto& c : *counts_) total += c.load(std::memory_order_relaxed);
  return total;
}

uint64_t LatencyHistogram::Percentile(double q) const {
  const uint64_t total = count();
  if (total == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  // The rank of the value wanted, 1-based: ceil(q * total), at least 1.
  uint64_t rank = static_cast<uint64_t>(q * static_cast<double>(total));
  if (static_cast<double>(rank) < q * static_cast<double>(total)) ++rank;
  rank = std::max<uint64_t>(rank, 1);
  uint64_t seen = 0;
  for (size_t b = 0; b < kBuckets; ++b) {
    seen += (*counts_)[b].load(std::memory_order_relaxed);
    if (seen >= rank) return std::min(BucketUpperBound(b), max_nanos());
  }
  return max_nanos();
}

// ---------------------------------------------------------------------------
// SequenceMap and the rewrite

SequenceMap::SequenceMap(uint64_t positions)
    : actual_(std::make_unique<std::atomic<uint64_t>[]>(positions + 1)), size_(positions + 1) {
  for (uint64_t i = 0; i < size_; ++i) actual_[i].store(0, std::memory_order_relaxed);
}

void SequenceMap::Set(uint64_t position, uint64_t actual) {
  if (position < size_) actual_[position].store(actual, std::memory_order_release);
}

uint64_t SequenceMap::Get(uint64_t position) const {
  return position < size_ ? actual_[position].load(std::memory_order_acquire) : 0;
}

std::string RemapOrderId(std::string_view id, char prefix, const SequenceMap& map) {
  if (id.size() < 2 || id[0] != prefix) return std::string(id);
  uint64_t position = 0;
  const char* first = id.data() + 1;
  const char* last = id.data() + id.size();
  const auto [end, error] = std::from_chars(first, last, position);
  if (error != std::errc() || end != last) return std::string(id);
  const uint64_t actual = map.Get(position);
  if (actual == 0) return std::string(id);
  return std::string(1, prefix) + std::to_string(actual);
}

void PrepareForRun(const SequenceMap& map, std::string_view ref_suffix, pb::Command* command) {
  switch (command->body_case()) {
    case pb::Command::kSubmitRequest:
      AppendSuffix(command->mutable_submit_request()->mutable_client_ref(), ref_suffix);
      break;
    case pb::Command::kPublishOffer:
      AppendSuffix(command->mutable_publish_offer()->mutable_client_ref(), ref_suffix);
      break;
    case pb::Command::kAmendRequest: {
      pb::AmendRequest* body = command->mutable_amend_request();
      body->set_request_id(RemapOrderId(body->request_id(), 'R', map));
      AppendSuffix(body->mutable_client_ref(), ref_suffix);
      break;
    }
    case pb::Command::kAmendOffer: {
      pb::AmendOffer* body = command->mutable_amend_offer();
      body->set_offer_id(RemapOrderId(body->offer_id(), 'O', map));
      AppendSuffix(body->mutable_client_ref(), ref_suffix);
      break;
    }
    case pb::Command::kCancelRequest: {
      pb::CancelRequest* body = command->mutable_cancel_request();
      body->set_request_id(RemapOrderId(body->request_id(), 'R', map));
      break;
    }
    case pb::Command::kWithdrawOffer: {
      pb::WithdrawOffer* body = command->mutable_withdraw_offer();
      body->set_offer_id(RemapOrderId(body->offer_id(), 'O', map));
      break;
    }
    default:
      break;
  }
}

bool IsReferenceData(const pb::Command& command) {
  switch (command.body_case()) {
    case pb::Command::kDefineRole:
    case pb::Command::kDefineLocation:
    case pb::Command::kUpsertParticipant:
    case pb::Command::kUpsertContract:
    case pb::Command::kPatchRateCard:
      return true;
    default:
      return false;
  }
}

Workload SplitWorkload(std::vector<pb::Command> commands) {
  Workload workload;
  uint64_t position = 0;
  for (pb::Command& command : commands) {
    Place(&workload, PositionedCommand{++position, std::move(command)});
  }
  return workload;
}

Workload ReadWorkload(std::istream& in) {
  Workload workload;
  uint64_t position = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (codec::IsBlankLine(line)) continue;
    ++position;
    absl::StatusOr<pb::Command> command = codec::ParseCommandJson(line);
    if (!command.ok()) {
      ++workload.malformed;
      continue;
    }
    Place(&workload, PositionedCommand{position, *std::move(command)});
  }
  return workload;
}

std::vector<std::string> PrincipalsOf(const std::vector<PositionedCommand>& commands) {
  std::vector<std::string> principals;
  std::set<std::string> seen;
  for (const PositionedCommand& c : commands) {
    if (seen.insert(c.command.principal()).second) principals.push_back(c.command.principal());
  }
  return principals;
}

}  // namespace market::tools
