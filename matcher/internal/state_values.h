// The engine's entities as the plain values of EngineSnapshot, one entity at a
// time. Engine::Snapshot (snapshot.cc) builds the whole state from these and
// the per-entity lookups (engine_lookup.cc) answer one entity with them, so a
// stored current-state record written after a group and one written from a
// snapshot are the same value.
#pragma once

#include <cstdint>

#include "matcher/command.h"
#include "matcher/internal/contracts.h"
#include "matcher/internal/order_book.h"
#include "matcher/internal/reference_data.h"
#include "matcher/snapshot.h"

namespace market::matcher::internal {

DefineRole RoleValue(const ReferenceData& ref, RoleId id);
DefineLocation LocationValue(const ReferenceData& ref, LocationId id);
UpsertParticipant ParticipantValue(const ReferenceData& ref, ParticipantId id);
// The contract with its card in canonical (role, seniority, country) order.
EngineSnapshot::Contract ContractValue(const ReferenceData& ref, const Contract& contract);
EngineSnapshot::OpenRequest OpenRequestValue(const ReferenceData& ref, uint64_t id,
                                             const RestingRequest& r);
EngineSnapshot::OpenOffer OpenOfferValue(const ReferenceData& ref, uint64_t id,
                                         const RestingOffer& f);
// The same values written over *out, reusing its strings' and lists' memory.
void FillOpenRequest(const ReferenceData& ref, uint64_t id, const RestingRequest& r,
                     EngineSnapshot::OpenRequest* out);
void FillOpenOffer(const ReferenceData& ref, uint64_t id, const RestingOffer& f,
                   EngineSnapshot::OpenOffer* out);
EngineSnapshot::ClosedOrder ClosedOrderValue(const ReferenceData& ref, uint64_t id,
                                             const OrderRef& order);

}  // namespace market::matcher::internal
