import type { GradableItem, LearnerResult, LearningPlatformConnector } from '@passport/coursera-connector';
import type { LearningItem, LearningResult, ResultsSource } from '../../ports.ts';

export interface ConnectorResultsSourceOptions {
  /**
   * Which items are pass/fail (sent as the full score or zero when the engine's `passFailItems` is `marked`).
   * Default: items without points that have a passing threshold.
   */
  readonly isPassFail?: (item: GradableItem) => boolean;
}

const defaultPassFail = (item: GradableItem) =>
  item.maximumPoints === undefined && item.passingThreshold !== undefined;

function toResult(result: LearnerResult, email: string | undefined): LearningResult {
  return {
    learnerExternalId: result.learnerExternalId,
    ...(email === undefined ? {} : { email }),
    courseId: result.courseId,
    ...(result.itemId === undefined ? {} : { itemId: result.itemId }),
    ...(result.progress === undefined ? {} : { progress: result.progress }),
    ...(result.grade === undefined ? {} : { grade: result.grade }),
    ...(result.passed === undefined ? {} : { passed: result.passed }),
    ...(result.completedAt === undefined ? {} : { completedAt: result.completedAt }),
    updatedAt: result.updatedAt,
    ...(result.badge === undefined ? {} : { badge: result.badge }),
  };
}

/**
 * The engine's `ResultsSource` over a @passport/coursera-connector connector (Coursera, Skills Boost, or any
 * `LearningPlatformConnector`). Item results carry no email on Coursera: the program's membership list supplies it,
 * read once per read and only when needed, so learners can be matched by email without SSO.
 */
export function createConnectorResultsSource(
  connector: LearningPlatformConnector,
  options: ConnectorResultsSourceOptions = {},
): ResultsSource {
  const isPassFail = options.isPassFail ?? defaultPassFail;
  const membershipEmails = async (programId: string) => {
    const emails = new Map<string, string>();
    if (!connector.capabilities.manageMembership) return emails;
    try {
      for await (const member of connector.learners.listMembers(programId))
        if (member.email !== undefined) emails.set(member.externalId, member.email);
    } catch {
      // No membership list: learners are matched by external id (and account links) only.
    }
    return emails;
  };
  return {
    platform: connector.platform,
    async *readResults(query) {
      let emails: Map<string, string> | undefined;
      for await (const page of connector.results.read({
        programId: query.programId,
        level: query.level,
        ...(query.since === undefined ? {} : { since: query.since }),
      })) {
        const results: LearningResult[] = [];
        for (const result of page.results) {
          if (result.courseId !== query.courseId) continue;
          let email = result.email;
          if (email === undefined) {
            emails ??= await membershipEmails(query.programId);
            email = emails.get(result.learnerExternalId);
          }
          results.push(toResult(result, email));
        }
        yield { results, watermark: page.watermark };
      }
    },
    async listItems(courseId) {
      return (await connector.catalog.listItems(courseId)).map(
        (item): LearningItem => ({
          id: item.id,
          courseId: item.courseId,
          title: item.title,
          ...(item.maximumPoints === undefined ? {} : { maximumPoints: item.maximumPoints }),
          ...(item.passingThreshold === undefined ? {} : { passingThreshold: item.passingThreshold }),
          gradingType: isPassFail(item) ? 'pass-fail' : 'points',
          order: item.order,
        }),
      );
    },
  };
}

/** Results a platform pushed (`connector.results.receivePush`), as the engine's results for `receiveResults`. */
export function learningResultsOf(results: readonly LearnerResult[]): LearningResult[] {
  return results.map((result) => toResult(result, result.email));
}
