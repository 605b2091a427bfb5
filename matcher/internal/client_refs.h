// The idempotency keys: for each (participant, client_ref) ever accepted,
// the sequence of the command that first used it.
//
// Keys are kept once, in append order, in chunked storage that never moves
// (so growing it never copies it). The hash index holds one 8-byte word a
// key: 32 bits of the key's hash and the key's entry number. A probe for a
// new key touches the index alone; an entry is read only when those 32 hash
// bits agree, that is, almost only for a true duplicate. Rehashing reads no
// entry either. So the table every accepted command probes is about 9 bytes
// a key instead of the ~45 of a map of strings, and stays in cache far
// longer.
//
// Invariants: entries are never removed; the index holds each entry once.
// At most 2^32 keys (an index word has 32 bits for the entry number).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "matcher/internal/reference_data.h"

namespace market::matcher::internal {

class ClientRefs {
 public:
  ClientRefs();
  ClientRefs(const ClientRefs&) = delete;  // the index's functors point here
  ClientRefs& operator=(const ClientRefs&) = delete;

  // The sequence that first used the key; 0 (none) after recording
  // `sequence` (> 0) for it.
  uint64_t FindOrAdd(ParticipantId participant, std::string_view client_ref, uint64_t sequence);
  // The sequence that first used the key, or 0.
  uint64_t Find(ParticipantId participant, std::string_view client_ref) const;
  // Starts loading the index slot of the key (a hint; no effect).
  void Prefetch(ParticipantId participant, std::string_view client_ref) const;
  void Reserve(size_t keys) { index_.reserve(keys); }
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
  // A key being looked up, with its hash.
  struct Probe {
    ParticipantId participant;
    std::string_view text;
    uint64_t hash;
  };
  // An index word: the upper 32 bits of the key's hash, then its entry number.
  static uint64_t Word(uint64_t hash, uint32_t entry) { return (hash & ~0xffffffffULL) | entry; }
  static uint64_t HashOf(ParticipantId participant, std::string_view text);
  // The hash absl sees: a bijective mix of the 32 stored bits, so that both
  // its bucket and its control bits come from all of them.
  static size_t Mixed(uint64_t upper) {
    uint64_t x = upper >> 32;
    x ^= x >> 16;
    x *= 0x45d9f3b3335b369ULL;
    x ^= x >> 29;
    return static_cast<size_t>(x);
  }

  struct Hash {
    using is_transparent = void;
    size_t operator()(uint64_t word) const { return Mixed(word); }
    size_t operator()(const Probe& p) const { return Mixed(p.hash); }
  };
  struct Eq {
    using is_transparent = void;
    const ClientRefs* owner;
    bool operator()(uint64_t a, uint64_t b) const { return a == b; }
    bool operator()(uint64_t word, const Probe& p) const { return owner->Matches(word, p); }
    bool operator()(const Probe& p, uint64_t word) const { return owner->Matches(word, p); }
  };
  bool Matches(uint64_t word, const Probe& p) const;
  const char* Store(std::string_view text);

  std::deque<Entry> entries_;  // chunked: growing never copies it
  std::vector<std::unique_ptr<char[]>> text_blocks_;
  size_t block_used_ = 0;
  size_t block_size_ = 0;
  absl::flat_hash_set<uint64_t, Hash, Eq> index_;
};

}  // namespace market::matcher::internal
