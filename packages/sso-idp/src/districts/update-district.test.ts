import { describe, expect, it } from 'vitest';
import { MemoryDistrictRegistry } from '../adapters/memory/memory-directories.ts';
import { districtChanged, SsoError } from '../errors.ts';
import type { District, DistrictRegistry, SignInMethod } from '../ports.ts';
import { updateDistrict } from './update-district.ts';

const password: SignInMethod = { kind: 'password', id: 'pw', name: 'Password' };
const google: SignInMethod = {
  kind: 'oidc',
  id: 'google',
  name: 'Google',
  issuer: 'https://accounts.google.com',
  clientId: 'abc',
  match: [{ claim: 'email', attribute: 'email' }],
};
const badge: SignInMethod = { kind: 'badge', id: 'badge', name: 'Badge', roles: ['student'] };

const adding =
  (method: SignInMethod) =>
  (current: District | undefined): District => ({
    districtId: 'd1',
    name: 'Maple',
    signInMethods: [...(current?.signInMethods ?? []), method],
  });

/** Removes a staff method, refusing to remove the last one, as the console does. */
const removingStaff =
  (id: string) =>
  (current: District | undefined): District => {
    const rest = (current?.signInMethods ?? []).filter((method) => method.id !== id);
    if (!rest.some((method) => method.kind === 'password' || method.kind === 'oidc')) {
      throw new Error(`${id} is the last way in for staff`);
    }
    return { ...(current as District), signInMethods: rest };
  };

describe('updateDistrict', () => {
  it('keeps both of two changes made at once: the later save is refused, read again and redone', async () => {
    const registry = new MemoryDistrictRegistry();
    await updateDistrict(registry, 'd1', adding(password));
    const saves: District[] = [];
    const watched: DistrictRegistry = {
      getDistrict: (id) => registry.getDistrict(id),
      listDistricts: () => registry.listDistricts(),
      async saveDistrict(district) {
        saves.push(district);
        await registry.saveDistrict(district);
      },
    };
    await Promise.all([
      updateDistrict(watched, 'd1', adding(google)),
      updateDistrict(watched, 'd1', adding(badge)),
    ]);
    const stored = await registry.getDistrict('d1');
    expect(stored?.signInMethods.map((method) => method.id).sort()).toEqual(['badge', 'google', 'pw']);
    expect(stored?.revision).toBe(3);
    // Both read revision 1; one saved over it, the other was refused and saved over revision 2.
    expect(saves.map((save) => save.revision)).toEqual([1, 1, 2]);
  });

  it('reruns the change’s checks on what is stored now: two removals cannot leave staff without a way in', async () => {
    const registry = new MemoryDistrictRegistry();
    await registry.saveDistrict({ districtId: 'd1', name: 'Maple', signInMethods: [password, google] });
    const outcomes = await Promise.allSettled([
      updateDistrict(registry, 'd1', removingStaff('pw')),
      updateDistrict(registry, 'd1', removingStaff('google')),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(String((refused as PromiseRejectedResult).reason)).toMatch(/last way in for staff/);
    expect((await registry.getDistrict('d1'))?.signInMethods).toHaveLength(1);
  });

  it('creates a district that does not exist yet, once, when two create it at once', async () => {
    const registry = new MemoryDistrictRegistry();
    const creating = (current: District | undefined) =>
      current === undefined ? adding(password)(undefined) : undefined;
    const results = await Promise.all([
      updateDistrict(registry, 'd1', creating),
      updateDistrict(registry, 'd1', creating),
    ]);
    expect(results.filter((result) => result !== undefined)).toHaveLength(1);
    expect((await registry.getDistrict('d1'))?.signInMethods).toEqual([password]);
  });

  it('saves nothing when the change answers undefined', async () => {
    const registry = new MemoryDistrictRegistry();
    expect(await updateDistrict(registry, 'd1', () => undefined)).toBeUndefined();
    expect(await registry.getDistrict('d1')).toBeUndefined();
  });

  it('gives up after its attempts with SSO_DISTRICT_CHANGED when every save is refused', async () => {
    let reads = 0;
    const busy: DistrictRegistry = {
      async getDistrict() {
        reads++;
        return { districtId: 'd1', name: 'Maple', signInMethods: [], revision: reads };
      },
      listDistricts: async () => [],
      saveDistrict: async () => {
        throw districtChanged('d1');
      },
    };
    const failure = await updateDistrict(busy, 'd1', adding(badge), 3).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SsoError);
    expect((failure as SsoError).code).toBe('SSO_DISTRICT_CHANGED');
    expect((failure as SsoError).status).toBe(409);
    expect(reads).toBe(3);
  });

  it('refuses a change that answers another district', async () => {
    const registry = new MemoryDistrictRegistry();
    await expect(
      updateDistrict(registry, 'd1', () => ({ districtId: 'd2', name: 'Oak', signInMethods: [] })),
    ).rejects.toMatchObject({ code: 'SSO_OPTIONS_INVALID' });
    expect(await registry.getDistrict('d2')).toBeUndefined();
  });
});
