/**
 * A read-modify-write of one district's settings that is safe when several admins, launches or server processes
 * change the same district at once: the district is saved with the revision it was read at, and when another save
 * came in between (`SSO_DISTRICT_CHANGED`), it is read again and the change computed again from what is stored now,
 * so no change is lost and every check the change makes sees the settings it replaces.
 */
import { SsoError } from '../errors.ts';
import type { District, DistrictRegistry } from '../ports.ts';

/**
 * Reads the district, asks `change` for its new settings (given the stored district, or undefined when there is
 * none yet; answering undefined saves nothing), and saves them only over that revision. On a concurrent save it
 * starts again, up to `attempts` times in all, and then throws `SSO_DISTRICT_CHANGED`. Errors `change` throws end
 * it at once. Resolves the district as saved (its revision counted), or undefined when nothing was saved.
 */
export async function updateDistrict(
  registry: DistrictRegistry,
  districtId: string,
  change: (current: District | undefined) => District | undefined | Promise<District | undefined>,
  attempts = 5,
): Promise<District | undefined> {
  for (let attempt = 1; ; attempt++) {
    const current = await registry.getDistrict(districtId);
    const next = await change(current);
    if (next === undefined) return undefined;
    if (next.districtId !== districtId) {
      throw new SsoError(
        'SSO_OPTIONS_INVALID',
        `updateDistrict: the change answered district ${next.districtId}, not ${districtId}.`,
      );
    }
    const revision = current?.revision ?? 0;
    try {
      await registry.saveDistrict({ ...next, revision });
      return { ...next, revision: revision + 1 };
    } catch (error) {
      if (!(error instanceof SsoError && error.code === 'SSO_DISTRICT_CHANGED') || attempt >= attempts)
        throw error;
    }
  }
}
