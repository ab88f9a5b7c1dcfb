// The Coursera simulator: a subpath entry (`./simulator`), for tests, development and the demo.

export { type FetchHandler, type NodeServer, serveNode } from '../http/serve-node.ts';
export {
  createSimulatorAdmin,
  type RecordedRequest,
  type SimulatorAdmin,
  type SimulatorWorld,
} from './admin-client.ts';
export { formatSimulatorBanner, runCourseraSimulatorCli, type SimulatorCliIo } from './cli.ts';
export type { ActiveFault, FaultRule } from './faults.ts';
export { type CourseraSimulator, type CourseraSimulatorOptions, createCourseraSimulator } from './handler.ts';
export {
  type RunningCourseraSimulator,
  type StartCourseraSimulatorOptions,
  startCourseraSimulator,
} from './start.ts';
export type { SimOauthClient } from './state.ts';
