import type { LearningPlatformConnector } from '@passport/coursera-connector';
import type { GradeSync } from '../../engine/create-grade-sync.ts';
import type { RunRecord } from '../../ports.ts';
import { learningResultsOf } from './connector-results-source.ts';

/**
 * Event-driven sync: the endpoint a learning platform pushes result changes to (Coursera's webhooks, through
 * `connector.results.receivePush`). A verified push is applied at once to every course bound to it, and the
 * scheduler drains the LMS right after, so a completion reaches the gradebook within seconds, not at the next
 * periodic sync. Answers 202 with the runs, 400 for a push that does not verify, 404 when the platform cannot push.
 */
export function createResultsPushHandler(options: {
  connector: LearningPlatformConnector;
  engine: GradeSync;
  onRuns?: (runs: RunRecord[]) => void;
}): (request: Request) => Promise<Response> {
  const { connector, engine } = options;
  return async (request) => {
    if (connector.results.receivePush === undefined)
      return Response.json({ error: 'This platform does not push results.' }, { status: 404 });
    let pushed: Awaited<ReturnType<NonNullable<typeof connector.results.receivePush>>>;
    try {
      pushed = await connector.results.receivePush(request);
    } catch (error) {
      return Response.json(
        { error: error instanceof Error ? error.message : 'The push does not verify.' },
        { status: 400 },
      );
    }
    const byProgram = new Map<string, typeof pushed>();
    for (const result of pushed)
      byProgram.set(result.programId, [...(byProgram.get(result.programId) ?? []), result]);
    const runs: RunRecord[] = [];
    for (const [programId, results] of byProgram)
      runs.push(...(await engine.receiveResults(programId, learningResultsOf(results))));
    options.onRuns?.(runs);
    return Response.json(
      { runs: runs.map((run) => ({ id: run.id, queued: run.statistics.queued })) },
      { status: 202 },
    );
  };
}
