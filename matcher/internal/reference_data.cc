#include "matcher/internal/reference_data.h"

#include <algorithm>

namespace market::matcher::internal {

void ReferenceData::DefineRole(std::string_view code, std::string_view name,
                               std::string_view family) {
  const RoleId id = role_codes_.Intern(code);
  if (id == roles_.size()) roles_.emplace_back();
  roles_[id].name = std::string(name);
  roles_[id].family = std::string(family);
}

void ReferenceData::DefineLocation(LocationKind kind, std::string_view code, LocationId parent) {
  const LocationId id = location_codes_.Intern(code);
  if (id == locations_.size()) {
    locations_.push_back(Location{kind, kNoId, {}});
  }
  Location& loc = locations_[id];
  if (loc.parent == parent) return;
  if (loc.parent != kNoId) {
    auto& siblings = locations_[loc.parent].children;
    siblings.erase(std::remove(siblings.begin(), siblings.end(), id), siblings.end());
  }
  loc.parent = parent;
  if (parent != kNoId) locations_[parent].children.push_back(id);
}

void ReferenceData::UpsertParticipant(std::string_view id, ParticipantKind kind,
                                      std::string_view name) {
  const ParticipantId pid = participant_ids_.Intern(id);
  if (pid == participants_.size()) participants_.push_back(Participant{kind, {}});
  participants_[pid].kind = kind;
  participants_[pid].name = std::string(name);
}

}  // namespace market::matcher::internal
