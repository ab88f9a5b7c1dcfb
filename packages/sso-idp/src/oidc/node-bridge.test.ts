import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { callNodeListener } from './node-bridge.ts';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('callNodeListener', () => {
  it('passes method, path (mount removed), headers and body, and returns status, headers and body', async () => {
    const seen: Record<string, unknown> = {};
    const listener = async (request: IncomingMessage, response: ServerResponse) => {
      seen.method = request.method;
      seen.url = request.url;
      seen.originalUrl = (request as IncomingMessage & { originalUrl?: string }).originalUrl;
      seen.host = request.headers.host;
      seen.type = request.headers['content-type'];
      seen.body = await readBody(request);
      seen.encrypted = (request.socket as unknown as { encrypted: boolean }).encrypted;
      response.statusCode = 201;
      response.setHeader('set-cookie', ['a=1', 'b=2']);
      response.setHeader('content-type', 'text/plain');
      response.write('hello ');
      response.end('world');
    };
    const response = await callNodeListener(
      listener,
      new Request('https://idp.example/sso/oidc/token?x=1', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'a=b',
      }),
      { mountPath: '/sso/oidc' },
    );
    expect(seen).toEqual({
      method: 'POST',
      url: '/token?x=1',
      originalUrl: '/sso/oidc/token?x=1',
      host: 'idp.example',
      type: 'application/x-www-form-urlencoded',
      body: 'a=b',
      encrypted: true,
    });
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.text()).toBe('hello world');
  });

  it('takes headers given to writeHead and has no body for 204', async () => {
    const response = await callNodeListener((_request, outgoing) => {
      outgoing.writeHead(204, { 'x-test': 'yes' });
      outgoing.end();
    }, new Request('http://127.0.0.1/'));
    expect(response.status).toBe(204);
    expect(response.headers.get('x-test')).toBe('yes');
    expect(response.body).toBeNull();
  });
});
