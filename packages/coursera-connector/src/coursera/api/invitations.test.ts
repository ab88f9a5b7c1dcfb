import { describe, expect, it } from 'vitest';
import { buildCreateInvitationRequest, processCreateInvitationResponse } from './invitations.ts';

const context = { apiUrl: 'https://api.coursera.org', organizationId: 'org 1', accessToken: 'token' };

describe('invitations', () => {
  it('builds POST /programs/{programId}/invitations with the documented body', async () => {
    const request = buildCreateInvitationRequest(context, 'p1', {
      externalId: 'ada@school.example',
      fullName: 'Ada L',
      email: 'ada@school.example',
      sendEmail: false,
    });
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://api.coursera.org/api/businesses.v1/org%201/programs/p1/invitations');
    expect(request.headers.get('authorization')).toBe('Bearer token');
    expect(await request.json()).toEqual({
      externalId: 'ada@school.example',
      fullName: 'Ada L',
      email: 'ada@school.example',
      sendEmail: false,
    });
  });

  it('treats INVITATION_ALREADY_EXISTS and MEMBERSHIP_ALREADY_EXISTS as success with state', async () => {
    const refusal = (errorCode: string) =>
      new Response(JSON.stringify({ errorCode, message: 'x' }), { status: 409 });
    expect(await processCreateInvitationResponse(refusal('INVITATION_ALREADY_EXISTS'))).toEqual({
      state: 'ALREADY_INVITED',
    });
    expect(await processCreateInvitationResponse(refusal('MEMBERSHIP_ALREADY_EXISTS'))).toEqual({
      state: 'ALREADY_MEMBER',
    });
  });

  it('rejects any other refusal with COURSERA_REJECTED and the wire code', async () => {
    const response = new Response(JSON.stringify({ errorCode: 'INVALID_EMAIL', message: 'bad' }), {
      status: 400,
    });
    await expect(processCreateInvitationResponse(response)).rejects.toMatchObject({
      code: 'COURSERA_REJECTED',
      specError: 'INVALID_EMAIL',
    });
  });
});
