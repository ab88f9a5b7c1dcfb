import type { AccountLink, LaunchRecord, LearnerLinks } from '../../ports.ts';

/** Launches and account links in memory. */
export function createMemoryLearnerLinks(): LearnerLinks {
  const launches = new Map<string, LaunchRecord>();
  const links = new Map<string, AccountLink>();
  return {
    async recordLaunch(launch) {
      launches.set(`${launch.lmsId}\u0000${launch.userId}`, launch);
    },
    async recordAccountLink(link) {
      links.set(`${link.lmsId}\u0000${link.platform}\u0000${link.externalId}`, link);
    },
    async listLaunches(lmsId) {
      return [...launches.values()]
        .filter((launch) => launch.lmsId === lmsId)
        .sort((a, b) => a.userId.localeCompare(b.userId));
    },
    async listAccountLinks(lmsId, platform) {
      return [...links.values()]
        .filter((link) => link.lmsId === lmsId && link.platform === platform)
        .sort((a, b) => a.externalId.localeCompare(b.externalId));
    },
  };
}
