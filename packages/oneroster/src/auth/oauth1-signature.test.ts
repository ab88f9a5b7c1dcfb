import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  baseStringUri,
  hmacSignature,
  normalizeParameters,
  parseOAuthHeader,
  percentEncode,
  queryParameters,
  signatureBaseString,
  signOAuth1Request,
} from './oauth1-signature.ts';

describe('percentEncode (RFC 3986)', () => {
  it('leaves only unreserved characters as they are', () => {
    expect(percentEncode("AZaz09-._~!*'() +/=&%")).toBe('AZaz09-._~%21%2A%27%28%29%20%2B%2F%3D%26%25');
    expect(percentEncode('é漢')).toBe('%C3%A9%E6%BC%A2');
  });
});

describe('the signature base string', () => {
  it('matches the worked example of RFC 5849, section 3.4.1.1', () => {
    const url = new URL('http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b');
    const header =
      'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", ' +
      'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", ' +
      'oauth_signature="djosJKDKJSD8743243%2Fjdk33klY%3D"';
    const protocol = (parseOAuthHeader(header) ?? []).filter(
      ([name]) => name !== 'realm' && name !== 'oauth_signature',
    );
    const body = [...new URLSearchParams('c2&a3=2+q').entries()];
    expect(signatureBaseString('post', url, [...queryParameters(url), ...protocol, ...body])).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D' +
        '%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1' +
        '%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('keeps non-default ports and lowercases scheme and host', () => {
    expect(baseStringUri(new URL('HTTP://Example.COM:80/r?x=1'))).toBe('http://example.com/r');
    expect(baseStringUri(new URL('https://example.com:8443/a/b'))).toBe('https://example.com:8443/a/b');
  });

  it('sorts by encoded name, then encoded value', () => {
    expect(
      normalizeParameters([
        ['b', '2'],
        ['a', 'z'],
        ['a', 'y'],
        ['a b', '1'],
      ]),
    ).toBe('a=y&a=z&a%20b=1&b=2');
  });
});

describe('signOAuth1Request', () => {
  it('signs every query parameter with HMAC-SHA256 or HMAC-SHA1 over the key "secret&"', () => {
    const url = 'http://127.0.0.1:3000/ims/oneroster/v1p1/users?limit=2&filter=role%3D%27student%27';
    for (const method of ['HMAC-SHA1', 'HMAC-SHA256'] as const) {
      const header = signOAuth1Request({
        method: 'GET',
        url,
        consumerKey: 'key',
        consumerSecret: 's&cret',
        signatureMethod: method,
        timestamp: 1_700_000_000,
        nonce: 'abc',
      });
      const parameters = parseOAuthHeader(header) ?? [];
      const signature = parameters.find(([name]) => name === 'oauth_signature')?.[1];
      const signed = [
        ...queryParameters(new URL(url)),
        ...parameters.filter(([name]) => name !== 'oauth_signature'),
      ];
      const base = signatureBaseString('GET', new URL(url), signed);
      expect(base).toContain('filter%3Drole%253D%2527student%2527');
      const expected = createHmac(method === 'HMAC-SHA1' ? 'sha1' : 'sha256', 's%26cret&')
        .update(base)
        .digest('base64');
      expect(signature).toBe(expected);
      expect(hmacSignature(method, base, 's&cret')).toBe(expected);
    }
  });

  it('refuses an Authorization header it cannot parse', () => {
    expect(parseOAuthHeader('Bearer abc')).toBeUndefined();
    expect(parseOAuthHeader('OAuth oauth_nonce=unquoted')).toBeUndefined();
    expect(parseOAuthHeader('OAuth a="1", b="%zz"')).toBeUndefined();
  });
});
