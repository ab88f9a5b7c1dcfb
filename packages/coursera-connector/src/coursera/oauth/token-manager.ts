import type { Clock } from '@passport/core';
import type { StoredTokens, TokenStore } from '../../ports.ts';
import type { Exchange } from '../transport.ts';
import { COURSERA_SCOPE } from './authorization.ts';
import {
  buildTokenRequest,
  type ClientCredentials,
  consentRequired,
  processTokenResponse,
} from './token-request.ts';

/** Coursera's refresh tokens live 14 days and are extended on each refresh. */
export const REFRESH_TOKEN_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;

/** What an admin screen shows about the Coursera connection. */
export type ConsentStatus =
  | { state: 'missing'; message: string }
  | {
      state: 'active';
      consentedAt: Date;
      refreshTokenExpiresAt: Date;
      accessTokenExpiresAt: Date;
      message: string;
    }
  | { state: 'expired'; consentedAt: Date; refreshTokenExpiresAt: Date; message: string };

export interface TokenManagerOptions {
  credentials: ClientCredentials;
  redirectUri: string;
  tokens: TokenStore;
  tokenKey: string;
  clock: Clock;
  exchange: Exchange;
  /** Refresh this long before the access token expires (default 300 s). */
  refreshAheadMs: number;
}

export interface TokenManager {
  /**
   * A usable access token, refreshed ahead of expiry. Pass `rejected` (a token the API just refused with 401) to
   * force a refresh unless another caller already replaced it.
   */
  accessToken(options?: { rejected?: string }): Promise<string>;
  /** Exchanges the consent code for tokens and stores them. */
  completeAuthorization(code: string): Promise<ConsentStatus>;
  status(): Promise<ConsentStatus>;
  /** Forgets the stored tokens (disconnect). */
  forget(): Promise<void>;
}

export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const { tokens, tokenKey, clock, exchange } = options;
  let refreshing: Promise<StoredTokens> | undefined;

  const refresh = (stored: StoredTokens): Promise<StoredTokens> => {
    refreshing ??= (async () => {
      try {
        const grant = await exchange(
          'a token refresh',
          () =>
            buildTokenRequest(options.credentials, {
              grantType: 'refresh_token',
              refreshToken: stored.refreshToken,
            }),
          (response, now) => processTokenResponse(response, 'refresh_token', now),
        ).catch(async (error: unknown) => {
          if ((error as { code?: string }).code === 'COURSERA_CONSENT_REQUIRED')
            await tokens.delete(tokenKey);
          throw error;
        });
        const now = clock.now();
        const next: StoredTokens = {
          accessToken: grant.accessToken,
          accessTokenExpiresAt: new Date(now.getTime() + grant.expiresInSeconds * 1000),
          refreshToken: grant.refreshToken ?? stored.refreshToken,
          refreshTokenExpiresAt: new Date(now.getTime() + REFRESH_TOKEN_LIFETIME_MS),
          scope: grant.scope ?? stored.scope,
          consentedAt: stored.consentedAt,
        };
        await tokens.save(tokenKey, next);
        return next;
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  };

  const loadUsable = async (): Promise<StoredTokens> => {
    const stored = await tokens.load(tokenKey);
    if (stored === undefined)
      throw consentRequired('No Coursera authorization is stored for this organization');
    if (clock.now().getTime() >= stored.refreshTokenExpiresAt.getTime()) {
      throw consentRequired(
        `The Coursera refresh token expired on ${stored.refreshTokenExpiresAt.toISOString()}`,
        {
          detail: { refreshTokenExpiresAt: stored.refreshTokenExpiresAt },
        },
      );
    }
    return stored;
  };

  const statusOf = (stored: StoredTokens | undefined): ConsentStatus => {
    if (stored === undefined) {
      return {
        state: 'missing',
        message:
          'Passport is not connected to Coursera. A Coursera administrator must connect it (give consent).',
      };
    }
    if (clock.now().getTime() >= stored.refreshTokenExpiresAt.getTime()) {
      return {
        state: 'expired',
        consentedAt: stored.consentedAt,
        refreshTokenExpiresAt: stored.refreshTokenExpiresAt,
        message: `The Coursera connection expired on ${stored.refreshTokenExpiresAt.toISOString()} (unused for 14 days). A Coursera administrator must connect again.`,
      };
    }
    return {
      state: 'active',
      consentedAt: stored.consentedAt,
      refreshTokenExpiresAt: stored.refreshTokenExpiresAt,
      accessTokenExpiresAt: stored.accessTokenExpiresAt,
      message: `Connected to Coursera since ${stored.consentedAt.toISOString()}; renewed automatically on each sync.`,
    };
  };

  return {
    async accessToken(request = {}) {
      const stored = await loadUsable();
      const fresh = clock.now().getTime() + options.refreshAheadMs < stored.accessTokenExpiresAt.getTime();
      if (fresh && (request.rejected === undefined || request.rejected !== stored.accessToken))
        return stored.accessToken;
      return (await refresh(stored)).accessToken;
    },

    async completeAuthorization(code) {
      const grant = await exchange(
        'the authorization code exchange',
        () =>
          buildTokenRequest(options.credentials, {
            grantType: 'authorization_code',
            code,
            redirectUri: options.redirectUri,
          }),
        (response, now) => processTokenResponse(response, 'authorization_code', now),
      );
      if (grant.refreshToken === undefined) {
        throw consentRequired('Coursera granted no refresh token (was access_type=offline lost?)');
      }
      const now = clock.now();
      const stored: StoredTokens = {
        accessToken: grant.accessToken,
        accessTokenExpiresAt: new Date(now.getTime() + grant.expiresInSeconds * 1000),
        refreshToken: grant.refreshToken,
        refreshTokenExpiresAt: new Date(now.getTime() + REFRESH_TOKEN_LIFETIME_MS),
        scope: grant.scope ?? COURSERA_SCOPE,
        consentedAt: now,
      };
      await tokens.save(tokenKey, stored);
      return statusOf(stored);
    },

    async status() {
      return statusOf(await tokens.load(tokenKey));
    },

    forget: () => tokens.delete(tokenKey),
  };
}
