import { PassportError } from '@passport/core';

/** A JSON response; `init.headers` may add or replace headers. */
export function jsonResponse(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  if (!headers.has('content-type')) headers.set('content-type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(body), { ...init, headers });
}

/** The reference server's error body: `{ error: { code, message } }`, with only the client-safe description. */
export interface ErrorBody {
  error: { code: string; message: string };
}

/**
 * Turns a thrown value into a response: a PassportError keeps its status, code and safe description; anything else
 * is a 500 that reveals nothing (log it first).
 */
export function errorResponse(error: unknown, headers?: Record<string, string>): Response {
  if (PassportError.is(error)) {
    const body: ErrorBody = { error: { code: error.code, message: error.description } };
    return jsonResponse(body, { status: error.status, ...(headers === undefined ? {} : { headers }) });
  }
  const body: ErrorBody = { error: { code: 'SERVER_INTERNAL_ERROR', message: 'Internal server error' } };
  return jsonResponse(body, { status: 500 });
}
