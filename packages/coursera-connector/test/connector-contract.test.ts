import { readFileSync } from 'node:fs';
import { createMemoryReportSource } from '../src/adapters/memory/memory-report-source.ts';
import { createCourseraConnector } from '../src/coursera/coursera-connector.ts';
import { createSkillsBoostConnector } from '../src/skills-boost/skills-boost-connector.ts';
import { describeConnectorContract } from '../src/testing/index.ts';
import { createJsonExportConnector } from './support/example-platform-connector.ts';
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

// The README's example of adding a platform passes the same contract.
describeConnectorContract('example JSON export platform (README)', async () => ({
  connector: createJsonExportConnector({
    organizationId: 'school-1',
    load: async () => ({
      exportedAt: '2025-03-01T00:00:00Z',
      courses: [
        {
          id: 'c1',
          title: 'Intro',
          labs: [
            { id: 'l1', title: 'Lab 1' },
            { id: 'l2', title: 'Lab 2' },
          ],
        },
      ],
      results: [
        { email: 'a@school.example', courseId: 'c1', score: 90, completedAt: '2025-02-20T00:00:00Z' },
        {
          email: 'a@school.example',
          courseId: 'c1',
          labId: 'l1',
          score: 80,
          completedAt: '2025-02-19T00:00:00Z',
        },
      ],
    }),
  }),
}));
