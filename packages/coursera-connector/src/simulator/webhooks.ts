// NOT PUBLIC — MODELLED. The simulator's side of src/coursera/not-public/webhooks.ts: it pushes each result change
// to the registered URL, signed with the registered secret.
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '../coursera/not-public/webhooks.ts';
import type { SimulatorContext } from './context.ts';
import { enrollmentReportView } from './routes/business-api.ts';
import { itemGradeView } from './routes/not-public-api.ts';
import type { ResultChange } from './state.ts';

export interface WebhookDelivery {
  eventId: string;
  type: ResultChange['type'];
  status: number | undefined;
  error: string | undefined;
}

/** Starts pushing result changes; returns a function that waits for deliveries in flight. */
export function startWebhookPushes(context: SimulatorContext): () => Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let count = 0;
  context.state.resultListeners.push((change) => {
    const webhook = context.webhook;
    if (webhook === undefined) return;
    const { state } = context;
    const programId =
      change.type === 'itemGrade.updated' ? change.grade.programId : change.enrollment.programId;
    const organizationId = state.programs.get(programId)?.organizationId ?? '';
    const event = {
      eventId: `evt-${++count}`,
      type: change.type,
      occurredAt: state.now(),
      organizationId,
      data:
        change.type === 'itemGrade.updated'
          ? itemGradeView(change.grade)
          : enrollmentReportView(change.enrollment, state),
    };
    const body = JSON.stringify(event);
    const delivery: WebhookDelivery = {
      eventId: event.eventId,
      type: change.type,
      status: undefined,
      error: undefined,
    };
    context.webhookDeliveries.push(delivery);
    const sending = fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [WEBHOOK_SIGNATURE_HEADER]: signWebhook(body, webhook.secret, state.now()),
      },
      body,
      signal: AbortSignal.timeout(5_000),
    })
      .then(async (response) => {
        delivery.status = response.status;
        await response.arrayBuffer();
      })
      .catch((error: unknown) => {
        delivery.error = error instanceof Error ? error.message : String(error);
      })
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  });
  return async () => {
    await Promise.all([...inFlight]);
  };
}
