import { z } from 'zod';

/** NRPS 2.0 member (in `application/vnd.ims.lti-nrps.v2.membershipcontainer+json`). */
export const memberSchema = z.looseObject({
  user_id: z.string().min(1),
  roles: z.array(z.string()),
  status: z.enum(['Active', 'Inactive', 'Deleted']).optional(),
  name: z.string().nullish(),
  given_name: z.string().nullish(),
  family_name: z.string().nullish(),
  middle_name: z.string().nullish(),
  email: z.string().nullish(),
  picture: z.string().nullish(),
  lis_person_sourcedid: z.string().nullish(),
  lti11_legacy_user_id: z.string().nullish(),
  message: z.array(z.record(z.string(), z.unknown())).optional(),
});

export const membershipContainerSchema = z.looseObject({
  id: z.string(),
  context: z.looseObject({ id: z.string(), label: z.string().nullish(), title: z.string().nullish() }),
  members: z.array(memberSchema),
});

export type Member = z.infer<typeof memberSchema>;
export type MembershipContainer = z.infer<typeof membershipContainerSchema>;
