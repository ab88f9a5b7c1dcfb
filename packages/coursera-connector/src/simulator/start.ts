import { serveNode } from '../http/serve-node.ts';
import { createSimulatorAdmin, type SimulatorAdmin } from './admin-client.ts';
import { type CourseraSimulator, type CourseraSimulatorOptions, createCourseraSimulator } from './handler.ts';

export interface StartCourseraSimulatorOptions extends CourseraSimulatorOptions {
  /** 0 picks a free port (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface RunningCourseraSimulator {
  /** `http://127.0.0.1:<port>`: the API, OAuth and learner pages all live here. */
  url: string;
  /** The admin endpoints over HTTP. */
  admin: SimulatorAdmin;
  /** In-process access to the world (tests only; prefer `admin`). */
  simulator: CourseraSimulator;
  stop(): Promise<void>;
}

/** Starts the simulator on Node's http server. */
export async function startCourseraSimulator(
  options: StartCourseraSimulatorOptions = {},
): Promise<RunningCourseraSimulator> {
  const simulator = createCourseraSimulator(options);
  const server = await serveNode(simulator.handler, {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
  });
  return {
    url: server.url,
    admin: createSimulatorAdmin(
      server.url,
      options.adminToken === undefined ? {} : { adminToken: options.adminToken },
    ),
    simulator,
    async stop() {
      simulator.stop();
      await server.close();
    },
  };
}
