import type { CourseBinding, LineItemSlot, SentScore, SyncMode, SyncState } from '../../ports.ts';

/** Sync state in memory (tests, a single process, the diff benchmark). */
export function createMemorySyncState(): SyncState {
  const sent = new Map<string, Map<string, SentScore>>();
  const watermarks = new Map<string, string>();
  const bindings = new Map<string, CourseBinding>();
  const modes = new Map<string, SyncMode>();
  const slots = new Map<string, Map<string, LineItemSlot>>();
  const leases = new Map<string, { owner: string; until: number }>();

  return {
    async sentScores(lineItemIds) {
      const answer = new Map<string, Map<string, SentScore>>();
      for (const lineItemId of lineItemIds) answer.set(lineItemId, new Map(sent.get(lineItemId) ?? []));
      return answer;
    },
    async sentScore(lineItemId, userId) {
      return sent.get(lineItemId)?.get(userId);
    },
    async recordSent(score) {
      let users = sent.get(score.lineItemId);
      if (users === undefined) {
        users = new Map();
        sent.set(score.lineItemId, users);
      }
      const existing = users.get(score.userId);
      if (existing !== undefined && existing.sourceUpdatedAt > score.sourceUpdatedAt) return;
      users.set(score.userId, score);
    },
    async forgetLineItem(lineItemId) {
      const count = sent.get(lineItemId)?.size ?? 0;
      sent.delete(lineItemId);
      return count;
    },

    async getWatermark(key) {
      return watermarks.get(key);
    },
    async setWatermark(key, value) {
      watermarks.set(key, value);
    },
    async clearWatermarks(prefix) {
      let count = 0;
      for (const key of [...watermarks.keys()])
        if (key.startsWith(prefix)) {
          watermarks.delete(key);
          count++;
        }
      return count;
    },

    async saveBinding(binding) {
      bindings.set(binding.id, binding);
    },
    async getBinding(id) {
      return bindings.get(id);
    },
    async listBindings(filter = {}) {
      return [...bindings.values()]
        .filter(
          (binding) =>
            (filter.tenantId === undefined || binding.tenantId === filter.tenantId) &&
            (filter.lmsId === undefined || binding.lmsId === filter.lmsId),
        )
        .sort((a, b) => a.id.localeCompare(b.id));
    },

    async getMode(lmsId) {
      return modes.get(lmsId);
    },
    async setMode(lmsId, mode) {
      modes.set(lmsId, mode);
    },

    async lineItemSlots(bindingId) {
      return [...(slots.get(bindingId)?.values() ?? [])].sort((a, b) => a.slot.localeCompare(b.slot));
    },
    async saveLineItemSlot(slot) {
      let bySlot = slots.get(slot.bindingId);
      if (bySlot === undefined) {
        bySlot = new Map();
        slots.set(slot.bindingId, bySlot);
      }
      bySlot.set(slot.slot, slot);
    },
    async removeLineItemSlot(bindingId, slot) {
      return slots.get(bindingId)?.delete(slot) ?? false;
    },

    async acquireLease(key, owner, until, now) {
      const lease = leases.get(key);
      if (lease !== undefined && lease.owner !== owner && lease.until > now.getTime()) return false;
      leases.set(key, { owner, until: until.getTime() });
      return true;
    },
    async releaseLease(key, owner) {
      if (leases.get(key)?.owner === owner) leases.delete(key);
    },
  };
}
