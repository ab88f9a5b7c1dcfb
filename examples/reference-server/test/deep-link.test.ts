import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  autoPostForm,
  contentItemsClaim,
  enrol,
  type GradePath,
  linksOf,
  openPicker,
  payloadOf,
  startGradePath,
  tenantId,
  walkToCourse,
} from './gradesync-harness.ts';

// One LMS, server and simulator for the file (PGlite opens slowly); each test deep-links from its own LMS course.
let path: GradePath;
beforeAll(async () => {
  path = await startGradePath('pglite');
}, 120_000);
afterAll(async () => {
  await path?.close();
});

/** Posts the pick and answers the signed response's form, its payload, and what the LMS made of it. */
async function pick(
  walked: Awaited<ReturnType<typeof walkToCourse>>,
  form: Record<string, string | string[]>,
) {
  const body = new URLSearchParams({
    session: walked.session,
    program: walked.programId,
    course: walked.courseId,
  });
  for (const [name, value] of Object.entries(form))
    for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
  const response = await walked.browser.request(walked.pickUrl, body);
  const html = await response.text();
  return { status: response.status, html, form: autoPostForm(html) };
}

describe('deep linking: the content picker', { timeout: 60_000 }, () => {
  it('a deep linking launch lands on the picker: program → course → gradable items, usable in an iframe', async () => {
    const course = enrol(path, { id: 'course-tour', title: 'Biology' });
    const opened = await openPicker(path, { context: course });
    expect(opened.status, opened.body).toBe(200);
    expect(opened.url).toBe(`${path.toolUrl}/lti/launch`);
    expect(opened.body).toContain('<h1>Add Coursera content to Biology</h1>');
    const world = await path.coursera.program;
    expect(linksOf(opened.body).map((link) => link.text)).toEqual([
      world.name,
      'Career Readiness: IT Support',
    ]);
    expect(opened.body).not.toContain('<script');
    // The session travels in the links, not in a cookie (third-party cookies may be blocked in the iframe).
    expect([...(opened.browser.jar.get(new URL(path.toolUrl).host)?.keys() ?? [])]).toEqual([]);

    const walked = await walkToCourse(path, { context: course });
    expect(walked.itemsStatus).toBe(200);
    expect(walked.programId).toBe(path.coursera.program.id);
    expect(walked.courseTitle).toBe('Foundations of Data Analysis');
    const catalog = await path.learning.items(tenantId, walked.courseId);
    expect(catalog.length).toBeGreaterThan(1);
    expect(walked.items).toEqual(catalog.map((item) => item.id));
    expect(walked.itemsBody).toContain('<legend>What to add</legend>');
    // Every control has its label; the LMS's mode (final grade until a district admin changes it) is preselected.
    for (const id of [
      ...walked.itemsBody.matchAll(/<input type="(?:radio|checkbox)"[^>]* id="([^"]*)"/g),
    ].map((match) => match[1]))
      expect(walked.itemsBody).toContain(`<label for="${id}">`);
    expect(walked.itemsBody).toMatch(/id="choice-final-grade" value="final-grade" checked/);
    expect(walked.itemsBody).toContain('<nav aria-label="Where you are">');
  });

  it('option A returns a signed response with one resource link and line item per picked item', async () => {
    const course = enrol(path, { id: 'course-option-a', title: 'Biology A' });
    const walked = await walkToCourse(path, { context: course });
    const picked = walked.items.slice(0, 2);
    const result = await pick(walked, { choice: 'granular-linked', item: picked });
    expect(result.status, result.html).toBe(200);
    expect(result.form?.action).toBe(path.platform.urls.deepLinkingReturn);
    const payload = payloadOf(result.form!.fields.JWT!);
    expect(payload).toMatchObject({
      iss: 'passport-tool',
      aud: path.platformUrl,
      'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiDeepLinkingResponse',
      'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'deployment-1',
    });
    const items = payload[contentItemsClaim] as Record<string, unknown>[];
    const catalog = await path.learning.items(tenantId, walked.courseId);
    expect(items).toEqual(
      picked.map((itemId) => {
        const item = catalog.find((candidate) => candidate.id === itemId)!;
        return {
          type: 'ltiResourceLink',
          title: item.title,
          text: `${walked.courseTitle}: ${item.title}`,
          url: `${path!.toolUrl}/lti/launch`,
          custom: expect.objectContaining({ passport_item: itemId, passport_course: walked.courseId }),
          lineItem: {
            label: item.title,
            scoreMaximum: item.maximumPoints ?? 100,
            resourceId: `passport:item:${walked.courseId}:${itemId}`,
            tag: 'passport-item',
          },
        };
      }),
    );

    // The LMS verifies the signature with the tool's key set and makes an activity and a grade column per item.
    const returned = await walked.browser.request(result.form!.action, result.form!.fields);
    expect(returned.status, await returned.text()).toBe(200);
    expect(path.links.map((link) => link.item.title)).toEqual(items.map((item) => item.title));
    const lineItems = await path.gradebook.listLineItems(course.id);
    expect(lineItems.map((lineItem) => lineItem.resourceId).sort()).toEqual(
      picked.map((itemId) => `passport:item:${walked.courseId}:${itemId}`).sort(),
    );
    // The course is bound for grade sync, with the picked items waiting for their line items.
    const overview = await path.gradeSync.overview({ tenantId });
    const bound = overview.bindings.filter((entry) => entry.binding.contextId === course.id);
    expect(bound).toHaveLength(1);
    expect(bound[0]).toMatchObject({
      binding: { tenantId, contextId: course.id, courseId: walked.courseId, programId: walked.programId },
      pendingItems: [...picked].sort(),
    });
  });

  it('option B returns the course as one resource link without a line item; the final grade with one', async () => {
    const course = enrol(path, { id: 'course-option-b', title: 'Biology B' });
    const optionB = await walkToCourse(path, { context: course });
    const resultB = await pick(optionB, { choice: 'granular-created' });
    expect(resultB.status, resultB.html).toBe(200);
    const [itemB, ...restB] = payloadOf(resultB.form!.fields.JWT!)[contentItemsClaim] as Record<
      string,
      unknown
    >[];
    expect(restB).toEqual([]);
    expect(itemB).toMatchObject({ type: 'ltiResourceLink', title: optionB.courseTitle });
    expect(itemB).not.toHaveProperty('lineItem');

    const final = await walkToCourse(path, { courseIndex: 1, context: course });
    const resultFinal = await pick(final, { choice: 'final-grade' });
    expect(resultFinal.status, resultFinal.html).toBe(200);
    const [itemFinal, ...restFinal] = payloadOf(resultFinal.form!.fields.JWT!)[contentItemsClaim] as Record<
      string,
      unknown
    >[];
    expect(restFinal).toEqual([]);
    expect(itemFinal).toMatchObject({
      type: 'ltiResourceLink',
      title: final.courseTitle,
      lineItem: {
        label: `${final.courseTitle} (final grade)`,
        scoreMaximum: 100,
        resourceId: `passport:course:${final.courseId}`,
        tag: 'passport-final-grade',
      },
    });
    const returned = await final.browser.request(resultFinal.form!.action, resultFinal.form!.fields);
    expect(returned.status).toBe(200);
    expect((await path.gradebook.listLineItems(course.id)).map((lineItem) => lineItem.tag)).toEqual([
      'passport-final-grade',
    ]);
    expect(
      (await path.gradeSync.overview()).bindings
        .filter((entry) => entry.binding.contextId === course.id)
        .map((entry) => entry.binding.courseId)
        .sort(),
    ).toEqual([optionB.courseId, final.courseId].sort());
  });

  it('refuses option A without items (422, the page again), and a spent or unknown session (400)', async () => {
    const course = enrol(path, { id: 'course-refusals', title: 'Biology R' });
    const walked = await walkToCourse(path, { context: course });
    const empty = await pick(walked, { choice: 'granular-linked' });
    expect(empty.status).toBe(422);
    expect(empty.html).toContain('role="alert">Option A links gradable items: tick at least one item');
    expect(empty.form).toBeUndefined();
    const unknownItem = await pick(walked, { choice: 'granular-linked', item: ['not-an-item'] });
    expect(unknownItem.status).toBe(422);

    const done = await pick(walked, { choice: 'final-grade' });
    expect(done.status).toBe(200);
    const again = await pick(walked, { choice: 'final-grade' });
    expect(again.status).toBe(400);
    expect(again.html).toContain('This content picker has expired');
    const forged = await walked.browser.request(`${path.toolUrl}/lti/deep-link?session=forged`);
    expect(forged.status).toBe(400);
    // Nothing was bound by the refused picks.
    expect(
      (await path.gradeSync.overview()).bindings.filter((entry) => entry.binding.contextId === course.id),
    ).toHaveLength(1);
  });

  it('an LMS that accepts one item at a time gets one; a district without Coursera is told so', async () => {
    const course = enrol(path, { id: 'course-single', title: 'Biology S' });
    const walked = await walkToCourse(path, {
      context: course,
      launch: {
        deepLinking: {
          acceptTypes: ['ltiResourceLink'],
          acceptPresentationDocumentTargets: ['iframe'],
          acceptMultiple: false,
        },
      },
    });
    const two = await pick(walked, { choice: 'granular-linked', item: walked.items.slice(0, 2) });
    expect(two.status).toBe(422);
    expect(two.html).toContain('Your LMS takes one activity at a time here: tick one item.');
    const one = await pick(walked, { choice: 'granular-linked', item: walked.items.slice(0, 1) });
    expect(one.status, one.html).toBe(200);
    expect(payloadOf(one.form!.fields.JWT!)[contentItemsClaim]).toHaveLength(1);

    const saved = (await path.learning.connections.get(tenantId))!;
    await path.learning.connections.remove(tenantId);
    try {
      const noCoursera = await openPicker(path, { context: course });
      expect(noCoursera.status).toBe(409);
      expect(noCoursera.body).toContain('Your district has not connected Coursera yet');
    } finally {
      await path.learning.connect({ ...saved, apiUrl: saved.apiUrl, accountsUrl: saved.accountsUrl });
    }
  });
});
