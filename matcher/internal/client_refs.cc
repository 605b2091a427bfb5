#include "matcher/internal/client_refs.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace market::matcher::internal {
namespace {

constexpr size_t kTextBlock = 64 * 1024;
constexpr size_t kMinSlots = 1024;

// The slots for `keys` keys at most two-thirds full: a power of two.
size_t SlotsFor(size_t keys) { return std::bit_ceil(std::max(kMinSlots, keys + keys / 2 + 1)); }

}  // namespace

uint64_t ClientRefs::HashOf(ParticipantId participant, std::string_view text) {
  return absl::Hash<std::pair<uint32_t, absl::string_view>>{}(
      std::pair<uint32_t, absl::string_view>(participant, {text.data(), text.size()}));
}

size_t ClientRefs::Probe(ParticipantId participant, std::string_view text, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = Home(hash);; i = (i + 1) & mask) {
    const uint64_t w = slots_[i];
    if (w == 0) return i;
    if ((w >> 32) != (hash >> 32)) continue;
    const Entry& e = entries_[static_cast<uint32_t>(w) - 1];
    if (e.participant == participant && std::string_view(e.text, e.size) == text) return i;
  }
}

void ClientRefs::Rehash(size_t slots) {
  std::vector<uint64_t> old = std::exchange(slots_, std::vector<uint64_t>(slots, 0));
  shift_ = static_cast<unsigned>(64 - std::countr_zero(slots));
  const size_t mask = slots - 1;
  for (uint64_t w : old) {
    if (w == 0) continue;
    size_t i = Home(w);
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = w;
  }
}

void ClientRefs::Reserve(size_t keys) {
  if (SlotsFor(keys) > slots_.size()) Rehash(SlotsFor(keys));
}

const char* ClientRefs::Store(std::string_view text) {
  if (text.empty()) return "";
  if (block_used_ + text.size() > block_size_) {
    block_size_ = std::max(kTextBlock, text.size());
    text_blocks_.push_back(std::make_unique<char[]>(block_size_));
    block_used_ = 0;
  }
  char* at = text_blocks_.back().get() + block_used_;
  std::memcpy(at, text.data(), text.size());
  block_used_ += text.size();
  return at;
}

uint64_t ClientRefs::FindOrAdd(ParticipantId participant, std::string_view client_ref,
                               uint64_t sequence) {
  if (SlotsFor(entries_.size() + 1) > slots_.size()) Rehash(SlotsFor(entries_.size() + 1) * 2);
  const uint64_t hash = HashOf(participant, client_ref);
  const size_t i = Probe(participant, client_ref, hash);
  if (slots_[i] != 0) return entries_[static_cast<uint32_t>(slots_[i]) - 1].sequence;
  const auto entry = static_cast<uint32_t>(entries_.size());
  entries_.push_back(
      Entry{sequence, Store(client_ref), static_cast<uint32_t>(client_ref.size()), participant});
  slots_[i] = Word(hash, entry);
  return 0;
}

uint64_t ClientRefs::Find(ParticipantId participant, std::string_view client_ref) const {
  if (slots_.empty()) return 0;
  const uint64_t w = slots_[Probe(participant, client_ref, HashOf(participant, client_ref))];
  return w == 0 ? 0 : entries_[static_cast<uint32_t>(w) - 1].sequence;
}

}  // namespace market::matcher::internal
