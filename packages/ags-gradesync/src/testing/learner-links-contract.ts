import { describe, expect, it } from 'vitest';
import type { LearnerLinks } from '../ports.ts';
import { at } from './fixtures.ts';

/** The behavior every `LearnerLinks` adapter must have. `create` answers empty links. */
export function describeLearnerLinksContract(name: string, create: () => Promise<LearnerLinks>): void {
  describe(`LearnerLinks contract: ${name}`, () => {
    it('keeps the latest launch per LMS user and the latest link per platform account', async () => {
      const links = await create();
      await links.recordLaunch({ lmsId: 'lms-1', userId: 'sub-b', email: 'b@school.example', at: at(0) });
      await links.recordLaunch({ lmsId: 'lms-1', userId: 'sub-a', sourcedId: 'sis-a', at: at(1) });
      await links.recordLaunch({
        lmsId: 'lms-1',
        userId: 'sub-b',
        email: 'b2@school.example',
        sourcedId: 'sis-b',
        at: at(2),
      });
      await links.recordLaunch({ lmsId: 'lms-2', userId: 'sub-c', at: at(3) });
      expect(await links.listLaunches('lms-1')).toEqual([
        { lmsId: 'lms-1', userId: 'sub-a', sourcedId: 'sis-a', at: at(1) },
        { lmsId: 'lms-1', userId: 'sub-b', email: 'b2@school.example', sourcedId: 'sis-b', at: at(2) },
      ]);

      await links.recordAccountLink({
        lmsId: 'lms-1',
        userId: 'sub-a',
        platform: 'coursera',
        externalId: 'x-1',
        at: at(4),
      });
      await links.recordAccountLink({
        lmsId: 'lms-1',
        userId: 'sub-z',
        platform: 'coursera',
        externalId: 'x-1',
        at: at(5),
      });
      await links.recordAccountLink({
        lmsId: 'lms-1',
        userId: 'sub-b',
        platform: 'skills-boost',
        externalId: 'x-1',
        at: at(6),
      });
      expect(await links.listAccountLinks('lms-1', 'coursera')).toEqual([
        { lmsId: 'lms-1', userId: 'sub-z', platform: 'coursera', externalId: 'x-1', at: at(5) },
      ]);
      expect(await links.listAccountLinks('lms-2', 'coursera')).toEqual([]);
    });
  });
}
