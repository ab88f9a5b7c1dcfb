import { describe, expect, it } from 'vitest';
import { clientAddress } from './forms.ts';

const request = (headers: Record<string, string>) => new Request('https://sso.example/signin', { headers });

describe('clientAddress', () => {
  it('uses the address the host put in x-passport-client-address, ignoring x-forwarded-for by default', () => {
    const from = request({ 'x-passport-client-address': '10.0.0.7', 'x-forwarded-for': '203.0.113.9' });
    expect(clientAddress(from, false)).toBe('10.0.0.7');
  });

  it('behind a trusted proxy, takes the entry the proxy appended, not one the client wrote before it', () => {
    const spoofed = request({
      'x-passport-client-address': '10.0.0.2',
      'x-forwarded-for': '198.51.100.1, 203.0.113.9',
    });
    expect(clientAddress(spoofed, true)).toBe('203.0.113.9');
    expect(clientAddress(request({ 'x-forwarded-for': ' 203.0.113.9 ' }), true)).toBe('203.0.113.9');
  });

  it('falls back to the host address when the proxy sent no (or an empty) x-forwarded-for', () => {
    expect(clientAddress(request({ 'x-passport-client-address': '10.0.0.2' }), true)).toBe('10.0.0.2');
    expect(
      clientAddress(request({ 'x-passport-client-address': '10.0.0.2', 'x-forwarded-for': ' , ' }), true),
    ).toBe('10.0.0.2');
  });
});
