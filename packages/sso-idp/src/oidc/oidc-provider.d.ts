// The parts of oidc-provider 9 this package uses. The library ships no type declarations; these are written from
// its source and kept as narrow as the embedding needs, so nothing of it leaks into the public API.

declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type AdapterPayload = Record<string, unknown> & {
    grantId?: string;
    userCode?: string;
    uid?: string;
    jti?: string;
    consumed?: unknown;
  };

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ClientInstance {
    readonly clientId: string;
    readonly clientAuthMethod: string;
    readonly subjectType?: string;
    readonly redirectUris: string[];
    readonly [metadata: string]: unknown;
  }

  export interface GrantInstance {
    readonly jti: string;
    accountId?: string;
    clientId?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(): Promise<string>;
  }

  export interface GrantConstructor {
    new (properties: { accountId: string; clientId: string }): GrantInstance;
    find(id: string): Promise<GrantInstance | undefined>;
  }

  export interface InteractionPrompt {
    readonly name: string;
    readonly reasons: string[];
    readonly details: Record<string, unknown>;
  }

  export interface InteractionDetails {
    readonly uid: string;
    readonly iat: number;
    readonly exp: number;
    readonly prompt: InteractionPrompt;
    readonly params: Record<string, unknown> & { client_id?: string; scope?: string; max_age?: number };
    readonly session?: { accountId?: string; uid?: string; cookie?: string };
    readonly grantId?: string;
    readonly lastSubmission?: Record<string, unknown>;
    readonly returnTo: string;
  }

  export interface OidcContext {
    readonly client?: ClientInstance;
    readonly route?: string;
    readonly params?: Record<string, unknown>;
    readonly session?: { accountId?: string; authTime(): number | undefined };
    readonly entities: Record<string, unknown>;
  }

  export interface KoaContextWithOIDC {
    readonly oidc: OidcContext;
    readonly method: string;
    readonly path: string;
    readonly host: string;
    type: string;
    body: unknown;
    status: number;
  }

  export interface AccountClaims {
    sub: string;
    [claim: string]: unknown;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string, claims: unknown, rejected: string[]): Promise<AccountClaims>;
  }

  export interface AccessTokenInstance {
    readonly accountId?: string;
    readonly clientId?: string;
    readonly scope?: string;
    isValid?: boolean;
    isExpired?: boolean;
  }

  export type Configuration = Record<string, unknown>;

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    proxy: boolean;
    readonly Grant: GrantConstructor;
    readonly Client: { readonly prototype: { compareClientSecret(actual: string): Promise<boolean> } };
    readonly AccessToken: { find(token: string): Promise<AccessTokenInstance | undefined> };
    callback(): (request: IncomingMessage, response: ServerResponse) => Promise<void>;
    interactionDetails(request: IncomingMessage, response: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      request: IncomingMessage,
      response: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    interactionResult(
      request: IncomingMessage,
      response: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
    on(event: string, listener: (...arguments_: never[]) => void): this;
  }

  export const errors: {
    readonly OIDCProviderError: new (...arguments_: never[]) => Error & { error: string; status: number };
    readonly SessionNotFound: new (...arguments_: never[]) => Error & { error: string; status: number };
  };

  export const interactionPolicy: {
    base(): unknown[];
  };

  export default Provider;
}
