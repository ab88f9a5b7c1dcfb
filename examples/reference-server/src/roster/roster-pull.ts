import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  createOneRosterClient,
  type FetchFunction,
  type OneRosterClientOptions,
  pullPackage,
} from '@passport/oneroster/client';
import type { Queryable } from '../db/database.ts';
import { ServerError } from '../errors.ts';
import { importWithHistory, type RosterImportRecord, recordFailedImport } from './import-history.ts';
import type { RosterService } from './roster-service.ts';
import type { RosterSource } from './roster-sources.ts';

/** The largest package a URL source may answer. */
export const maxPackageBytes = 2 * 1024 ** 3;
/** How long a package download may take. */
const downloadTimeoutMs = 30 * 60_000;

export interface RosterPullDependencies {
  db: Queryable;
  roster: RosterService;
  /** Outbound HTTP; default the platform's fetch. */
  fetch?: FetchFunction;
}

/** The label a source's runs carry in the import history. */
export const sourceLabel = (source: RosterSource) =>
  source.kind === 'oneroster-api' ? 'oneroster-api' : 'package-url';

function clientAuth(source: RosterSource): OneRosterClientOptions['auth'] {
  const secret = source.secret ?? '';
  const clientId = source.clientId ?? '';
  return source.auth === 'oauth1'
    ? { type: 'oauth1', consumerKey: clientId, consumerSecret: secret, signatureMethod: 'HMAC-SHA256' }
    : { type: 'oauth2', tokenUrl: source.tokenUrl ?? '', clientId, clientSecret: secret };
}

function authorization(source: RosterSource): string | undefined {
  switch (source.auth) {
    case 'bearer':
      return `Bearer ${source.secret ?? ''}`;
    case 'basic':
      return `Basic ${Buffer.from(`${source.clientId ?? ''}:${source.secret ?? ''}`).toString('base64')}`;
    default:
      return undefined;
  }
}

class SourceReadError extends Error {}

async function download(source: RosterSource, path: string, fetchFunction: FetchFunction): Promise<void> {
  const header = authorization(source);
  const response = await fetchFunction(
    new Request(source.url, {
      headers: {
        accept: 'application/zip, application/octet-stream',
        ...(header ? { authorization: header } : {}),
      },
      signal: AbortSignal.timeout(downloadTimeoutMs),
    }),
  ).catch((error: unknown) => {
    // The outbound guard's refusal keeps its code.
    if (error instanceof ServerError) throw error;
    throw new SourceReadError(
      `${source.url} could not be reached: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw new SourceReadError(
      `${source.url} answered HTTP ${response.status}${response.status === 401 || response.status === 403 ? ' (check the credentials)' : ''}.`,
    );
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxPackageBytes) {
    await response.body.cancel();
    throw new SourceReadError(`${source.url} is larger than ${maxPackageBytes / 1024 ** 3} GiB.`);
  }
  let received = 0;
  await pipeline(
    Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
    new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        callback(
          received > maxPackageBytes
            ? new SourceReadError(`${source.url} is larger than ${maxPackageBytes / 1024 ** 3} GiB.`)
            : null,
          chunk,
        );
      },
    }),
    createWriteStream(path),
  );
}

/**
 * Reads a source once and imports what it gave, as a bulk package, through the same validation, safety guard and
 * history as an upload. A source that cannot be read leaves the roster as it was and a `failed` import saying why.
 */
export async function runRosterSource(
  dependencies: RosterPullDependencies,
  source: RosterSource,
  actor: string,
): Promise<RosterImportRecord> {
  const startedAt = new Date();
  const fetchFunction: FetchFunction = dependencies.fetch ?? ((request) => fetch(request));
  const fileName = `${source.name} (${source.kind === 'oneroster-api' ? 'OneRoster API' : 'package URL'})`;
  const folder = await mkdtemp(join(tmpdir(), 'passport-roster-pull-'));
  try {
    let path: string;
    let note: string | undefined;
    try {
      if (source.kind === 'oneroster-api') {
        path = join(folder, 'pulled');
        const client = createOneRosterClient({
          baseUrl: source.url,
          auth: clientAuth(source),
          fetch: fetchFunction,
        });
        const pulled = await pullPackage(client, path, { format: 'dir', systemName: source.name });
        if (pulled.skipped.length > 0) {
          note = pulled.skipped
            .map((skip) => `${skip.file} left as they were: the API answered HTTP ${skip.status}.`)
            .join(' ');
        }
      } else {
        path = join(folder, 'package.zip');
        await download(source, path, fetchFunction);
      }
    } catch (error) {
      const code =
        typeof error === 'object' && error !== null && 'code' in error ? ` [${String(error.code)}]` : '';
      return await recordFailedImport(dependencies.db, {
        tenantId: source.tenantId,
        fileName,
        source: sourceLabel(source),
        actor,
        startedAt,
        message: `The source could not be read, nothing was changed: ${
          error instanceof Error ? error.message : String(error)
        }${code}`,
      });
    }
    const { record } = await importWithHistory(dependencies.db, dependencies.roster, {
      tenantId: source.tenantId,
      path,
      fileName,
      source: sourceLabel(source),
      actor,
      confirm: source.confirmHeld,
      startedAt,
      ...(note === undefined ? {} : { note }),
    });
    return record;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
