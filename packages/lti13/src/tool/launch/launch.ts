import type { Role } from '../../claims/roles.ts';
import type {
  AgsEndpointClaim,
  ContextClaim,
  CustomClaim,
  DeepLinkingSettingsClaim,
  ForUserClaim,
  LaunchPresentationClaim,
  LisClaim,
  Lti1p1Claim,
  NrpsClaim,
  ResourceLinkClaim,
  ToolPlatformClaim,
} from '../../claims/schemas.ts';
import type { LaunchMessageType } from '../../claims/uris.ts';
import type { Deployment, PlatformRegistration } from '../../ports.ts';

/** The user of a launch. Every field but the id may be absent: launches may carry no personal data. */
export interface LaunchUser {
  /** `sub`; absent for an anonymous launch. */
  readonly id?: string | undefined;
  readonly name?: string | undefined;
  readonly givenName?: string | undefined;
  readonly familyName?: string | undefined;
  readonly middleName?: string | undefined;
  readonly email?: string | undefined;
  readonly picture?: string | undefined;
  readonly locale?: string | undefined;
}

/** A validated launch: every claim checked and typed. */
export interface LtiLaunch {
  readonly messageType: LaunchMessageType;
  readonly version: '1.3.0';
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly registration: PlatformRegistration;
  readonly deployment: Deployment;
  readonly user: LaunchUser;
  /** Roles with their full URIs; empty strings dropped, short forms and unknown URIs kept. */
  readonly roles: readonly Role[];
  readonly roleScopeMentor?: readonly string[] | undefined;
  readonly context?: ContextClaim | undefined;
  readonly resourceLink?: ResourceLinkClaim | undefined;
  /** The target link URI of the login (validated against the tool's own origins); redirect here. */
  readonly targetLinkUri: string;
  readonly launchPresentation?: LaunchPresentationClaim | undefined;
  readonly lis?: LisClaim | undefined;
  readonly custom?: CustomClaim | undefined;
  /** The platform instance claim (`tool_platform`). */
  readonly toolPlatform?: ToolPlatformClaim | undefined;
  readonly ags?: AgsEndpointClaim | undefined;
  readonly nrps?: NrpsClaim | undefined;
  readonly deepLinkingSettings?: DeepLinkingSettingsClaim | undefined;
  /** The reviewed user of a submission review. */
  readonly forUser?: ForUserClaim | undefined;
  readonly lti1p1?: Lti1p1Claim | undefined;
  /** How the login state was tied to this browser. */
  readonly stateBinding: 'cookie' | 'platform-storage';
  /** Every claim of the id_token, as sent. */
  readonly claims: Readonly<Record<string, unknown>>;
}
