import { describe, expect, it } from 'vitest';
import { claimUris } from '../src/claims/uris.ts';
import type { ContentItem } from '../src/deep-linking/content-items.ts';
import { createDeepLinkingResponse } from '../src/tool/deep-linking/create-response.ts';
import type { LtiLaunch } from '../src/tool/launch/launch.ts';
import { moodleDeepLinkingClaims } from './__fixtures__/moodle-deep-linking.ts';
import { codeOf, createHarness, type Harness, toolOrigin } from './support/tool-harness.ts';

// Fixtures written from the shape Moodle's source builds, not recorded from a running Moodle (see the fixture file).

async function moodleLaunch(acceptMultiple: boolean, overrides: Record<string, unknown> = {}) {
  const harness = await createHarness();
  const login = await harness.login();
  const idToken = harness.sign(
    harness.payload(login, { ...moodleDeepLinkingClaims(acceptMultiple), ...overrides }),
  );
  const response = await harness.launch({ idToken, state: login.state, cookie: login.cookie });
  return { harness, response, launch: harness.launches[0] };
}

const resourceLink = (title: string, extra: Partial<ContentItem> = {}): ContentItem =>
  ({ type: 'ltiResourceLink', title, url: `${toolOrigin}/app/${title}`, ...extra }) as ContentItem;

async function answer(harness: Harness, launch: LtiLaunch, items: ContentItem[]) {
  return createDeepLinkingResponse({
    launch,
    items,
    keyRing: harness.tool.keyRing,
    clock: harness.clock,
    generateId: harness.tool.generateId,
  });
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? 'no code';
  }
}

function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
}

describe('Moodle deep linking requests (fixtures from Moodle’s source shape)', () => {
  for (const acceptMultiple of [true, false]) {
    it(`accepts the launch with accept_multiple ${acceptMultiple}, "frame" among the targets and Moodle’s extra members`, async () => {
      const { response, launch } = await moodleLaunch(acceptMultiple);
      expect(response.status).toBe(200);
      expect(launch?.messageType).toBe('LtiDeepLinkingRequest');
      expect(launch?.resourceLink).toBeUndefined();
      expect(launch?.deepLinkingSettings).toMatchObject({
        accept_types: ['ltiResourceLink'],
        accept_presentation_document_targets: ['frame', 'iframe', 'window'],
        accept_multiple: acceptMultiple,
        text: '',
        // Members outside Deep Linking 2.0 are kept, not refused.
        accept_copy_advice: false,
        accept_unsigned: false,
        can_confirm: false,
      });
      expect(launch?.deepLinkingSettings?.accept_media_types).toBeUndefined();
      expect(launch?.deepLinkingSettings?.data).toBeUndefined();
    });
  }

  it('returns several resource links when the request accepts multiple, and refuses them with LTI_CONTENT_ITEM_INVALID when it does not', async () => {
    const items = [resourceLink('quiz-1'), resourceLink('quiz-2')];
    const multiple = await moodleLaunch(true);
    if (multiple.launch === undefined) throw new Error('not launched');
    const built = await answer(multiple.harness, multiple.launch, items);
    expect((payloadOf(built.jwt)[claimUris.contentItems] as unknown[]).length).toBe(2);

    const single = await moodleLaunch(false);
    if (single.launch === undefined) throw new Error('not launched');
    expect(await refusal(answer(single.harness, single.launch, items))).toBe('LTI_CONTENT_ITEM_INVALID');
    expect(await refusal(answer(single.harness, single.launch, items.slice(0, 1)))).toBe('accepted');
  });

  it('refuses every item type but ltiResourceLink with LTI_CONTENT_ITEM_INVALID', async () => {
    const { harness, launch } = await moodleLaunch(true);
    if (launch === undefined) throw new Error('not launched');
    const others: ContentItem[] = [
      { type: 'link', url: 'https://example.org/article', title: 'Article' },
      { type: 'html', html: '<p>Hello</p>' },
      { type: 'file', url: 'https://example.org/notes.pdf' },
      { type: 'image', url: 'https://example.org/cell.png' },
    ];
    for (const item of others) {
      expect(await refusal(answer(harness, launch, [item])), item.type).toBe('LTI_CONTENT_ITEM_INVALID');
    }
  });

  it('returns a resource link with a line item and an iframe or window presentation (no accept_lineitem sent)', async () => {
    const { harness, launch } = await moodleLaunch(true);
    if (launch === undefined) throw new Error('not launched');
    const built = await answer(harness, launch, [
      resourceLink('graded', { lineItem: { scoreMaximum: 10, label: 'Graded', tag: 'quiz' } }),
      resourceLink('framed', { iframe: { width: 800, height: 600 } }),
      resourceLink('popup', { window: { targetName: '_blank' } }),
    ]);
    const payload = payloadOf(built.jwt);
    expect(built.returnUrl).toMatch(/\/mod\/lti\/contentitem_return\.php\?course=2&id=3&sesskey=/);
    expect(payload[claimUris.contentItems]).toEqual([
      expect.objectContaining({
        type: 'ltiResourceLink',
        lineItem: expect.objectContaining({ scoreMaximum: 10 }),
      }),
      expect.objectContaining({ iframe: { width: 800, height: 600 } }),
      expect.objectContaining({ window: { targetName: '_blank' } }),
    ]);
    // Moodle sends no data, so none is echoed.
    expect(payload[claimUris.deepLinkingData]).toBeUndefined();
  });

  it('refuses a Moodle request whose settings lack the return URL with LTI_DEEP_LINKING_SETTINGS_INVALID', async () => {
    const claims = moodleDeepLinkingClaims(true);
    const settings = { ...(claims[claimUris.deepLinkingSettings] as Record<string, unknown>) };
    delete settings.deep_link_return_url;
    const { response } = await moodleLaunch(true, { [claimUris.deepLinkingSettings]: settings });
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe('LTI_DEEP_LINKING_SETTINGS_INVALID');
  });
});
