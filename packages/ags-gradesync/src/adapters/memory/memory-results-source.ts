import type { LearningItem, LearningResult, ResultsQuery, ResultsSource } from '../../ports.ts';

export interface MemoryResultsSource extends ResultsSource {
  /** Sets (inserts or replaces) a learner's result; it is read by the next incremental read. */
  setResult(programId: string, result: LearningResult): void;
  setItems(courseId: string, items: LearningItem[]): void;
  /** Every read made, with its watermark. */
  readonly reads: ReadonlyArray<ResultsQuery>;
}

/**
 * A learning platform in memory: results with a change sequence as watermark (a read since `n` answers what
 * changed after change `n`), in pages. For unit tests and examples; the integration tests use the Coursera
 * simulator through the connector.
 */
export function createMemoryResultsSource(
  options: { platform?: string; pageSize?: number } = {},
): MemoryResultsSource {
  const pageSize = options.pageSize ?? 100;
  const results = new Map<string, { programId: string; result: LearningResult; sequence: number }>();
  const items = new Map<string, LearningItem[]>();
  const reads: ResultsQuery[] = [];
  let sequence = 0;
  return {
    platform: options.platform ?? 'memory',
    reads,
    setResult(programId, result) {
      const key = `${programId}\u0000${result.courseId}\u0000${result.itemId ?? ''}\u0000${result.learnerExternalId}`;
      results.set(key, { programId, result, sequence: ++sequence });
    },
    setItems(courseId, list) {
      items.set(courseId, list);
    },
    async *readResults(query) {
      reads.push(query);
      const since = query.since === undefined ? 0 : Number(query.since);
      const changed = [...results.values()]
        .filter(
          (stored) =>
            stored.programId === query.programId &&
            stored.sequence > since &&
            (stored.result.itemId !== undefined) === (query.level === 'item'),
        )
        .sort((a, b) => a.sequence - b.sequence);
      if (changed.length === 0) {
        yield { results: [], watermark: String(Math.max(since, 0)) };
        return;
      }
      for (let start = 0; start < changed.length; start += pageSize) {
        const page = changed.slice(start, start + pageSize);
        yield { results: page.map((stored) => stored.result), watermark: String(page.at(-1)!.sequence) };
      }
    },
    async listItems(courseId) {
      return items.get(courseId) ?? [];
    },
  };
}
