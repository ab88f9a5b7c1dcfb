import type { FaultRule } from './faults.ts';
import type { describeWorld } from './routes/admin.ts';

export type SimulatorWorld = ReturnType<typeof describeWorld>;

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  status: number;
  fault: string | undefined;
}

/** The simulator's admin endpoints over HTTP, for tests, the demo, and a simulator in another process. */
export interface SimulatorAdmin {
  world(): Promise<SimulatorWorld>;
  addCourse(
    programId: string,
    course: {
      name: string;
      contentType?: 'Course' | 'Specialization';
      description?: string;
      items?: unknown[];
    },
  ): Promise<{ id: string; slug: string; items: { id: string }[] }>;
  addItem(
    contentId: string,
    item: {
      name: string;
      itemType?: string;
      gradingWeight?: number;
      passingThreshold?: number | null;
      maxScore?: number | null;
      isGraded?: boolean;
      moduleName?: string;
    },
  ): Promise<{ id: string; order: number }>;
  setResult(result: {
    programId: string;
    externalId: string;
    contentId?: string;
    itemId?: string;
    score?: number;
    overallProgress?: number;
    grade?: number;
    isCompleted?: boolean;
    at?: number;
  }): Promise<unknown>;
  addLearner(
    programId: string,
    learner: { externalId: string; email: string; fullName: string },
  ): Promise<{ outcome: string }>;
  removeLearner(programId: string, externalId: string): Promise<{ removed: boolean }>;
  setSeats(programId: string, seats: number): Promise<{ seats: number; usedSeats: number }>;
  addFaults(rules: FaultRule[]): Promise<void>;
  clearFaults(): Promise<void>;
  requests(): Promise<RecordedRequest[]>;
  clearRequests(): Promise<void>;
  advanceClock(ms: number): Promise<{ now: number }>;
  revokeConsent(): Promise<{ revoked: number }>;
  /** Modelled webhooks: push result changes to `url`, signed with `secret`. */
  setWebhook(url: string, secret: string): Promise<void>;
  /** The pushes so far, once those in flight have settled. */
  webhookDeliveries(): Promise<
    { eventId: string; type: string; status: number | undefined; error: string | undefined }[]
  >;
  /**
   * Answers a consent request as the Coursera administrator would on the consent page (for the first organization
   * unless told), and returns the redirect back to the application, with its code or error.
   */
  approveConsent(
    authorizationUrl: URL | string,
    options?: { decision?: 'allow' | 'deny'; organizationId?: string },
  ): Promise<string>;
}

export function createSimulatorAdmin(
  simulatorUrl: string,
  options: { fetch?: typeof fetch; adminToken?: string } = {},
): SimulatorAdmin {
  const send = options.fetch ?? globalThis.fetch;
  const call = async <Result>(method: string, path: string, body?: unknown): Promise<Result> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.adminToken !== undefined) headers.authorization = `Bearer ${options.adminToken}`;
    const response = await send(new URL(`/__admin${path}`, simulatorUrl), {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok && !(method === 'DELETE' && response.status === 404) && response.status !== 409) {
      throw new Error(`simulator admin ${method} ${path} answered ${response.status}: ${text}`);
    }
    return (text === '' ? undefined : JSON.parse(text)) as Result;
  };
  const path = (...segments: string[]) => segments.map(encodeURIComponent).join('/');
  return {
    world: () => call('GET', '/world'),
    addCourse: (programId, course) => call('POST', `/programs/${path(programId)}/contents`, course),
    addItem: (contentId, item) => call('POST', `/contents/${path(contentId)}/items`, item),
    setResult: (result) => call('PUT', '/results', result),
    addLearner: (programId, learner) => call('POST', `/programs/${path(programId)}/learners`, learner),
    removeLearner: (programId, externalId) =>
      call('DELETE', `/programs/${path(programId)}/learners/${path(externalId)}`),
    setSeats: (programId, seats) => call('PUT', `/programs/${path(programId)}/seats`, { seats }),
    addFaults: (rules) => call('POST', '/faults', { rules }),
    clearFaults: () => call('DELETE', '/faults'),
    requests: async () => (await call<{ requests: RecordedRequest[] }>('GET', '/requests')).requests,
    clearRequests: () => call('DELETE', '/requests'),
    advanceClock: (ms) => call('POST', '/clock', { advanceMs: ms }),
    revokeConsent: () => call('POST', '/consent/revoke'),
    setWebhook: (url, secret) => call('PUT', '/webhook', { url, secret }),
    webhookDeliveries: async () =>
      (
        await call<{ deliveries: Awaited<ReturnType<SimulatorAdmin['webhookDeliveries']>> }>(
          'GET',
          '/webhook/deliveries',
        )
      ).deliveries,
    async approveConsent(authorizationUrl, consentOptions = {}) {
      const organizationId =
        consentOptions.organizationId ?? (await call<SimulatorWorld>('GET', '/world')).organizations[0]!.id;
      const form = new URLSearchParams(new URL(authorizationUrl).searchParams);
      form.set('organizationId', organizationId);
      form.set('decision', consentOptions.decision ?? 'allow');
      const response = await send(new URL('/oauth2/v1/auth', simulatorUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
        redirect: 'manual',
      });
      await response.arrayBuffer();
      const location = response.headers.get('location');
      if (location === null)
        throw new Error(`the consent page answered ${response.status} without a redirect`);
      return location;
    },
  };
}
