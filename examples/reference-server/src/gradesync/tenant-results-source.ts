import { createConnectorResultsSource, type ResultsSource, type SyncState } from '@passport/ags-gradesync';
import { ConnectorError } from '@passport/coursera-connector';
import type { LearningService } from '../learning/learning-service.ts';

/**
 * One `ResultsSource` for the engine over every district's Coursera connection: a read is routed to the connector
 * of the tenant whose course binding names the program (or the course, for the catalog), so one engine serves all
 * districts and each district's results come only through its own credentials.
 */
export function createTenantResultsSource(options: {
  learning: LearningService;
  state: SyncState;
}): ResultsSource {
  const tenantOf = async (match: { programId?: string; courseId?: string }) => {
    const bindings = await options.state.listBindings();
    const binding = bindings.find(
      (candidate) =>
        (match.programId === undefined || candidate.programId === match.programId) &&
        (match.courseId === undefined || candidate.courseId === match.courseId),
    );
    if (binding === undefined) {
      throw new ConnectorError(
        'CONNECTOR_NOT_FOUND',
        `No course is bound to Coursera ${match.programId === undefined ? 'course' : 'program'} ${
          match.programId ?? match.courseId
        }.`,
      );
    }
    return binding.tenantId;
  };
  const sourceOf = async (tenantId: string) =>
    createConnectorResultsSource(await options.learning.connectorFor(tenantId));
  return {
    platform: 'coursera',
    async *readResults(query) {
      const source = await sourceOf(await tenantOf({ programId: query.programId, courseId: query.courseId }));
      yield* source.readResults(query);
    },
    async listItems(courseId) {
      return await (await sourceOf(await tenantOf({ courseId }))).listItems(courseId);
    },
  };
}
