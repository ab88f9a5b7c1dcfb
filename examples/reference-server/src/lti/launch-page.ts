import type { LtiLaunch, Role } from '@passport/lti13';

/*
 * The page an accepted launch answers with until the platform's own pages replace it: who launched, in which role,
 * from which course. Plain server-rendered HTML: a landmark, a heading and a description list, no script.
 */

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => htmlEscapes[character] ?? character);
}

/** The name to show: the full name, else given and family names, else the email, else the platform's user id. */
export function describeUser(user: LtiLaunch['user']): string {
  const parts = [user.givenName, user.familyName].filter((part) => part !== undefined && part !== '');
  return user.name || parts.join(' ') || user.email || user.id || 'Anonymous user';
}

/**
 * The roles in words: course roles first (`Learner`, `Instructor (TeachingAssistant)`), then institution and system
 * roles (`Faculty (institution)`), then roles outside the LTI vocabulary as sent. `No role` when there is none.
 */
export function describeRoles(roles: readonly Role[]): string {
  const order: Record<Role['kind'], number> = { context: 0, institution: 1, system: 2, unknown: 3 };
  const labels = [...roles]
    .sort((left, right) => order[left.kind] - order[right.kind])
    .map((role) => {
      if (role.kind === 'unknown' || (!role.known && role.subRole === undefined)) return role.value;
      const name =
        role.subRole === undefined || role.subRole === role.name
          ? role.name
          : `${role.name} (${role.subRole})`;
      return role.kind === 'context' ? name : `${name} (${role.kind})`;
    });
  const distinct = [...new Set(labels)];
  return distinct.length === 0 ? 'No role' : distinct.join(', ');
}

/** The course: its title, with its label when both are given, else its id. */
export function describeCourse(context: LtiLaunch['context']): string {
  if (context === undefined) return 'No course';
  const { title, label, id } = context;
  if (title) return label && label !== title ? `${title} (${label})` : title;
  return label || id;
}

const messageTitles: Record<LtiLaunch['messageType'], string> = {
  LtiResourceLinkRequest: 'Launched from your learning platform',
  LtiDeepLinkingRequest: 'Choosing content for your course',
  LtiSubmissionReviewRequest: 'Reviewing a submission',
};

export const launchPageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  // No script, no subresources; framing stays allowed, since LMSs show tools in an iframe.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
} as const;

/** The HTML of the accepted-launch page. */
export function launchPageHtml(launch: LtiLaunch): string {
  const title = messageTitles[launch.messageType];
  const rows: [string, string][] = [
    ['User', describeUser(launch.user)],
    ['Role', describeRoles(launch.roles)],
    ['Course', describeCourse(launch.context)],
  ];
  if (launch.resourceLink?.title) rows.push(['Activity', launch.resourceLink.title]);
  rows.push(['Platform', launch.registration.name ?? launch.toolPlatform?.name ?? launch.issuer]);
  const list = rows
    .map(([term, value]) => `    <dt>${escapeHtml(term)}</dt>\n    <dd>${escapeHtml(value)}</dd>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Passport</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}dt{font-weight:600}dd{margin:0 0 .75rem}</style>
</head>
<body>
<main>
  <h1>${escapeHtml(title)}</h1>
  <dl>
${list}
  </dl>
</main>
</body>
</html>
`;
}

/** The response of an accepted launch. A fresh `Response`, so the tool can still append its cookie header. */
export function launchPage(launch: LtiLaunch): Response {
  return new Response(launchPageHtml(launch), { status: 200, headers: launchPageHeaders });
}
