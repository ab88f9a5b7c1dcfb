/** The claim names (URIs) of LTI 1.3 core, Deep Linking 2.0, AGS 2.0 and NRPS 2.0, exactly as the specs spell them. */
const lti = 'https://purl.imsglobal.org/spec/lti/claim/';
const deepLinking = 'https://purl.imsglobal.org/spec/lti-dl/claim/';

export const claimUris = {
  messageType: `${lti}message_type`,
  version: `${lti}version`,
  deploymentId: `${lti}deployment_id`,
  targetLinkUri: `${lti}target_link_uri`,
  resourceLink: `${lti}resource_link`,
  roles: `${lti}roles`,
  roleScopeMentor: `${lti}role_scope_mentor`,
  context: `${lti}context`,
  toolPlatform: `${lti}tool_platform`,
  launchPresentation: `${lti}launch_presentation`,
  lis: `${lti}lis`,
  custom: `${lti}custom`,
  lti1p1: `${lti}lti1p1`,
  forUser: `${lti}for_user`,
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
  deepLinkingSettings: `${deepLinking}deep_linking_settings`,
  contentItems: `${deepLinking}content_items`,
  deepLinkingData: `${deepLinking}data`,
  deepLinkingMessage: `${deepLinking}msg`,
  deepLinkingLog: `${deepLinking}log`,
  deepLinkingErrorMessage: `${deepLinking}errormsg`,
  deepLinkingErrorLog: `${deepLinking}errorlog`,
} as const;

export const ltiClaimPrefix = 'https://purl.imsglobal.org/spec/lti';

export const messageTypes = {
  resourceLink: 'LtiResourceLinkRequest',
  deepLinkingRequest: 'LtiDeepLinkingRequest',
  deepLinkingResponse: 'LtiDeepLinkingResponse',
  submissionReview: 'LtiSubmissionReviewRequest',
} as const;

export type LaunchMessageType =
  | 'LtiResourceLinkRequest'
  | 'LtiDeepLinkingRequest'
  | 'LtiSubmissionReviewRequest';

export const launchMessageTypes: readonly LaunchMessageType[] = [
  'LtiResourceLinkRequest',
  'LtiDeepLinkingRequest',
  'LtiSubmissionReviewRequest',
];

export const ltiVersion = '1.3.0';

/** LTI Advantage OAuth 2.0 scopes. */
export const scopes = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  membershipReadOnly: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
} as const;

export type LtiScope = (typeof scopes)[keyof typeof scopes];

export const allScopes: readonly LtiScope[] = Object.values(scopes);
