import type { SsoStores } from '../../sso-idp.ts';
import { MemoryAppRegistry, MemoryDistrictRegistry, MemoryRosterDirectory } from './memory-directories.ts';
import {
  MemoryAccountLinkStore,
  MemoryAttemptCounter,
  MemoryAuditLog,
  MemoryBadgeStore,
  MemoryKeyStore,
  MemoryOidcArtifactStore,
  MemoryOneTimeStore,
  MemoryPasswordStore,
  MemorySessionStore,
} from './memory-stores.ts';

export interface MemoryStores extends SsoStores {
  readonly apps: MemoryAppRegistry;
  readonly roster: MemoryRosterDirectory;
  readonly districts: MemoryDistrictRegistry;
  readonly audit: MemoryAuditLog;
}

/** Every store in memory: tests, demos and single-process deployments. */
export function createMemoryStores(): MemoryStores {
  return {
    apps: new MemoryAppRegistry(),
    roster: new MemoryRosterDirectory(),
    districts: new MemoryDistrictRegistry(),
    sessions: new MemorySessionStore(),
    oidcArtifacts: new MemoryOidcArtifactStore(),
    keys: new MemoryKeyStore(),
    passwords: new MemoryPasswordStore(),
    oneTime: new MemoryOneTimeStore(),
    attempts: new MemoryAttemptCounter(),
    audit: new MemoryAuditLog(),
    links: new MemoryAccountLinkStore(),
    badges: new MemoryBadgeStore(),
  };
}
