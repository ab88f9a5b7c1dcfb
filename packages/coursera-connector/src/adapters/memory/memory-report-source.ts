import type { ReportFile, ReportSource } from '../../ports.ts';

/** Reports kept in memory; `add` is what an upload handler calls. */
export function createMemoryReportSource(): ReportSource & { add(report: ReportFile): void } {
  const reports: ReportFile[] = [];
  return {
    add(report) {
      reports.push({ ...report, receivedAt: new Date(report.receivedAt) });
    },
    async latest() {
      const newest = reports.reduce<ReportFile | undefined>(
        (best, report) => (best === undefined || report.receivedAt >= best.receivedAt ? report : best),
        undefined,
      );
      return newest === undefined ? undefined : { ...newest, receivedAt: new Date(newest.receivedAt) };
    },
  };
}
