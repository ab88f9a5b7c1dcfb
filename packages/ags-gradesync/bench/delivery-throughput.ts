/**
 * Delivery throughput benchmark (issue: grade sync engine): the engine delivers scores over HTTP to the @passport/lti13
 * platform, running in its own process, which answers every service call after 50 ms and throttles score posts at N per second (429 with
 * Retry-After beyond a burst of 5, as an LMS does). The engine is configured with the LMS's limit N. Reports the
 * achieved throughput as a ratio of N (target ≥ 0.9) and how many 429s the LMS had to send (target: no storm).
 *
 *   node --conditions=@passport/source bench/delivery-throughput.ts [--rates 20,50,100] [--seconds 8]
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { systemClock } from '@passport/core';
import {
  createLtiServices,
  KeyRing,
  MemoryAccessTokenStore,
  MemoryKeyStore,
  type PlatformRegistration,
  type StoredKey,
} from '@passport/lti13';
import { createLtiGradebook } from '../src/adapters/lti13/lti-gradebook.ts';
import { createMemoryAuditLog } from '../src/adapters/memory/memory-audit-log.ts';
import { createMemoryDeadLetters } from '../src/adapters/memory/memory-dead-letters.ts';
import { createMemoryGradeOutbox } from '../src/adapters/memory/memory-grade-outbox.ts';
import { createMemoryLearnerLinks } from '../src/adapters/memory/memory-learner-links.ts';
import { createMemoryResultsSource } from '../src/adapters/memory/memory-results-source.ts';
import { createMemorySyncState } from '../src/adapters/memory/memory-sync-state.ts';
import { createGradeSync } from '../src/engine/create-grade-sync.ts';
import { courseServicesAt } from '../test/support/lti-platform.ts';

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const rates = argument('rates', '20,50,100').split(',').map(Number);
const seconds = Number(argument('seconds', '8'));
const latencyMs = 50;

/** Starts the LMS in its own process and connects the tool's AGS/NRPS clients to it. */
async function startLms(ratePerSecond: number, learners: number) {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--conditions=@passport/source',
      fileURLToPath(new URL('./lms-process.ts', import.meta.url)),
      String(ratePerSecond),
      String(latencyMs),
      String(learners),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const hello = JSON.parse((await lines.next()).value as string) as {
    origin: string;
    registration: PlatformRegistration;
    toolKeys: Array<StoredKey & { createdAt: string }>;
  };
  const keys = new MemoryKeyStore();
  for (const key of hello.toolKeys) await keys.save({ ...key, createdAt: new Date(key.createdAt) });
  const services = createLtiServices({
    keyRing: new KeyRing({ store: keys, clock: systemClock }),
    accessTokens: new MemoryAccessTokenStore(),
  });
  const adapter = createLtiGradebook({
    services,
    resolve: async (target) => courseServicesAt(hello.origin, hello.registration, target.contextId),
  });
  return {
    adapter,
    async report() {
      child.stdin!.write('report\n');
      const answer = JSON.parse((await lines.next()).value as string) as {
        stored: number;
        throttled: number;
      };
      await once(child, 'exit');
      return answer;
    },
  };
}

async function measure(ratePerSecond: number) {
  const count = ratePerSecond * seconds;
  const lms = await startLms(ratePerSecond, count);
  const source = createMemoryResultsSource({ platform: 'coursera', pageSize: 1000 });
  const outbox = createMemoryGradeOutbox();
  // Enough in flight to cover the latency at the rate, with room to spare.
  const concurrency = Math.ceil((ratePerSecond * latencyMs * 2) / 1000) + 2;
  const engine = createGradeSync({
    gradebook: lms.adapter,
    roster: lms.adapter,
    source,
    outbox,
    state: createMemorySyncState(),
    deadLetters: createMemoryDeadLetters(),
    audit: createMemoryAuditLog(),
    learnerLinks: createMemoryLearnerLinks(),
    delivery: { ratePerSecond, concurrency, drainBudgetMs: 600_000 },
  });
  const binding = {
    id: 'binding-1',
    tenantId: 'tenant-1',
    lmsId: 'lms-1',
    contextId: 'course-1',
    platform: 'coursera',
    programId: 'program-1',
    courseId: 'course-1',
  };
  await engine.bind(binding);
  for (let index = 0; index < count; index++)
    source.setResult('program-1', {
      learnerExternalId: `learner${index}@school.example`,
      email: `learner${index}@school.example`,
      courseId: 'course-1',
      grade: { kind: 'fraction', value: (index % 100) / 100 },
      completedAt: new Date(Date.UTC(2025, 2, 1, 9, 0, 0, index)),
      updatedAt: new Date(Date.UTC(2025, 2, 1, 9, 0, 0, index)),
    });
  await engine.sync(binding.id);
  const started = performance.now();
  let delivered = 0;
  for (;;) {
    const report = await engine.drain(binding.lmsId);
    delivered += report.delivered;
    const next = report.nextDueAt;
    if (next === undefined) break;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next.getTime() - Date.now())));
  }
  const elapsed = (performance.now() - started) / 1000;
  const { stored, throttled } = await lms.report();
  return {
    ratePerSecond,
    count,
    delivered,
    stored,
    elapsed,
    achieved: delivered / elapsed,
    throttled,
    concurrency,
  };
}

console.log(`LMS latency ${latencyMs} ms per call; the LMS throttles score posts at the rate (burst 5).`);
let failed = false;
for (const rate of rates) {
  const result = await measure(rate);
  const ratio = result.achieved / rate;
  failed ||= ratio < 0.9 || result.delivered !== result.count || result.stored !== result.count;
  console.log(
    `limit ${String(rate).padStart(4)}/s: ${result.delivered}/${result.count} scores in ${result.elapsed.toFixed(2)} s = ${result.achieved.toFixed(1)}/s, ratio ${ratio.toFixed(3)} (target ≥ 0.9: ${ratio >= 0.9 ? 'met' : 'NOT met'}); 429s from the LMS: ${result.throttled}; concurrency ${result.concurrency}`,
  );
}
if (failed) process.exitCode = 1;
