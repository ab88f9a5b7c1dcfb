import { z } from 'zod';
import { type ApiContext, buildApiRequest } from './api-request.ts';
import { readApiJson, readRefusal, refusalError } from './read-api-response.ts';
import { type CourseraInvitation, invitationSchema } from './schemas.ts';

export interface InvitationInput {
  /** The learner's id at the school; Coursera defaults it to the email. */
  externalId: string;
  fullName: string;
  email: string;
  /** False to pre-provision without an email (the learner joins through the SSO hand-off). */
  sendEmail: boolean;
}

/** Inviting twice or inviting a member is not a failure: the answer says which it was. */
export type InvitationResult =
  | { state: 'INVITED'; invitation: CourseraInvitation }
  | { state: 'ALREADY_INVITED' }
  | { state: 'ALREADY_MEMBER' };

/** `POST /programs/{programId}/invitations`. */
export function buildCreateInvitationRequest(
  context: ApiContext,
  programId: string,
  input: InvitationInput,
): Request {
  return buildApiRequest(context, 'POST', `/programs/${encodeURIComponent(programId)}/invitations`, {
    body: {
      externalId: input.externalId,
      fullName: input.fullName,
      email: input.email,
      sendEmail: input.sendEmail,
    },
  });
}

const createdSchema = z.union([
  z.looseObject({ elements: z.array(invitationSchema).min(1) }).transform((body) => body.elements[0]!),
  invitationSchema,
]);

/** `INVITATION_ALREADY_EXISTS` and `MEMBERSHIP_ALREADY_EXISTS` answer success-with-state, so retries are idempotent. */
export async function processCreateInvitationResponse(
  response: Response,
  now?: Date,
): Promise<InvitationResult> {
  if (response.ok)
    return { state: 'INVITED', invitation: await readApiJson(response, createdSchema, 'an invitation') };
  const refusal = await readRefusal(response);
  if (refusal.errorCode === 'INVITATION_ALREADY_EXISTS') return { state: 'ALREADY_INVITED' };
  if (refusal.errorCode === 'MEMBERSHIP_ALREADY_EXISTS') return { state: 'ALREADY_MEMBER' };
  throw refusalError(refusal, 'an invitation', response, now ?? new Date());
}
