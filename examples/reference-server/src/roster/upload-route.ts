import { timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ImportPackageResult } from '@passport/oneroster';
import { ServerError } from '../errors.ts';
import { jsonResponse } from '../http/json.ts';
import type { Router } from '../http/router.ts';
import type { RosterService } from './roster-service.ts';

/** The largest package accepted by upload: 4 GiB, well above a million-student district's zip. */
export const maxUploadBytes = 4 * 1024 ** 3;

/**
 * `POST /admin/tenants/:tenant/roster` (`?confirm=true` to apply a held import): uploads a OneRoster CSV package as
 * a zip (`Content-Type: application/zip`) and imports it, as `passport roster import` does. Operators authenticate
 * with `Authorization: Bearer <PASSPORT_ADMIN_TOKEN>`; without that variable the endpoint is off (it fails closed).
 * Answers 200 applied, 409 held by the safety guard, 422 invalid (with the findings), each with counts per file.
 */
export function registerRosterUpload(
  router: Router,
  options: { roster: RosterService; adminToken: string | undefined },
): void {
  router.post('/admin/tenants/:tenant/roster', async (request, { params, url }) => {
    checkAdmin(request, options.adminToken);
    const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/zip' && type !== 'application/octet-stream') {
      throw new ServerError(
        'SERVER_BAD_REQUEST',
        'Send the package as a zip file with Content-Type: application/zip.',
        {
          status: 415,
        },
      );
    }
    if (request.body === null)
      throw new ServerError('SERVER_BAD_REQUEST', 'The request has no body: send the zip.');
    const folder = await mkdtemp(join(tmpdir(), 'passport-upload-'));
    try {
      const path = join(folder, 'package.zip');
      await pipeline(
        Readable.fromWeb(request.body as import('node:stream/web').ReadableStream),
        limit(maxUploadBytes),
        createWriteStream(path),
      );
      const result = await options.roster.importPackage(params.tenant!, path, {
        confirm: url.searchParams.get('confirm') === 'true',
      });
      return jsonResponse(uploadJson(result), { status: statusOf(result) });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
}

function checkAdmin(request: Request, adminToken: string | undefined): void {
  if (!adminToken) {
    throw new ServerError(
      'SERVER_ROUTE_NOT_FOUND',
      'Roster upload is off: set PASSPORT_ADMIN_TOKEN on the server to enable it, or use passport roster import.',
      { status: 404 },
    );
  }
  const given = /^Bearer (.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
  const expected = Buffer.from(adminToken);
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new ServerError(
      'SERVER_UNAUTHORIZED',
      'An operator token is required: Authorization: Bearer <PASSPORT_ADMIN_TOKEN>.',
      {
        status: 401,
      },
    );
  }
}

function limit(bytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > bytes)
        callback(
          new ServerError('SERVER_BAD_REQUEST', `The package is larger than ${bytes} bytes.`, {
            status: 413,
          }),
        );
      else callback(null, chunk);
    },
  });
}

function statusOf(result: ImportPackageResult): number {
  if (result.status === 'applied') return 200;
  if (result.status === 'held') return 409;
  return 422;
}

function uploadJson(result: ImportPackageResult) {
  const { report } = result;
  const validation = {
    valid: report.valid,
    totals: report.totals,
    errors: report.errors,
    warnings: report.warnings,
  };
  if (result.status === 'invalid') return { status: result.status, validation };
  return {
    status: result.status,
    counts: result.counts,
    ...(result.status === 'held' ? { guard: result.guard } : {}),
    validation,
  };
}
