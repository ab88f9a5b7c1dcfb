import { z } from 'zod';

/**
 * Faults a test or a demo injects. A rule matches requests by method and path (a substring of the path after the
 * organization, or of the whole path), lets `skip` matching requests through, then affects the next `times` ones
 * (`times: 0` means every one). Rules are checked in order; the first that applies wins. Counting, not chance: the
 * same calls meet the same faults.
 */
export const faultRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('latency'), ms: z.number().int().min(0).max(120_000) }),
  z.object({
    kind: z.literal('rate-limit'),
    retryAfterSeconds: z.number().int().min(0).default(1),
    /** Send `Retry-After` as an HTTP date instead of seconds. */
    asHttpDate: z.boolean().default(false),
    /** Send no `Retry-After` at all. */
    omitRetryAfter: z.boolean().default(false),
  }),
  z.object({ kind: z.literal('server-error'), status: z.number().int().min(500).max(599).default(503) }),
  /** Holds the answer for `ms` (default 60 s) or until the client gives up. */
  z.object({ kind: z.literal('timeout'), ms: z.number().int().min(0).max(600_000).default(60_000) }),
  /** Sends the headers, then breaks the connection mid-body. */
  z.object({ kind: z.literal('drop-connection') }),
  /** A collection page with no elements whose `next` repeats the same `start`. */
  z.object({ kind: z.literal('empty-page') }),
  /** Inserts a new element at the front of the collection being listed before answering, so `total` changes. */
  z.object({ kind: z.literal('total-change') }),
]);

const matchSchema = z.object({
  method: z.string().toUpperCase().optional(),
  path: z.string().optional(),
  skip: z.number().int().min(0).default(0),
  times: z.number().int().min(0).default(1),
});

export const faultSchema = z.intersection(faultRuleSchema, matchSchema);

export type FaultRule = z.input<typeof faultSchema>;
export type ActiveFault = z.output<typeof faultRuleSchema>;

interface ArmedRule {
  rule: z.output<typeof faultSchema>;
  seen: number;
  applied: number;
}

export interface FaultPlan {
  add(rules: FaultRule[]): void;
  clear(): void;
  /** The fault for this request, if a rule applies (and counts it). */
  take(method: string, path: string): ActiveFault | undefined;
  list(): { rule: FaultRule; seen: number; applied: number }[];
}

export function createFaultPlan(): FaultPlan {
  let rules: ArmedRule[] = [];
  return {
    add(input) {
      for (const rule of input) rules.push({ rule: faultSchema.parse(rule), seen: 0, applied: 0 });
    },
    clear() {
      rules = [];
    },
    take(method, path) {
      for (const armed of rules) {
        const { rule } = armed;
        if (rule.method !== undefined && rule.method !== method) continue;
        if (rule.path !== undefined && !path.includes(rule.path)) continue;
        if (rule.times !== 0 && armed.applied >= rule.times) continue;
        armed.seen++;
        if (armed.seen <= rule.skip) continue;
        armed.applied++;
        const { method: _method, path: _path, skip: _skip, times: _times, ...fault } = rule;
        return fault as ActiveFault;
      }
      return undefined;
    },
    list: () => rules.map(({ rule, seen, applied }) => ({ rule, seen, applied })),
  };
}
