import { z } from 'zod';
import { claimUris } from './uris.ts';

/**
 * zod schemas for every LTI 1.3 / LTI Advantage claim. Objects are loose: platforms add their own fields (Canvas
 * `validation_context`, Moodle `errors`), and a tool must not refuse a launch for them. Optional strings accept
 * `null`, which Canvas and Blackboard send for empty fields.
 */
const text = z.string().nullish();

export const resourceLinkClaim = z.looseObject({
  id: z.string().min(1),
  title: text,
  description: text,
});

export const contextClaim = z.looseObject({
  id: z.string().min(1),
  label: text,
  title: text,
  type: z.array(z.string()).nullish(),
});

export const rolesClaim = z.array(z.string());

export const roleScopeMentorClaim = z.array(z.string());

/** The platform instance claim (`tool_platform`). */
export const toolPlatformClaim = z.looseObject({
  guid: z.string().max(255),
  contact_email: text,
  description: text,
  name: text,
  url: text,
  product_family_code: text,
  version: text,
});

export const launchPresentationClaim = z.looseObject({
  document_target: z.enum(['frame', 'iframe', 'window']).or(z.string()).nullish(),
  height: z.number().nullish(),
  width: z.number().nullish(),
  return_url: text,
  locale: text,
});

export const lisClaim = z.looseObject({
  person_sourcedid: text,
  course_offering_sourcedid: text,
  course_section_sourcedid: text,
});

/** Custom parameters: the spec says string values; some platforms send numbers or booleans, kept as sent. */
export const customClaim = z.record(z.string(), z.unknown());

/** LTI 1.1 migration claim (LTI 1.3 §B.4 / "LTI 1.1 to 1.3 migration"). */
export const lti1p1Claim = z.looseObject({
  user_id: text,
  oauth_consumer_key: text,
  oauth_consumer_key_sign: text,
  resource_link_id: text,
});

/** The user whose submission is reviewed (`LtiSubmissionReviewRequest`). */
export const forUserClaim = z.looseObject({
  user_id: z.string().min(1),
  person_sourcedid: text,
  given_name: text,
  family_name: text,
  name: text,
  email: text,
  roles: z.array(z.string()).nullish(),
});

export const agsEndpointClaim = z.looseObject({
  scope: z.array(z.string()),
  lineitems: text,
  lineitem: text,
});

export const nrpsClaim = z.looseObject({
  context_memberships_url: z.string().min(1),
  service_versions: z.array(z.string()),
});

export const deepLinkingSettingsClaim = z.looseObject({
  deep_link_return_url: z.url(),
  accept_types: z.array(z.string()).min(1),
  accept_presentation_document_targets: z.array(z.string()).min(1),
  accept_media_types: text,
  accept_multiple: z.boolean().nullish(),
  accept_lineitem: z.boolean().nullish(),
  auto_create: z.boolean().nullish(),
  title: text,
  text: text,
  data: text,
});

/** OIDC standard claims a launch may carry about the user (all optional: launches may carry no personal data). */
export const userClaims = z.looseObject({
  sub: z.string().optional(),
  name: text,
  given_name: text,
  family_name: text,
  middle_name: text,
  email: text,
  picture: text,
  locale: text,
});

/** Registered JWT claims of an id_token, before the LTI claims. */
export const registeredClaims = z.looseObject({
  iss: z.string().min(1),
  aud: z.union([z.string().min(1), z.array(z.string()).min(1)]),
  azp: z.string().optional(),
  exp: z.number(),
  iat: z.number(),
  nbf: z.number().optional(),
  nonce: z.string().optional(),
});

/** Each optional LTI claim by URI with its schema, in the order a reader meets them in the spec. */
export const optionalClaimSchemas = {
  [claimUris.resourceLink]: resourceLinkClaim,
  [claimUris.context]: contextClaim,
  [claimUris.roleScopeMentor]: roleScopeMentorClaim,
  [claimUris.toolPlatform]: toolPlatformClaim,
  [claimUris.launchPresentation]: launchPresentationClaim,
  [claimUris.lis]: lisClaim,
  [claimUris.custom]: customClaim,
  [claimUris.lti1p1]: lti1p1Claim,
  [claimUris.forUser]: forUserClaim,
  [claimUris.ags]: agsEndpointClaim,
  [claimUris.nrps]: nrpsClaim,
  [claimUris.deepLinkingSettings]: deepLinkingSettingsClaim,
} as const;

export type ResourceLinkClaim = z.infer<typeof resourceLinkClaim>;
export type ContextClaim = z.infer<typeof contextClaim>;
export type ToolPlatformClaim = z.infer<typeof toolPlatformClaim>;
export type LaunchPresentationClaim = z.infer<typeof launchPresentationClaim>;
export type LisClaim = z.infer<typeof lisClaim>;
export type CustomClaim = z.infer<typeof customClaim>;
export type Lti1p1Claim = z.infer<typeof lti1p1Claim>;
export type ForUserClaim = z.infer<typeof forUserClaim>;
export type AgsEndpointClaim = z.infer<typeof agsEndpointClaim>;
export type NrpsClaim = z.infer<typeof nrpsClaim>;
export type DeepLinkingSettingsClaim = z.infer<typeof deepLinkingSettingsClaim>;
export type UserClaims = z.infer<typeof userClaims>;
