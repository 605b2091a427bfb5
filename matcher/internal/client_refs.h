// The idempotency keys: for each (participant, client_ref) ever accepted,
// the sequence of the command that first used it.
//
// Keys are kept once, in append order, in chunked storage that never moves
// (so growing it never copies it). The index is an open-addressing table of
// 8-byte words, linear probing: 32 bits of the key's hash and the key's entry
// number + 1 (0 marks an empty slot). A probe for a new key touches the index
// alone, one cache line or the next too, which Prefetch loads ahead; an entry is
// read only when those 32 hash bits agree, that is, almost only for a true
// duplicate. Rehashing reads no entry either.
//
// Invariants: entries are never removed; the index holds each entry once and
// is at most two-thirds full. At most 2^32 - 1 keys.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string_view>
#include <vector>

#include "matcher/internal/cache_hint.h"
#include "matcher/internal/reference_data.h"

namespace market::matcher::internal {

class ClientRefs {
 public:
  ClientRefs() = default;
  ClientRefs(const ClientRefs&) = delete;  // entries point into text_blocks_
  ClientRefs& operator=(const ClientRefs&) = delete;

  // The sequence that first used the key; 0 (none) after recording
  // `sequence` (> 0) for it.
  uint64_t FindOrAdd(ParticipantId participant, std::string_view client_ref, uint64_t sequence);
  // The sequence that first used the key, or 0.
  uint64_t Find(ParticipantId participant, std::string_view client_ref) const;
  // Starts loading the index where a probe for the key begins (a hint): the
  // home slot's line and the line four slots on, which is the next line
  // when the home slot is in the second half of its own, where a probe
  // reading a few slots on crosses into it.
  void Prefetch(ParticipantId participant, std::string_view client_ref) const {
    if (slots_.empty()) return;
    const size_t home = Home(HashOf(participant, client_ref));
    LoadHint(&slots_[home]);
    LoadHint(&slots_[(home + 4) & (slots_.size() - 1)]);
  }
  // Sizes the index for `keys` keys, so that growing to them never rehashes.
  void Reserve(size_t keys);
  size_t size() const { return entries_.size(); }

  // Calls f(participant, client_ref, sequence) for every key, in the order
  // they were added.
  template <typename F>
  void ForEach(F&& f) const {
    for (const Entry& e : entries_) f(e.participant, std::string_view(e.text, e.size), e.sequence);
  }

 private:
  struct Entry {
    uint64_t sequence;
    const char* text;  // in text_blocks_
    uint32_t size;
    ParticipantId participant;
  };
  static uint64_t HashOf(ParticipantId participant, std::string_view text);
  // A slot word: the upper 32 bits of the key's hash, then entry number + 1.
  static uint64_t Word(uint64_t hash, uint32_t entry) {
    return (hash & ~0xffffffffULL) | (uint64_t{entry} + 1);
  }
  // The first slot to probe for a hash (or a word: the same upper bits): the
  // top bits of a mix of them. Taking the top bits keeps slots in hash order,
  // so that doubling the table moves the words in one sequential pass
  // instead of a cache miss each.
  size_t Home(uint64_t hash) const {
    uint64_t x = hash >> 32;
    x ^= x >> 16;
    x *= 0x45d9f3b3335b369ULL;
    x ^= x >> 29;
    return static_cast<size_t>(x >> shift_);
  }
  // The slot holding the key, or the empty slot where it would go.
  size_t Probe(ParticipantId participant, std::string_view text, uint64_t hash) const;
  void Rehash(size_t slots);
  const char* Store(std::string_view text);

  std::deque<Entry> entries_;  // chunked: growing never copies it
  std::vector<std::unique_ptr<char[]>> text_blocks_;
  size_t block_used_ = 0;
  size_t block_size_ = 0;
  std::vector<uint64_t> slots_;  // power-of-two size, or empty
  unsigned shift_ = 63;          // 64 - log2(slots_.size())
};

}  // namespace market::matcher::internal
