// The reference server as a library: compose the same pieces in another host or a test.
export { type App, type AppOptions, createApp } from './app.ts';
export { type Config, type ConfigOverrides, type LoadConfigOptions, loadConfig } from './config.ts';
export { type Database, inTransaction, type Queryable } from './db/database.ts';
export type { MigrationRun, MigrationState } from './db/migrate.ts';
export {
  type DatabaseHandle,
  type DatabaseKind,
  type DatabaseOptions,
  databaseOptionsFromConfig,
  openDatabase,
} from './db/open-database.ts';
export { ServerError, type ServerErrorCode } from './errors.ts';
export type { Handler } from './http/handler.ts';
export { type HttpServer, type HttpServerOptions, listen } from './http/http-server.ts';
export { createNodeListener, type NodeListener, type NodeListenerOptions } from './http/node-adapter.ts';
export { createRouter, type RouteContext, type RouteHandler, type Router } from './http/router.ts';
export { createLogger, type Logger, type LogLevel } from './logger.ts';
export { type RunningServer, type StartServerOptions, startServer } from './server.ts';
export { createTenantStore, type Tenant, type TenantStore } from './tenants/tenant-store.ts';
