// Reference data of the market: roles, locations (region > country > hub),
// participants and interned tags, each code mapped to a dense 32-bit id.
//
// Ids are never reused and codes never deleted, so a string_view returned by
// a *_code() accessor stays valid for the life of the table (codes live in
// deques, which never move their elements).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "matcher/command.h"
#include "matcher/internal/interner.h"
#include "matcher/internal/text.h"

namespace market::matcher::internal {

using RoleId = uint32_t;
using LocationId = uint32_t;
using ParticipantId = uint32_t;
using TagId = uint32_t;
inline constexpr uint32_t kNoId = UINT32_MAX;

struct Role {
  std::string name;
  std::string family;
};

struct Location {
  LocationKind kind;
  LocationId parent;                 // kNoId for a region
  std::vector<LocationId> children;  // countries of a region, hubs of a country
};

struct Participant {
  ParticipantKind kind;
  std::string name;
};

class ReferenceData {
 public:
  // Roles.
  RoleId FindRole(std::string_view code) const { return role_codes_.Find(code); }
  void PrefetchRole(std::string_view code) const { role_codes_.Prefetch(code); }
  std::string_view role_code(RoleId id) const { return role_codes_.Get(id); }
  const Role& role(RoleId id) const { return roles_[id]; }
  size_t role_count() const { return roles_.size(); }
  void DefineRole(std::string_view code, std::string_view name, std::string_view family);

  // Locations.
  LocationId FindLocation(std::string_view code) const { return location_codes_.Find(code); }
  void PrefetchLocation(std::string_view code) const { location_codes_.Prefetch(code); }
  std::string_view location_code(LocationId id) const { return location_codes_.Get(id); }
  const Location& location(LocationId id) const { return locations_[id]; }
  size_t location_count() const { return locations_.size(); }
  // Defines or re-parents a location; the caller has validated kind and parent.
  void DefineLocation(LocationKind kind, std::string_view code, LocationId parent);
  // The region of a country (kNoId when the id is not a country).
  LocationId RegionOf(LocationId country) const { return locations_[country].parent; }

  // Participants.
  ParticipantId FindParticipant(std::string_view id) const { return participant_ids_.Find(id); }
  void PrefetchParticipant(std::string_view id) const { participant_ids_.Prefetch(id); }
  std::string_view participant_id(ParticipantId id) const { return participant_ids_.Get(id); }
  const Participant& participant(ParticipantId id) const { return participants_[id]; }
  size_t participant_count() const { return participants_.size(); }
  void UpsertParticipant(std::string_view id, ParticipantKind kind, std::string_view name);
  bool IsKind(ParticipantId id, ParticipantKind kind) const {
    return id != kNoId && participants_[id].kind == kind;
  }

  // Tags of resting orders (interned on first use; not reference data proper).
  TagId FindTag(std::string_view tag) const { return tags_.Find(tag); }
  void PrefetchTag(std::string_view tag) const { tags_.Prefetch(tag); }
  TagId InternTag(std::string_view tag) { return tags_.Intern(tag); }
  std::string_view tag(TagId id) const { return tags_.Get(id); }

 private:
  Interner role_codes_;
  std::vector<Role> roles_;
  Interner location_codes_;
  std::vector<Location> locations_;
  Interner participant_ids_;
  std::vector<Participant> participants_;
  Interner tags_;
};

}  // namespace market::matcher::internal
