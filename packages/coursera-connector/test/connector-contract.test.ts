import { readFileSync } from 'node:fs';
import { createMemoryReportSource } from '../src/adapters/memory/memory-report-source.ts';
import { createCourseraConnector } from '../src/coursera/coursera-connector.ts';
import { createSkillsBoostConnector } from '../src/skills-boost/skills-boost-connector.ts';
import { describeConnectorContract } from '../src/testing/index.ts';
import { connectedClient, startHarness } from './support/setup.ts';

// One contract, two very different platforms: an OAuth API (over loopback HTTP to the simulator) and CSV reports.
describeConnectorContract('Coursera (simulator over loopback HTTP)', async () => {
  const harness = await startHarness('node-http');
  const client = await connectedClient(harness);
  return { connector: createCourseraConnector({ client, clock: harness.clock }), close: harness.stop };
});

describeConnectorContract('Google Cloud Skills Boost (CSV activity report)', async () => {
  const reports = createMemoryReportSource();
  reports.add({
    id: 'report-1',
    receivedAt: new Date('2025-02-10T00:00:00Z'),
    text: readFileSync(new URL('./__fixtures__/skills-boost/activity-report.csv', import.meta.url), 'utf8'),
  });
  return { connector: createSkillsBoostConnector({ groupId: 'cohort-7', reports }) };
});
