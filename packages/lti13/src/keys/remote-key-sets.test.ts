import { describe, expect, it } from 'vitest';
import { RemoteKeySets } from './remote-key-sets.ts';

function setup(responses: Array<() => Response | Promise<Response>>) {
  const clock = { current: new Date('2025-01-01T00:00:00Z'), now: () => clock.current };
  let calls = 0;
  const fetch = async () => {
    const next = responses[Math.min(calls, responses.length - 1)];
    calls++;
    return (next as () => Response)();
  };
  const sets = new RemoteKeySets({ clock, fetch, cooldownSeconds: 10, maxAgeSeconds: 3600 });
  return { clock, sets, calls: () => calls };
}

const keySet =
  (...kids: string[]) =>
  () =>
    Response.json({ keys: kids.map((kid) => ({ kty: 'RSA', kid, n: 'x', e: 'AQAB' })) });

describe('RemoteKeySets', () => {
  it('caches a key set and serves known kids without fetching', async () => {
    const { sets, calls } = setup([keySet('a')]);
    expect(await sets.getKey('https://lms/jwks', 'a')).toMatchObject({ kid: 'a' });
    expect(await sets.getKey('https://lms/jwks', 'a')).toMatchObject({ kid: 'a' });
    expect(calls()).toBe(1);
  });

  it('keeps at most one fetch in flight per key set', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { sets, calls } = setup([
      async () => {
        await gate;
        return keySet('a')();
      },
    ]);
    const pending = Promise.all([1, 2, 3, 4].map(() => sets.getKey('https://lms/jwks', 'a')));
    release();
    expect((await pending).every((key) => key?.kid === 'a')).toBe(true);
    expect(calls()).toBe(1);
  });

  it('refreshes for an unknown kid after the cooldown, not before', async () => {
    const { sets, clock, calls } = setup([keySet('a'), keySet('a', 'b')]);
    await sets.getKey('https://lms/jwks', 'a');
    expect(await sets.getKey('https://lms/jwks', 'b')).toBeUndefined();
    expect(calls()).toBe(1);
    clock.current = new Date(clock.current.getTime() + 11_000);
    expect(await sets.getKey('https://lms/jwks', 'b')).toMatchObject({ kid: 'b' });
    expect(calls()).toBe(2);
  });

  it('refreshes a set past its maximum age and keeps using it when the refresh fails', async () => {
    const { sets, clock, calls } = setup([keySet('a'), () => new Response('down', { status: 500 })]);
    await sets.getKey('https://lms/jwks', 'a');
    clock.current = new Date(clock.current.getTime() + 3_601_000);
    expect(await sets.getKey('https://lms/jwks', 'a')).toMatchObject({ kid: 'a' });
    expect(calls()).toBe(2);
  });

  it('drops private members a misconfigured platform publishes', async () => {
    const { sets } = setup([
      () => Response.json({ keys: [{ kty: 'RSA', kid: 'a', n: 'x', e: 'AQAB', d: 'private' }] }),
    ]);
    expect(await sets.getKey('https://lms/jwks', 'a')).not.toHaveProperty('d');
  });

  it('fails with LTI_JWKS_INVALID on a body without keys, LTI_JWKS_UNAVAILABLE on a network error', async () => {
    await expect(
      setup([() => Response.json({ nope: true })]).sets.getKey('https://lms/jwks', 'a'),
    ).rejects.toMatchObject({ code: 'LTI_JWKS_INVALID' });
    await expect(
      setup([
        () => {
          throw new TypeError('fetch failed');
        },
      ]).sets.getKey('https://lms/jwks', 'a'),
    ).rejects.toMatchObject({ code: 'LTI_JWKS_UNAVAILABLE' });
  });
});
