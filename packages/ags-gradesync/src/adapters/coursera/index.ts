export {
  type ConnectorResultsSourceOptions,
  createConnectorResultsSource,
  learningResultsOf,
} from './connector-results-source.ts';
export { createResultsPushHandler } from './results-push-handler.ts';
