import type { SsoContext } from '../../context.ts';
import { SsoError } from '../../errors.ts';
import { escapeHtml, htmlResponse } from '../../http/html.ts';
import type { RosterUser } from '../../ports.ts';
import { type BadgeQrFormat, badgeQrCode } from './badge-qr.ts';
import { badgeMethodOf, checkBadgeHolder, type IssuedBadge, issueBadge } from './issue-badge.ts';

export interface BadgeSheetInput {
  readonly districtId: string;
  /** The heading and the line under each name (`Room 4 · Ms. Hopper`). */
  readonly title: string;
  /** The students to print badges for, in print order (the host reads the class roster). */
  readonly userIds: readonly string[];
  /** When set, every student must have an active enrollment in this class. */
  readonly classId?: string;
  readonly issuedBy?: string;
  readonly expiresAt?: Date;
  /** `svg` (default, inline, crisp in print) or `png` (`data:` URL images). */
  readonly qrFormat?: BadgeQrFormat;
  /**
   * A picture per student (userId → a `data:image/…` URL or a path on this server), printed above the code so
   * children who cannot read yet find their own badge.
   */
  readonly pictures?: Readonly<Record<string, string>>;
}

const safePicture = /^(data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+|\/[^/\\][^"'<>\s]*)$/;

const sheetStyle = `<style>
.sheet{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:1rem}
.badge{border:2px dashed #889;border-radius:.8rem;padding:1rem;text-align:center;margin:0;break-inside:avoid}
.badge svg,.badge img{width:11rem;height:11rem}
.badge img.picture{width:6rem;height:6rem;object-fit:cover;border-radius:50%;display:block;margin:0 auto .5rem}.badge figcaption{font-size:1.3rem}
@media print{body{max-width:none;margin:0}.no-print{display:none}}
</style>`;

/**
 * A printable sheet of badges for a class: every student is checked first (district, enabled, role, class), then
 * each gets a newly issued badge (replacing their earlier ones, since only hashes are kept) with its QR code. The
 * host serves the page behind its own administrator sign-in.
 */
export async function badgeSheet(
  sso: SsoContext,
  input: BadgeSheetInput,
): Promise<{ response: Response; badges: IssuedBadge[] }> {
  const method = await badgeMethodOf(sso, input.districtId);
  if (input.userIds.length === 0)
    throw new SsoError('SSO_REQUEST_INVALID', 'No students to print badges for.');
  const users: RosterUser[] = [];
  for (const userId of input.userIds) {
    const user = checkBadgeHolder(method, input.districtId, await sso.roster.findUser(userId));
    if (input.classId !== undefined && !user.classIds.includes(input.classId)) {
      throw new SsoError('SSO_REQUEST_INVALID', `${userId} is not enrolled in ${input.classId}.`);
    }
    const picture = input.pictures?.[userId];
    if (picture !== undefined && !safePicture.test(picture)) {
      throw new SsoError(
        'SSO_REQUEST_INVALID',
        `The picture of ${userId} must be a data:image URL or a path here.`,
      );
    }
    users.push(user);
  }
  const badges: IssuedBadge[] = [];
  const cards: string[] = [];
  for (const user of users) {
    const badge = await issueBadge(sso, {
      districtId: input.districtId,
      userId: user.userId,
      ...(input.issuedBy === undefined ? {} : { issuedBy: input.issuedBy }),
      ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }),
    });
    badges.push(badge);
    const name = `${user.givenName} ${user.familyName}`;
    const code = await badgeQrCode(badge.url, input.qrFormat ?? 'svg');
    const symbol =
      input.qrFormat === 'png'
        ? `<img src="${escapeHtml(code)}" alt="Sign-in code for ${escapeHtml(name)}">`
        : code;
    const pictureUrl = input.pictures?.[user.userId];
    const picture =
      pictureUrl === undefined
        ? ''
        : `<img class="picture" src="${escapeHtml(pictureUrl)}" alt="${escapeHtml(name)}">`;
    cards.push(
      `<figure class="badge" data-user-id="${escapeHtml(user.userId)}" data-badge-id="${escapeHtml(badge.badgeId)}">${picture}${symbol}<figcaption><strong>${escapeHtml(name)}</strong><br><small>${escapeHtml(input.title)}</small></figcaption></figure>`,
    );
  }
  const body = `${sheetStyle}<main><h1>${escapeHtml(input.title)}</h1>
<p class="no-print">Print this page and cut out the badges. Each badge signs in only its student: keep them in the
classroom. Printing the sheet again issues new badges and the ones printed before stop working.</p>
<div class="sheet">${cards.join('\n')}</div></main>`;
  return { response: htmlResponse(200, `Badges: ${input.title}`, body), badges };
}
