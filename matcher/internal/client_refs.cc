#include "matcher/internal/client_refs.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace market::matcher::internal {
namespace {

constexpr size_t kTextBlock = 64 * 1024;

}  // namespace

ClientRefs::ClientRefs() : index_(0, Hash{}, Eq{this}) {}

uint64_t ClientRefs::HashOf(ParticipantId participant, std::string_view text) {
  return absl::Hash<std::pair<uint32_t, absl::string_view>>{}(
      std::pair<uint32_t, absl::string_view>(participant, {text.data(), text.size()}));
}

bool ClientRefs::Matches(uint64_t word, const Probe& p) const {
  if ((word >> 32) != (p.hash >> 32)) return false;
  const Entry& e = entries_[static_cast<uint32_t>(word)];
  return e.participant == p.participant && std::string_view(e.text, e.size) == p.text;
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
  const Probe probe{participant, client_ref, HashOf(participant, client_ref)};
  auto it = index_.find(probe);
  if (it != index_.end()) return entries_[static_cast<uint32_t>(*it)].sequence;
  const auto entry = static_cast<uint32_t>(entries_.size());
  entries_.push_back(
      Entry{sequence, Store(client_ref), static_cast<uint32_t>(client_ref.size()), participant});
  index_.insert(Word(probe.hash, entry));
  return 0;
}

uint64_t ClientRefs::Find(ParticipantId participant, std::string_view client_ref) const {
  auto it = index_.find(Probe{participant, client_ref, HashOf(participant, client_ref)});
  return it == index_.end() ? 0 : entries_[static_cast<uint32_t>(*it)].sequence;
}

void ClientRefs::Prefetch(ParticipantId participant, std::string_view client_ref) const {
  index_.prefetch(Probe{participant, client_ref, HashOf(participant, client_ref)});
}

}  // namespace market::matcher::internal
