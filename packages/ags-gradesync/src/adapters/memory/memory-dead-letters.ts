import type { DeadLetter, DeadLetters } from '../../ports.ts';

/** Dead letters in memory. */
export function createMemoryDeadLetters(): DeadLetters {
  const letters = new Map<string, DeadLetter>();
  return {
    async add(letter) {
      if (letters.has(letter.id)) return false;
      letters.set(letter.id, letter);
      return true;
    },
    async list(filter = {}) {
      return [...letters.values()]
        .filter(
          (letter) =>
            (filter.lmsId === undefined || letter.entry.lmsId === filter.lmsId) &&
            (filter.bindingId === undefined || letter.entry.bindingId === filter.bindingId) &&
            (filter.runId === undefined || letter.entry.runId === filter.runId),
        )
        .sort((a, b) => a.failedAt.getTime() - b.failedAt.getTime() || a.id.localeCompare(b.id));
    },
    async take(id) {
      const letter = letters.get(id);
      letters.delete(id);
      return letter;
    },
  };
}
